package dev.atrium.storage;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory all uploads to object storage may hold at once. An upload keeps up to two parts in memory (one being
 * sent while the next is read), and request threads are many: without a bound, enough concurrent large uploads would
 * run the heap out. An upload reserves all it will need at once, when it first needs more than its first small
 * buffer, so no upload waits while holding memory another waits for; past {@code wait}, it is refused as busy (503)
 * and stores nothing. Counted in KiB.
 */
public final class UploadMemory {
    private static final int KIB = 1024;

    private final Semaphore free;
    private final int totalKib;
    private final Duration wait;
    private final AtomicLong heldKib = new AtomicLong();
    private final AtomicLong peakKib = new AtomicLong();

    public UploadMemory(long bytes, Duration wait) {
        if (bytes < KIB) {
            throw new IllegalArgumentException("an upload memory budget of " + bytes + " bytes is too small");
        }
        this.totalKib = (int) Math.min(Integer.MAX_VALUE, bytes / KIB);
        this.free = new Semaphore(totalKib, true);
        this.wait = wait;
    }

    /** A quarter of the heap, as the JVM was given it. */
    public static UploadMemory ofHeap() {
        return new UploadMemory(Runtime.getRuntime().maxMemory() / 4, Duration.ofMinutes(1));
    }

    /** Held until closed; an upload that needs more than the whole budget waits for the whole budget. */
    public final class Reservation implements AutoCloseable {
        private int kib;

        private Reservation(int kib) {
            this.kib = kib;
        }

        @Override
        public void close() {
            if (kib > 0) {
                heldKib.addAndGet(-kib);
                free.release(kib);
                kib = 0;
            }
        }
    }

    public Reservation reserve(long bytes) throws UploadsBusy, InterruptedIOException {
        int kib = (int) Math.min(totalKib, (bytes + KIB - 1) / KIB);
        try {
            if (!free.tryAcquire(kib, wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new UploadsBusy("the hub is receiving as many uploads as its memory allows");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for upload memory");
        }
        peakKib.accumulateAndGet(heldKib.addAndGet(kib), Math::max);
        return new Reservation(kib);
    }

    /** The most held at once so far, in bytes. */
    long peak() {
        return peakKib.get() * KIB;
    }

    long total() {
        return (long) totalKib * KIB;
    }
}
