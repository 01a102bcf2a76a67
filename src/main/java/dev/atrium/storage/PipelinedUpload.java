package dev.atrium.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An upload received, written and hashed on three threads at once. The request thread fills buffers from the
 * network; a writer thread appends each to the temp file and a hasher thread feeds it to SHA-256, both in order. On
 * a 1 GiB upload hashing alone costs as much as receiving and writing together, and a direct write waits for the
 * disk, so doing these one after another would add their times up. A few buffers circulate: memory stays bounded
 * whatever the size of the upload, and a slow disk or hasher slows the reader instead of queueing data. Content that
 * its writer verified and names itself ({@link NamedKey}) skips the hasher.
 */
final class PipelinedUpload implements AutoCloseable {
    private static final class Slice {
        final byte[] buffer;
        final int length;
        final AtomicInteger consumers;

        Slice(byte[] buffer, int length, int consumers) {
            this.buffer = buffer;
            this.length = length;
            this.consumers = new AtomicInteger(consumers);
        }
    }

    /** The end of the upload; after it, the writer also makes the file durable. */
    private static final Slice END = new Slice(new byte[0], 0, 0);
    /** The upload was abandoned: stop without making anything durable. */
    private static final Slice ABORT = new Slice(new byte[0], 0, 0);

    private final TempFile out;
    private final boolean hashing;
    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Slice> toHash;
    private final BlockingQueue<Slice> toWrite;
    private final Future<Sha256> hashed;
    private final Future<Void> written;
    private volatile IOException writeFailure;
    private boolean ended;

    /** @param hashing whether to compute the SHA-256; without it {@link #finish} returns null */
    PipelinedUpload(ExecutorService executor, TempFile out, int buffers, int bufferSize, boolean hashing) {
        this.out = out;
        this.hashing = hashing;
        this.free = new ArrayBlockingQueue<>(buffers);
        this.toHash = new ArrayBlockingQueue<>(buffers + 1);
        this.toWrite = new ArrayBlockingQueue<>(buffers + 1);
        for (int i = 0; i < buffers; i++) {
            free.add(new byte[bufferSize]);
        }
        this.hashed = hashing ? executor.submit(this::hashUntilEnd) : CompletableFuture.completedFuture(null);
        this.written = executor.submit(this::writeUntilEnd);
    }

    private Sha256 hashUntilEnd() throws InterruptedException {
        MessageDigest digest = Sha256.newDigest();
        while (true) {
            Slice slice = toHash.take();
            if (slice == END || slice == ABORT) {
                return Sha256.of(digest);
            }
            digest.update(slice.buffer, 0, slice.length);
            release(slice);
        }
    }

    private Void writeUntilEnd() throws InterruptedException, IOException {
        while (true) {
            Slice slice = toWrite.take();
            if (slice == ABORT) {
                return null;
            }
            if (slice == END) {
                if (writeFailure != null) {
                    throw writeFailure;
                }
                out.force();
                return null;
            }
            if (writeFailure == null) {
                try {
                    out.append(slice.buffer, slice.length);
                } catch (IOException | RuntimeException e) {
                    // Keep releasing buffers so the reader is not left waiting; it sees the failure at its next submit.
                    writeFailure = e instanceof IOException io ? io : new IOException(e);
                }
            }
            release(slice);
        }
    }

    private void release(Slice slice) {
        if (slice.consumers.decrementAndGet() == 0) {
            free.add(slice.buffer);
        }
    }

    /** A buffer to fill; blocks while every buffer waits to be written or hashed. */
    byte[] buffer() throws IOException {
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a free upload buffer");
        }
    }

    /** Hands over {@code length} bytes of a buffer from {@link #buffer()}; the caller must not touch it again. */
    void submit(byte[] buffer, int length) throws IOException {
        IOException failed = writeFailure;
        if (failed != null) {
            throw failed;
        }
        Slice slice = new Slice(buffer, length, hashing ? 2 : 1);
        try {
            toWrite.put(slice);
            if (hashing) {
                toHash.put(slice);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing over an upload buffer");
        }
    }

    /**
     * Waits until everything submitted is hashed and, if {@code durable}, written and fsynced; returns the digest.
     * Pass {@code durable = false} for an upload that is about to be thrown away (an oversized body).
     */
    Sha256 finish(boolean durable) throws IOException {
        ended = true;
        try {
            if (hashing) {
                toHash.put(END);
            }
            toWrite.put(durable ? END : ABORT);
            Sha256 digest = hashed.get();
            written.get();
            return digest;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the upload to be written");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException("upload failed", e.getCause());
        }
    }

    /**
     * Stops both threads when the upload ended early (a failed read), and waits for them: the temp file and its
     * buffers must not be closed under a write in progress.
     */
    @Override
    public void close() {
        if (ended) {
            return;
        }
        ended = true;
        if (hashing) {
            toHash.add(ABORT);
        }
        toWrite.add(ABORT);
        boolean interrupted = false;
        for (Future<?> worker : new Future<?>[] {hashed, written}) {
            while (true) {
                try {
                    worker.get();
                    break;
                } catch (ExecutionException e) {
                    break; // the upload failed already; this failure adds nothing
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
