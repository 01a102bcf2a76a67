package dev.atrium.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Block-aligned direct buffers for direct I/O, kept for reuse: a fresh buffer costs page faults on every use. The JDK
 * would align a heap buffer itself, but JDK 17 then fails to free the aligned copy it cached (a NullPointerException
 * in its buffer cache), so the copy is done by their users.
 */
final class AlignedBuffers {
    private static final int KEPT = 8;
    private final int size;
    private final long blockSize;
    private final BlockingQueue<ByteBuffer> idle = new ArrayBlockingQueue<>(KEPT);

    AlignedBuffers(int size, long blockSize) {
        if (blockSize <= 0 || size % blockSize != 0) {
            throw new IllegalArgumentException(size + "-byte buffers are not whole " + blockSize + "-byte blocks");
        }
        this.size = size;
        this.blockSize = blockSize;
    }

    /** A trial of direct I/O on {@code probe}, an empty file; empty when the file system got it wrong. */
    @FunctionalInterface
    interface Trial<T> {
        Optional<T> run(AlignedBuffers buffers, Path probe) throws IOException;
    }

    /**
     * What {@code trial} makes of direct I/O with {@code size}-byte buffers in {@code directory}, tried once on a
     * file of its own; empty where the file system refuses it (tmpfs, some network and FUSE file systems, non-Linux
     * platforms) or its blocks do not divide {@code size}.
     */
    static <T> Optional<T> probe(Path directory, int size, Trial<T> trial) {
        Path probe = null;
        try {
            long blockSize = Files.getFileStore(directory).getBlockSize();
            if (blockSize <= 0 || size % blockSize != 0) {
                return Optional.empty();
            }
            probe = Files.createTempFile(directory, "direct-io-probe-", ".part");
            return trial.run(new AlignedBuffers(size, blockSize), probe);
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        } finally {
            if (probe != null) {
                try {
                    Files.deleteIfExists(probe);
                } catch (IOException ignored) {
                    // a leftover probe is removed with the other temp files at the next start
                }
            }
        }
    }

    long blockSize() {
        return blockSize;
    }

    ByteBuffer take() {
        ByteBuffer buffer = idle.poll();
        return buffer != null ? buffer
                : ByteBuffer.allocateDirect(size + (int) blockSize).alignedSlice((int) blockSize).limit(size);
    }

    void give(ByteBuffer buffer) {
        idle.offer(buffer.clear().limit(size)); // beyond KEPT, the garbage collector frees it
    }
}
