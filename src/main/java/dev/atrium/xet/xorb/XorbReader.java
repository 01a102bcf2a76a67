package dev.atrium.xet.xorb;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.XetFormatException.Reason;
import dev.atrium.xet.hash.Blake3Keyed;
import dev.atrium.xet.hash.XetHashes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads and validates a serialized xorb from a stream, one chunk in memory at a time: what the CAS service does with
 * the body of {@code POST /v1/xorbs/default/{hash}}.
 *
 * <p>An upload is a sequence of chunks (8-byte header, payload), optionally followed by a footer. Current clients
 * send no footer; older ones sent a version 1 or version 0 footer, which must then describe the chunks exactly. A
 * footer is recognised by its {@code XETBLOB} ident where the next chunk header would be (a header's first byte is
 * its version, 0). Every chunk is decoded, its size checked against its header and its hash computed; the xorb hash
 * is computed from the chunk hashes, never taken from the footer.
 *
 * <p>Thread-safe: it holds only its limits.
 */
public final class XorbReader {
    private final XorbLimits limits;

    public XorbReader() {
        this(XorbLimits.DEFAULT);
    }

    public XorbReader(XorbLimits limits) {
        this.limits = limits;
    }

    /**
     * A validated xorb.
     *
     * @param index its hash and chunk layout; the layout is that of the chunk section, which is the same with or
     *     without a footer
     * @param footer the footer version the upload carried, or empty when it had none
     * @param uploadLength the number of bytes read, footer included
     */
    public record ParsedXorb(XorbIndex index, Optional<XorbFooter.Version> footer, long uploadLength) {
        public MerkleHash hash() {
            return index.hash();
        }
    }

    /** Reads a xorb and checks that it hashes to {@code expectedHash}, the hash it was uploaded under. */
    public ParsedXorb read(InputStream in, @Nullable OutputStream chunkSink, MerkleHash expectedHash)
            throws IOException, XetFormatException {
        ParsedXorb parsed = read(in, chunkSink);
        if (!parsed.hash().equals(expectedHash)) {
            throw new XetFormatException(Reason.HASH_MISMATCH,
                    "xorb content hashes to " + parsed.hash() + ", not " + expectedHash);
        }
        return parsed;
    }

    /**
     * Reads a xorb to the end of {@code in}, validating it. When {@code chunkSink} is not null, each chunk's header and
     * payload are written to it once the chunk has been checked, and any footer is not: the sink receives the chunk
     * section, to which the caller appends {@link XorbFooter#serialize} of the returned index to store a canonical
     * xorb. On an exception the sink holds a partial copy that the caller must discard.
     */
    public ParsedXorb read(InputStream in, @Nullable OutputStream chunkSink) throws IOException, XetFormatException {
        List<XorbChunk> chunks = new ArrayList<>();
        byte[] header = new byte[ChunkHeader.LENGTH];
        // One buffer and one hasher for every chunk: a gigabyte upload is some 16,000 chunks, and allocating (and
        // zeroing) a payload, a copy of it when stored uncompressed (as incompressible data is) and a hasher's lane
        // state for each cost about a tenth of the server's time on a Xet upload.
        byte[] payload = new byte[ChunkHeader.MAX_COMPRESSED_SIZE];
        Blake3Keyed hasher = XetHashes.newChunkHasher();
        int serialized = 0;
        int unpacked = 0;
        while (true) {
            int got = readUpTo(in, header, header.length);
            if (got == 0) {
                return finish(XorbIndex.of(chunks), Optional.empty(), serialized);
            }
            if (header[0] == XorbFooter.IDENT[0]) {
                return readFooter(in, header, got, chunks, serialized);
            }
            if (got < header.length) {
                throw truncated("the xorb ends inside a chunk header");
            }
            ChunkHeader chunkHeader = ChunkHeader.parse(header, 0);
            if (chunks.size() >= limits.maxChunks()) {
                throw tooLarge("more than " + limits.maxChunks() + " chunks");
            }
            if ((long) serialized + chunkHeader.serializedLength() > limits.maxSerializedBytes()) {
                throw tooLarge("over " + limits.maxSerializedBytes() + " bytes");
            }
            if ((long) unpacked + chunkHeader.uncompressedSize() > limits.maxUnpackedBytes()) {
                throw tooLarge("over " + limits.maxUnpackedBytes() + " bytes of chunk data");
            }
            int payloadLength = readPayload(in, chunkHeader, payload, chunks.size());
            byte[] data = ChunkCodec.decodeInPlace(chunkHeader, payload);
            MerkleHash hash = hasher.update(data, 0, chunkHeader.uncompressedSize()).finish();
            int end = serialized + chunkHeader.serializedLength();
            chunks.add(new XorbChunk(hash, serialized, end, unpacked, unpacked + chunkHeader.uncompressedSize()));
            serialized = end;
            unpacked += chunkHeader.uncompressedSize();
            if (chunkSink != null) {
                chunkSink.write(header);
                chunkSink.write(payload, 0, payloadLength);
            }
        }
    }

