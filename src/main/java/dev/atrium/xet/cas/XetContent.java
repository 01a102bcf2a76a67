package dev.atrium.xet.cas;

import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.Repo;
import dev.atrium.storage.BlobKey;
import dev.atrium.storage.BlobStore;
import dev.atrium.storage.Sha256;
import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.shard.FileReconstruction;
import dev.atrium.xet.shard.FileTerm;
import dev.atrium.xet.shard.XorbInfo;
import dev.atrium.xet.xorb.ByteRange;
import dev.atrium.xet.xorb.StoredXorb;
import dev.atrium.xet.xorb.XorbChunk;
import dev.atrium.xet.xorb.XorbIndex;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The bytes of a file stored through Xet, rebuilt from its xorbs for clients that download it as a whole file
 * (plain {@code resolve}, git-lfs, the JS client). Streams one term at a time; only the terms overlapping the
 * requested range are decoded.
 */
public final class XetContent implements LfsObjects.XetBacked {
    private final XetStore store;
    private final BlobStore blobs;
    private final LfsToXet lfsToXet;

    public XetContent(XetStore store, BlobStore blobs, LfsToXet lfsToXet) {
        this.store = store;
        this.blobs = blobs;
        this.lfsToXet = lfsToXet;
    }

    @Override
    public OptionalLong sizeOf(Repo repo, Sha256 oid) {
        return store.fileBySha256(repo.id(), oid).map(f -> OptionalLong.of(f.size())).orElse(OptionalLong.empty());
    }

    @Override
    public void write(Repo repo, Sha256 oid, long offset, long length, OutputStream out) throws IOException {
        XetStore.XetFile file = store.fileBySha256(repo.id(), oid)
                .orElseThrow(() -> new IOException("no Xet file with sha256 " + oid + " in " + repo.repoId()));
        write(store.file(file.fileHash(), repo.id()).orElseThrow(), offset, length, out);
    }

    @Override
    public void committed(Repo repo, Sha256 oid) {
        store.markCommitted(repo.id(), oid);
        lfsToXet.convertLater(repo.id(), oid);
    }

    /** Writes bytes {@code [offset, offset + length)} of the file to {@code out}. */
    public void write(FileReconstruction file, long offset, long length, OutputStream out) throws IOException {
        write(file, offset, length, out, false);
    }

    /**
     * Writes the whole file to {@code out}, its stored bytes read as bytes wanted once ({@link BlobStore#openOnce}):
     * for a background read of a new upload, whose bytes no one has asked for yet.
     */
    public void writeOnce(FileReconstruction file, long size, OutputStream out) throws IOException {
        write(file, 0, size, out, true);
    }

    private void write(FileReconstruction file, long offset, long length, OutputStream out, boolean once)
            throws IOException {
        long termStart = 0;
        long end = offset + length;
        for (FileTerm term : file.terms()) {
            long termEnd = termStart + term.unpackedLength();
            if (termEnd > offset && termStart < end) {
                long skip = Math.max(0, offset - termStart);
                long take = Math.min(termEnd, end) - (termStart + skip);
                writeTerm(term, skip, take, out, once);
            }
            termStart = termEnd;
            if (termStart >= end) {
                break;
            }
        }
    }

    private void writeTerm(FileTerm term, long skip, long take, OutputStream out, boolean once) throws IOException {
        XetStore.StoredXorb xorb = store.xorb(term.xorbHash())
                .orElseThrow(() -> new IOException("xorb " + term.xorbHash() + " is missing from storage"));
        if (xorb.source() instanceof XorbSource.LfsView view) {
            LfsViewXorbs.writeContent(blobs, view, xorb.info(), term.chunkStart(), skip, take, out);
            return;
        }
        ChunkSpan span = ChunkSpan.of(xorb.info(), term.chunkStart(), term.chunkEnd(), skip, take);
        BlobKey blob = ((XorbSource.Stored) xorb.source()).blob();
        XorbIndex index = index(xorb.info());
        Window window = new Window(out, span.skip(), take);
        try {
            Optional<FileChannel> channel = once ? Optional.empty() : blobs.channel(blob);
            if (channel.isPresent()) {
                try (FileChannel local = channel.get()) {
                    StoredXorb.copyUncompressed(local, index, span.start(), span.end(), window, false);
                }
            } else {
                // Object storage, or a read once: one ranged read of exactly the chunks' records.
                ByteRange records = index.serializedRange(span.start(), span.end());
                try (InputStream in = once ? blobs.openOnce(blob, records.start(), records.length())
                        : blobs.open(blob, records.start(), records.length())) {
                    StoredXorb.copyUncompressed(in, index, span.start(), span.end(), window);
                }
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // Kept a missing file: a download that has sent nothing yet answers 404, as for a missing blob.
            throw new java.nio.file.NoSuchFileException("xorb " + term.xorbHash(), null, "its bytes are missing");
        } catch (XetFormatException e) {
            throw new IOException("stored xorb " + term.xorbHash() + " is corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * The chunks of a term that hold bytes {@code [skip, skip + take)} of it, and how many bytes of the first to
     * skip: a range read (a file header, an HTTP Range) decompresses those chunks, not the whole term, which may
     * span a 64 MB xorb.
     */
    record ChunkSpan(int start, int end, long skip) {
        static ChunkSpan of(XorbInfo info, int termStart, int termEnd, long skip, long take) throws IOException {
            var chunks = info.chunks();
            if (termStart < 0 || termEnd > chunks.size() || termStart >= termEnd) {
                throw new IOException("a term names chunks " + termStart + ".." + termEnd + " of xorb " + info.hash()
                        + ", which has " + chunks.size());
            }
            long base = chunks.get(termStart).unpackedOffset();
            long from = base + skip;
            long to = from + take;
            int start = termStart;
            while (start < termEnd - 1 && chunks.get(start).unpackedOffset() + chunks.get(start).unpackedLength()
                    <= from) {
                start++;
            }
            int end = start + 1;
            while (end < termEnd && chunks.get(end).unpackedOffset() < to) {
                end++;
            }
            return new ChunkSpan(start, end, from - chunks.get(start).unpackedOffset());
        }
    }

    static XorbIndex index(XorbInfo info) {
        List<XorbChunk> chunks = new ArrayList<>(info.chunks().size());
        for (var c : info.chunks()) {
            chunks.add(new XorbChunk(c.hash(), (int) c.packedOffset(), (int) (c.packedOffset() + c.packedLength()),
                    (int) c.unpackedOffset(), (int) (c.unpackedOffset() + c.unpackedLength())));
        }
        return new XorbIndex(info.hash(), chunks);
    }

    /** Passes on only bytes {@code [skip, skip + take)} of what is written through it. */
    private static final class Window extends FilterOutputStream {
        private long position;
        private final long from;
        private final long to;

        Window(OutputStream out, long skip, long take) {
            super(out);
            this.from = skip;
            this.to = skip + take;
        }

        @Override
        public void write(int b) throws IOException {
            if (position >= from && position < to) {
                out.write(b);
            }
            position++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            long start = Math.max(position, from);
            long stop = Math.min(position + len, to);
            if (start < stop) {
                out.write(b, off + (int) (start - position), (int) (stop - start));
            }
            position += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() {
            // the caller's stream stays open
        }
    }
}
