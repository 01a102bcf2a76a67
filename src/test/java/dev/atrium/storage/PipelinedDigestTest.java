package dev.atrium.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelinedDigestTest {
    @TempDir
    Path root;

    @Test
    void finish_manyBuffersInOrder_equalsTheDigestOfTheWhole() throws Exception {
        byte[] content = new byte[5 * 1024 * 1024 + 17];
        new Random(3).nextBytes(content);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (PipelinedDigest digest = new PipelinedDigest(executor, 3, 64 * 1024)) {
            int offset = 0;
            while (offset < content.length) {
                byte[] buffer = digest.buffer();
                int n = Math.min(buffer.length, content.length - offset);
                System.arraycopy(content, offset, buffer, 0, n);
                digest.submit(buffer, n);
                offset += n;
            }
            assertEquals(Sha256.of(content), digest.finish());
        } finally {
            executor.shutdown();
        }
    }

    @Test
    void put_largeContentThroughThePipeline_isStoredAndVerified() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 1];
        new Random(4).nextBytes(content);
        LocalBlobStore store = new LocalBlobStore(root);
        store.put(Sha256.of(content), content.length, new ByteArrayInputStream(content));
        try (InputStream in = store.open(Sha256.of(content), 0)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        byte[] other = content.clone();
        other[2_000_000] ^= 1;
        assertThrows(BlobMismatchException.class,
                () -> store.put(Sha256.of(content), other.length, new ByteArrayInputStream(other)));
        assertFalse(Files.list(root.resolve("tmp")).findAny().isPresent(), "a mismatch leaves no temp file");
    }
}
