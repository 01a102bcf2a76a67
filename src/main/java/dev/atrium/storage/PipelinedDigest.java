package dev.atrium.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * SHA-256 on a second thread, in order, of buffers the caller has filled and written: receiving and writing then
 * overlap with hashing, which alone costs as much as both on a 1 GiB upload. A few buffers circulate between the
 * two threads, so memory stays bounded whatever the size of the upload.
 */
final class PipelinedDigest implements AutoCloseable {
    private record Slice(byte[] buffer, int length) {}

    private static final Slice END = new Slice(new byte[0], 0);

    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Slice> filled;
    private final Future<Sha256> result;
    private boolean finished;

    PipelinedDigest(ExecutorService executor, int buffers, int bufferSize) {
        this.free = new ArrayBlockingQueue<>(buffers);
        this.filled = new ArrayBlockingQueue<>(buffers + 1);
        for (int i = 0; i < buffers; i++) {
            free.add(new byte[bufferSize]);
        }
        this.result = executor.submit(this::hashUntilEnd);
    }

    private Sha256 hashUntilEnd() throws InterruptedException {
        MessageDigest digest = Sha256.newDigest();
        while (true) {
            Slice slice = filled.take();
            if (slice == END) {
                return Sha256.of(digest);
            }
            digest.update(slice.buffer(), 0, slice.length());
            free.put(slice.buffer());
        }
    }

    /** A buffer to fill; blocks while every buffer waits to be hashed. */
    byte[] buffer() throws IOException {
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the hasher");
        }
    }

    /** Hands over {@code length} bytes of a buffer from {@link #buffer()}; the caller must not touch it again. */
    void submit(byte[] buffer, int length) throws IOException {
        try {
            filled.put(new Slice(buffer, length));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing a buffer to the hasher");
        }
    }

    /** The digest of everything submitted, once the hasher has caught up. */
    Sha256 finish() throws IOException {
        finished = true;
        try {
            filled.put(END);
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the hasher");
        } catch (ExecutionException e) {
            throw new IOException("hashing failed", e.getCause());
        }
    }

    /** Stops the hasher when the upload ended early (a failed read, an oversized body). */
    @Override
    public void close() {
        if (!finished) {
            result.cancel(true);
        }
    }
}
