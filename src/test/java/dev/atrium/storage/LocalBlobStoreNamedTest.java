package dev.atrium.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreWrittenTest {
    @TempDir
    Path root;

    @Test
    void putWritten_contentWrittenByTheCaller_isStoredUnderItsHash() throws Exception {
        byte[] content = new byte[700_000];
        new Random(5).nextBytes(content);
        LocalBlobStore store = new LocalBlobStore(root);
        BlobStore.StoredBlob blob = store.putWritten(out -> {
            out.write(content, 0, 1000);
            out.write(content, 1000, content.length - 1000);
        });
        assertEquals(Sha256.of(content), blob.oid());
        assertEquals(content.length, blob.size());
        try (InputStream in = store.open(blob.oid(), 0)) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void putWritten_writerFails_storesNothing() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root);
        assertThrows(IllegalStateException.class, () -> store.putWritten(out -> {
            out.write(new byte[100_000]);
            throw new IllegalStateException("invalid content");
        }));
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(0, files.filter(Files::isRegularFile).count());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"true, 2097152", "true, 3000001", "false, 3000001", "true, 0"})
    void putWritten_manySmallWritesAcrossBuffers_storeTheExactBytes(boolean directIo, int size) throws Exception {
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        LocalBlobStore store = new LocalBlobStore(root, directIo);
        BlobStore.StoredBlob blob = store.putWritten(out -> {
            for (int offset = 0; offset < content.length; offset += 8 + 65_536) {
                out.write(content, offset, Math.min(8, content.length - offset)); // a chunk header, then its payload
                int payload = Math.min(65_536, content.length - offset - 8);
                if (payload > 0) {
                    out.write(content, offset + 8, payload);
                }
            }
        });
        assertEquals(Sha256.of(content), blob.oid());
        assertEquals(content.length, blob.size());
        try (InputStream in = store.open(blob.oid(), 0)) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }
}
