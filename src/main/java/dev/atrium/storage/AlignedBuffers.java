package dev.atrium.storage;

import java.nio.ByteBuffer;
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
