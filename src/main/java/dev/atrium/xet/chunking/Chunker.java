package dev.atrium.xet.chunking;

import dev.atrium.xet.hash.XetHashes;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The gear-hash content-defined chunker of chunking.md, as a stream: feed bytes in pieces of any size with
 * {@link #update}, then call {@link #finish} at the end of the stream. Memory is one maximum-size chunk (128 KiB),
 * however long the stream; the boundaries do not depend on how the input is split into pieces.
 *
 * <p>Rule: {@code h = (h << 1) + TABLE[b]} per byte (64-bit wrapping); with {@code size} the bytes of the current
 * chunk including this one, a chunk ends here if {@code size >= 8 KiB} and either {@code h & 0xFFFF000000000000 == 0}
 * or {@code size == 128 KiB}; then {@code h} is reset to 0. The last chunk is whatever remains at the end.
 *
 * <p>Bytes that cannot end a chunk and cannot influence the first test are not hashed (the spec's "cut-point
 * skipping"): because of the shift, {@code h} depends only on the last 64 bytes, so hashing from 65 bytes before the
 * minimum size gives exactly the hash a byte-by-byte scan would have.
 *
 * <p>Not thread-safe: one chunker per stream.
 */
public final class Chunker {
    public static final int TARGET_CHUNK_SIZE = 64 * 1024;
    public static final int MIN_CHUNK_SIZE = 8 * 1024;
    public static final int MAX_CHUNK_SIZE = 128 * 1024;
    /** 16 one-bits at the top: a boundary on average every 64 KiB. The top bits depend on the most bytes. */
    static final long MASK = 0xFFFF000000000000L;
    /** The gear hash sees the last 64 bytes; hashing may start this many bytes into a chunk. */
    private static final int SKIP = MIN_CHUNK_SIZE - 64 - 1;

    private final byte[] current = new byte[MAX_CHUNK_SIZE];
    private int length;
    private long hash;
    private long chunkOffset;

    /** Feeds {@code data[offset, offset + count)}; returns the chunks this input completed, in order. */
    public List<Chunk> update(byte[] data, int offset, int count) {
        List<Chunk> done = new ArrayList<>(count / TARGET_CHUNK_SIZE + 1);
        update(data, offset, count, done::add);
        return done;
    }

    /** Feeds {@code data[offset, offset + count)}, handing each completed chunk to {@code sink} as it is cut. */
    public void update(byte[] data, int offset, int count, Consumer<Chunk> sink) {
        Objects.checkFromIndexSize(offset, count, data.length);
        int pos = offset;
        int end = offset + count;
        while (pos < end) {
            if (length < SKIP) {
                int n = Math.min(SKIP - length, end - pos);
                System.arraycopy(data, pos, current, length, n);
                length += n;
                pos += n;
                continue;
            }
            int scanEnd = Math.min(end, pos + (MAX_CHUNK_SIZE - length));
            // The first index at which the chunk would reach the minimum size, and so may end.
            int testFrom = pos + Math.max(0, MIN_CHUNK_SIZE - 1 - length);
            long h = hash;
            int cut = -1;
            for (int i = pos; i < scanEnd; i++) {
                h = (h << 1) + GearTable.at(data[i] & 0xFF);
                if ((h & MASK) == 0 && i >= testFrom) {
                    cut = i + 1;
                    break;
                }
            }
            int taken = (cut >= 0 ? cut : scanEnd) - pos;
            System.arraycopy(data, pos, current, length, taken);
            length += taken;
            pos += taken;
            hash = h;
            if (cut >= 0 || length == MAX_CHUNK_SIZE) {
                sink.accept(emit());
            }
        }
    }

    /**
     * Ends the stream: returns the final chunk (shorter than the minimum if the data ran out), or empty when the
     * stream ended on a boundary or was empty. The chunker is then ready for a new stream starting at offset 0.
     */
    public Optional<Chunk> finish() {
        Optional<Chunk> last = length > 0 ? Optional.of(emit()) : Optional.empty();
        chunkOffset = 0;
        return last;
    }

    /** Chunks a whole stream, handing each chunk to {@code sink}; returns the number of bytes read. */
    public static long chunk(InputStream in, Consumer<Chunk> sink) throws IOException {
        Chunker chunker = new Chunker();
        byte[] buffer = new byte[256 * 1024];
        long total = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            chunker.update(buffer, 0, n, sink);
            total += n;
        }
        chunker.finish().ifPresent(sink);
        return total;
    }

    private Chunk emit() {
        byte[] data = Arrays.copyOf(current, length);
        Chunk chunk = new Chunk(chunkOffset, data, XetHashes.chunkHash(data));
        chunkOffset += length;
        length = 0;
        hash = 0;
        return chunk;
    }
}
