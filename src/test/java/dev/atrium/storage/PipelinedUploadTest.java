package dev.atrium.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelinedUploadTest {
    @TempDir
    Path root;

    /** Records what reached the file, so the tests see the writer's side too. */
    private static final class RecordingFile implements TempFile {
        final java.io.ByteArrayOutputStream appended = new java.io.ByteArrayOutputStream();
        final int failAfter;
        boolean forced;

        RecordingFile(int failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public void append(byte[] buffer, int length) throws java.io.IOException {
            if (appended.size() + length > failAfter) {
                throw new java.io.IOException("disk full");
            }
            appended.write(buffer, 0, length);
        }

        @Override
        public void force() {
            forced = true;
        }

        @Override
        public void close() {
        }
    }

    private static void submitAll(PipelinedUpload upload, byte[] content) throws Exception {
        int offset = 0;
        while (offset < content.length) {
            byte[] buffer = upload.buffer();
            int n = Math.min(buffer.length, content.length - offset);
            System.arraycopy(content, offset, buffer, 0, n);
            upload.submit(buffer, n);
            offset += n;
        }
    }

    @Test
    void finish_manyBuffersInOrder_writesAndHashesTheWhole() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024 + 17];
        new Random(3).nextBytes(content);
        ExecutorService executor = Executors.newCachedThreadPool();
        RecordingFile file = new RecordingFile(Integer.MAX_VALUE);
        try (PipelinedUpload upload = new PipelinedUpload(executor, file, 3, 64 * 1024, true)) {
            submitAll(upload, content);
            assertEquals(Sha256.of(content), upload.finish(true));
        } finally {
            executor.shutdown();
        }
        assertArrayEquals(content, file.appended.toByteArray());
        assertTrue(file.forced);
    }

    @Test
    void finish_withoutHashing_writesTheWholeAndReturnsNoDigest() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024 + 17];
        new Random(6).nextBytes(content);
        ExecutorService executor = Executors.newCachedThreadPool();
        RecordingFile file = new RecordingFile(Integer.MAX_VALUE);
        try (PipelinedUpload upload = new PipelinedUpload(executor, file, 3, 64 * 1024, false)) {
            submitAll(upload, content);
            assertNull(upload.finish(true));
        } finally {
            executor.shutdown();
        }
        assertArrayEquals(content, file.appended.toByteArray());
        assertTrue(file.forced);
    }

    @Test
    void submit_afterTheDiskFailed_reportsTheFailureAndNothingHangs() throws Exception {
        byte[] content = new byte[4 * 1024 * 1024];
        ExecutorService executor = Executors.newCachedThreadPool();
        RecordingFile file = new RecordingFile(1024 * 1024);
        try (PipelinedUpload upload = new PipelinedUpload(executor, file, 3, 64 * 1024, true)) {
            java.io.IOException failure = assertThrows(java.io.IOException.class, () -> {
                submitAll(upload, content);
                upload.finish(true);
            });
            assertEquals("disk full", failure.getMessage());
        } finally {
            executor.shutdown();
        }
        assertFalse(file.forced);
    }

    @Test
    void close_beforeFinish_stopsBothThreads() throws Exception {
        ExecutorService executor = Executors.newCachedThreadPool();
        RecordingFile file = new RecordingFile(Integer.MAX_VALUE);
        try (PipelinedUpload upload = new PipelinedUpload(executor, file, 3, 64 * 1024, true)) {
            upload.submit(upload.buffer(), 10);
        }
        executor.shutdown();
        assertTrue(executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS), "workers are done");
        assertFalse(file.forced);
    }

    @Test
    void put_largeContentThroughThePipeline_isStoredAndVerified() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 1];
        new Random(4).nextBytes(content);
        LocalBlobStore store = new LocalBlobStore(root);
        store.put(Sha256.of(content), content.length, new ByteArrayInputStream(content));
        try (InputStream in = store.open(Sha256.of(content), 0, content.length)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        byte[] other = content.clone();
        other[2_000_000] ^= 1;
        assertThrows(BlobMismatchException.class,
                () -> store.put(Sha256.of(content), other.length, new ByteArrayInputStream(other)));
        assertFalse(Files.list(root.resolve("tmp")).findAny().isPresent(), "a mismatch leaves no temp file");
    }
}