    /**
     * Decodes chunks {@code [start, end)} of a xorb from {@code in}, which must be positioned at the header of chunk
     * {@code start} (as a served {@code url_range} is), writing their uncompressed bytes to {@code out}. Each chunk must
     * match {@code index}; with {@code verifyHashes} its hash is checked too, which guards against corrupt storage.
     */
    public static void decodeChunks(InputStream in, XorbIndex index, int start, int end, OutputStream out,
            boolean verifyHashes) throws IOException, XetFormatException {
        index.checkRange(start, end);
        byte[] header = new byte[ChunkHeader.LENGTH];
        byte[] payload = new byte[ChunkHeader.MAX_COMPRESSED_SIZE];
        Blake3Keyed hasher = XetHashes.newChunkHasher();
        for (int i = start; i < end; i++) {
            XorbChunk expected = index.chunk(i);
            if (readUpTo(in, header, header.length) < header.length) {
                throw truncated("the data ends inside the header of chunk " + i);
            }
            ChunkHeader chunkHeader = ChunkHeader.parse(header, 0);
            if (chunkHeader.serializedLength() != expected.serializedLength()
                    || chunkHeader.uncompressedSize() != expected.size()) {
                throw new XetFormatException(Reason.SIZE_MISMATCH, "chunk " + i + " does not match the xorb index");
            }
            readPayload(in, chunkHeader, payload, i);
            byte[] data = ChunkCodec.decodeInPlace(chunkHeader, payload);
            int length = chunkHeader.uncompressedSize();
            if (verifyHashes && !hasher.update(data, 0, length).finish().equals(expected.hash())) {
                throw new XetFormatException(Reason.HASH_MISMATCH, "chunk " + i + " does not hash to its index entry");
            }
            out.write(data, 0, length);
        }
    }

    private ParsedXorb readFooter(InputStream in, byte[] header, int got, List<XorbChunk> chunks, int serialized)
            throws IOException, XetFormatException {
        byte[] ident = XorbFooter.IDENT;
        for (int i = 0; i < Math.min(got, ident.length); i++) {
            if (header[i] != ident[i]) {
                throw new XetFormatException(Reason.BAD_HEADER,
                        "bytes at offset " + serialized + " are neither a chunk header nor a footer");
            }
        }
        if (got < ident.length) {
            throw truncated("the xorb ends inside the footer ident");
        }
        // A version 1 footer is the larger; anything beyond it is not a footer of this xorb.
        long maxFooter = XorbFooter.v1Length(chunks.size()) + 4;
        long room = Math.min(maxFooter, limits.maxSerializedBytes() - serialized);
        ByteArrayOutputStream footer = new ByteArrayOutputStream((int) Math.min(maxFooter, 1 << 20));
        footer.write(header, 0, got);
        byte[] buffer = new byte[8192];
        while (footer.size() <= room) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            footer.write(buffer, 0, n);
        }
        if (footer.size() > room) {
            throw room < maxFooter ? tooLarge("over " + limits.maxSerializedBytes() + " bytes")
                    : new XetFormatException(Reason.BAD_FOOTER, "data after the xorb footer");
        }
        XorbIndex index = XorbIndex.of(chunks);
        if (index.chunkCount() == 0) {
            throw new XetFormatException(Reason.EMPTY, "the xorb has a footer but no chunks");
        }
        byte[] bytes = footer.toByteArray();
        XorbFooter.Version version = XorbFooter.verify(bytes, index);
        return finish(index, Optional.of(version), serialized + bytes.length);
    }

    private static ParsedXorb finish(XorbIndex index, Optional<XorbFooter.Version> footer, long length)
            throws XetFormatException {
        if (index.chunkCount() == 0) {
            throw new XetFormatException(Reason.EMPTY, "the xorb has no chunks");
        }
        return new ParsedXorb(index, footer, length);
    }

    private static int readUpTo(InputStream in, byte[] buffer, int length) throws IOException {
        int total = 0;
        while (total < length) {
            int n = in.read(buffer, total, length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    /** Reads a chunk's payload into the start of {@code payload}; returns its length. */
    private static int readPayload(InputStream in, ChunkHeader header, byte[] payload, int chunkIndex)
            throws IOException, XetFormatException {
        int length = header.compressedSize();
        if (readUpTo(in, payload, length) < length) {
            throw truncated("the xorb ends inside the payload of chunk " + chunkIndex);
        }
        return length;
    }

    private static XetFormatException truncated(String message) {
        return new XetFormatException(Reason.TRUNCATED, message);
    }

    private static XetFormatException tooLarge(String message) {
        return new XetFormatException(Reason.TOO_LARGE, "xorb too large: " + message);
    }
}
