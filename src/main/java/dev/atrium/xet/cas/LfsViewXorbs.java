package dev.atrium.xet.cas;

import dev.atrium.http.BlobResponses;
import dev.atrium.storage.BlobStore;
import dev.atrium.xet.shard.XorbChunk;
import dev.atrium.xet.shard.XorbInfo;
import dev.atrium.xet.xorb.ChunkHeader;
import dev.atrium.xet.xorb.CompressionScheme;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Reading xorbs that are views of LFS blobs ({@link XorbSource.LfsView}). Such a xorb's serialized form is its
 * chunks' records, each an 8-byte header (no compression) followed by the chunk's bytes, which are consecutive
 * bytes of the blob: the headers are written here, the bytes read from the blob.
 */
final class LfsViewXorbs {
    private LfsViewXorbs() {}

    /** Writes bytes {@code [from, from + length)} of the view's serialized form, as a fetch URL serves them. */
    static void writeSerialized(BlobStore blobs, XorbSource.LfsView view, XorbInfo info, long from, long length,
                                OutputStream out) throws IOException {
        long to = from + length;
        InputStream data = null; // opened at the first chunk byte needed; later bytes follow on in the blob
        long dataLength = dataBytesWithin(info, from, to);
        try {
            for (XorbChunk chunk : info.chunks()) {
                long recordStart = chunk.packedOffset();
                long dataStart = recordStart + ChunkHeader.LENGTH;
                long recordEnd = recordStart + chunk.packedLength();
                if (recordEnd <= from) {
                    continue;
                }
                if (recordStart >= to) {
                    break;
                }
                if (from < dataStart) {
                    byte[] header = new ChunkHeader((int) chunk.unpackedLength(), CompressionScheme.NONE,
                            (int) chunk.unpackedLength()).toBytes();
                    long start = Math.max(from, recordStart);
                    long end = Math.min(to, dataStart);
                    out.write(header, (int) (start - recordStart), (int) (end - start));
                }
                long start = Math.max(from, dataStart);
                long end = Math.min(to, recordEnd);
                if (start < end) {
                    if (data == null) {
                        data = blobs.open(view.blob(), view.offset() + chunk.unpackedOffset() + (start - dataStart),
                                dataLength);
                    }
                    BlobResponses.copy(data, end - start, out);
                }
            }
        } finally {
            if (data != null) {
                data.close();
            }
        }
    }

    /** How many of the serialized bytes {@code [from, to)} are chunk content rather than headers. */
    private static long dataBytesWithin(XorbInfo info, long from, long to) {
        long total = 0;
        for (XorbChunk chunk : info.chunks()) {
            long dataStart = chunk.packedOffset() + ChunkHeader.LENGTH;
            long recordEnd = chunk.packedOffset() + chunk.packedLength();
            total += Math.max(0, Math.min(to, recordEnd) - Math.max(from, dataStart));
        }
        return total;
    }

    /** Writes {@code take} bytes of the content of chunks from {@code start} on, after skipping {@code skip}. */
    static void writeContent(BlobStore blobs, XorbSource.LfsView view, XorbInfo info, int start, long skip, long take,
                             OutputStream out) throws IOException {
        try (InputStream in = blobs.open(view.blob(), view.offset() + info.chunks().get(start).unpackedOffset() + skip,
                take)) {
            BlobResponses.copy(in, take, out);
        }
    }
}
