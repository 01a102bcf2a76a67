package dev.atrium.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TempFileTest {
    private static final int BUFFER = 1024 * 1024;

    @TempDir
    Path dir;

    private static byte[] random(int size, long seed) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        return content;
    }

    private static void appendInBuffers(TempFile file, byte[] content) throws Exception {
        for (int offset = 0; offset < content.length; offset += BUFFER) {
            int n = Math.min(BUFFER, content.length - offset);
            file.append(Arrays.copyOfRange(content, offset, offset + n), n);
        }
        file.force();
    }

    private Optional<TempFile.Opener> direct() {
        return DirectTempFile.openerFor(dir, BUFFER);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, BUFFER, 3 * BUFFER + 12_345})
    void direct_anyLength_writesTheExactBytes(int size) throws Exception {
        Optional<TempFile.Opener> opener = direct();
        assumeTrue(opener.isPresent(), "this file system has no O_DIRECT");
        byte[] content = random(size, size);
        Path path = Files.createTempFile(dir, "t", ".part");
        try (TempFile file = opener.get().open(path)) {
            appendInBuffers(file, content);
        }
        assertArrayEquals(content, Files.readAllBytes(path));
    }

    @Test
    void direct_appendAfterAShortPiece_isRefused() throws Exception {
        Optional<TempFile.Opener> opener = direct();
        assumeTrue(opener.isPresent(), "this file system has no O_DIRECT");
        try (TempFile file = opener.get().open(Files.createTempFile(dir, "t", ".part"))) {
            file.append(new byte[100], 100);
            assertThrows(IllegalStateException.class, () -> file.append(new byte[BUFFER], BUFFER));
        }
    }

    @Test
    void direct_bufferNotAMultipleOfTheBlockSize_isNotOffered() {
        assertTrue(DirectTempFile.openerFor(dir, 1000).isEmpty());
    }

    @Test
    void buffered_anyLength_writesTheExactBytes() throws Exception {
        ExecutorService flusher = Executors.newCachedThreadPool();
        try {
            byte[] content = random(40 * BUFFER + 7, 1);
            Path path = Files.createTempFile(dir, "t", ".part");
            try (TempFile file = BufferedTempFile.opener(flusher).open(path)) {
                appendInBuffers(file, content);
            }
            assertArrayEquals(content, Files.readAllBytes(path));
        } finally {
            flusher.shutdown();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void blobStore_eitherWriteMode_storesAndVerifies(boolean directIo) throws Exception {
        LocalBlobStore store = new LocalBlobStore(dir.resolve("blobs"), directIo);
        byte[] content = random(5 * BUFFER + 333, 9);
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        try (InputStream in = store.open(oid, 0, Long.MAX_VALUE)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        byte[] tampered = content.clone();
        tampered[4 * BUFFER] ^= 1;
        Sha256 other = Sha256.of(random(10, 10));
        assertThrows(BlobMismatchException.class,
                () -> store.put(other, tampered.length, new ByteArrayInputStream(tampered)));
        try (var temps = Files.list(dir.resolve("blobs").resolve("tmp"))) {
            assertTrue(temps.findAny().isEmpty(), "a mismatch leaves no temp file");
        }
    }
}
