package dev.atrium.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Writes one object of known size, invisible until {@link #publish}: what fits one part is kept and sent with a
 * single PUT at the end; anything larger goes up as an S3 multipart upload whose parts are sent while the next one
 * is read, and which only {@link #publish} completes. So the caller can verify what it wrote before anyone can read
 * it, which is what the local store's temp file and rename give, and a failed or refused upload is aborted.
 * Memory: two parts at most per upload, and no more than has arrived: the buffer grows with the bytes, not with the
 * size a client declared; past its first small buffer, an upload holds a reservation of {@link UploadMemory} for all it
 * may need. Parts grow beyond the minimum for objects that would need more than S3's 10,000, up to
 * {@link #MAX_PART}; larger objects are refused.
 */
final class S3ObjectUpload implements AutoCloseable {
    private static final int MAX_PARTS = 10_000;
    static final int MAX_PART = 64 << 20;
    /** The largest object this writes: 625 GiB, far above the Hub's own 50 GB per file. */
    static final long MAX_SIZE = (long) MAX_PARTS * MAX_PART;
    private static final int FIRST_BUFFER = 256 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final ExecutorService senders;
    private final UploadMemory memory;
    private final long size;
    private final int partSize;
    private UploadMemory.@Nullable Reservation reservation;
    private byte[] buffer;
    private int filled;
    private @Nullable String uploadId;
    private int partsStarted;
    private final Deque<Future<Sent>> inFlight = new ArrayDeque<>();
    private final List<CompletedPart> completed = new ArrayList<>();
    private @Nullable byte[] spare;
    private boolean done;

    private record Sent(CompletedPart part, byte[] buffer) {}

    /**
     * {@code size} is what the caller expects to write (a body may still turn out longer: the caller checks).
     *
     * @throws IOException when {@code size} is above {@link #MAX_SIZE}
     */
    S3ObjectUpload(S3Client s3, String bucket, String key, long size, int minPartSize, ExecutorService senders,
                   UploadMemory memory) throws IOException {
        if (size > MAX_SIZE) {
            throw new IOException("object storage takes files of at most " + MAX_SIZE + " bytes, not " + size);
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.senders = senders;
        this.memory = memory;
        this.size = size;
        long needed = (size + MAX_PARTS - 1) / MAX_PARTS;
        this.partSize = (int) Math.min(MAX_PART, Math.max(minPartSize, needed));
        this.buffer = new byte[Math.min(partSize, FIRST_BUFFER)];
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        while (length > 0) {
            if (filled == buffer.length) {
                if (reservation == null) {
                    reservation = memory.reserve(memoryNeeded());
                }
                if (buffer.length < partSize) {
                    buffer = java.util.Arrays.copyOf(buffer, (int) Math.min(partSize, 2L * buffer.length));
                } else {
                    sendFullPart();
                }
            }
            int n = Math.min(length, buffer.length - filled);
            System.arraycopy(bytes, offset, buffer, filled, n);
            filled += n;
            offset += n;
            length -= n;
        }
    }

    /**
     * The most this upload holds at once: its buffer grown to the declared size and one byte more (callers read one
     * byte past it to find longer bodies), or two parts when it goes up in parts.
     */
    private long memoryNeeded() {
        if (size >= partSize) {
            return 2L * partSize;
        }
        long length = buffer.length;
        while (length < Math.min(partSize, size + 1)) {
            length = Math.min(partSize, 2 * length);
        }
        return length;
    }

    /** Makes the object visible, with everything written. */
    void publish() throws IOException {
        try {
            if (uploadId == null) {
                byte[] body = buffer;
                int length = filled;
                S3Calls.run(() -> s3.putObject(b -> b.bucket(bucket).key(key),
                        RequestBody.fromContentProvider(() -> new ByteArrayInputStream(body, 0, length), length,
                                "application/octet-stream")));
            } else {
                if (filled > 0) {
                    send(filled);
                }
                while (!inFlight.isEmpty()) {
                    awaitOldest();
                }
                String id = uploadId;
                S3Calls.run(() -> s3.completeMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id)
                        .multipartUpload(m -> m.parts(completed))));
            }
            done = true;
            release();
        } finally {
            if (!done) {
                close();
            }
        }
    }

    private void release() {
        buffer = new byte[0];
        spare = null;
        if (reservation != null) {
            reservation.close();
        }
    }

    /**
     * Abandons an unpublished upload: nothing of it becomes visible, and S3 drops the parts sent. Parts still being
     * sent are let finish first: S3 may keep a part that arrives after the abort.
     */
    @Override
    public void close() {
        if (done) {
            return;
        }
        done = true;
        try {
            abandon();
        } finally {
            release();
        }
    }

    private void abandon() {
        for (Future<Sent> part : inFlight) {
            try {
                part.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (ExecutionException e) {
                // failed: nothing of it to drop
            }
        }
        if (uploadId != null) {
            String id = uploadId;
            try {
                S3Calls.run(() -> s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(id)));
            } catch (IOException e) {
                // The store's start-up sweep aborts uploads left behind.
            }
        }
    }

    private void sendFullPart() throws IOException {
        if (uploadId == null) {
            uploadId = S3Calls.call(() -> s3.createMultipartUpload(b -> b.bucket(bucket).key(key)).uploadId());
        }
        send(filled);
        if (spare != null) {
            buffer = spare;
            spare = null;
        } else {
            buffer = new byte[partSize];
        }
        filled = 0;
    }

    private void send(int length) throws IOException {
        if (!inFlight.isEmpty()) {
            awaitOldest(); // one part sending while the next is read
        }
        int number = ++partsStarted;
        byte[] body = buffer;
        String id = uploadId;
        inFlight.add(senders.submit(() -> {
            String etag = s3.uploadPart(b -> b.bucket(bucket).key(key).uploadId(id).partNumber(number)
                            .contentLength((long) length),
                    RequestBody.fromContentProvider(() -> new ByteArrayInputStream(body, 0, length), length,
                            "application/octet-stream")).eTag();
            return new Sent(CompletedPart.builder().partNumber(number).eTag(etag).build(), body);
        }));
    }

    private void awaitOldest() throws IOException {
        Future<Sent> oldest = inFlight.removeFirst();
        try {
            Sent sent = oldest.get();
            completed.add(sent.part());
            spare = sent.buffer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending a part to S3");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SdkException sdk) {
                throw S3Calls.failure(sdk);
            }
            throw new IOException("sending a part to S3 failed", e.getCause());
        }
    }
}
