package dev.atrium.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalBlobStoreNamedTest {
    private static final NamedKey NAME = new NamedKey("ab".repeat(32));

    @TempDir
    Path root;

    private static byte[] random(int size, long seed) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        return content;
    }

    private static byte[] read(BlobStore store, BlobKey key) throws Exception {
        try (InputStream in = store.open(key, 0, Long.MAX_VALUE)) {
            return in.readAllBytes();
        }
    }

    @Test
    void putNamed_contentWrittenByTheCaller_isStoredUnderTheNameItReturns() throws Exception {
        byte[] content = random(700_000, 5);
        LocalBlobStore store = new LocalBlobStore(root);
        BlobStore.NamedBlob blob = store.putNamed(out -> {
            out.write(content, 0, 1000);
            out.write(content, 1000, content.length - 1000);
            return NAME;
        });
        assertEquals(new BlobStore.NamedBlob(NAME, content.length), blob);
        assertArrayEquals(content, read(store, NAME));
        assertEquals(content.length, store.size(NAME).orElseThrow());
        // Named blobs live apart from SHA-256 blobs: the same hex as a SHA-256 finds nothing.
        assertFalse(store.contains(new Sha256(NAME.hex())));
    }

    @Test
    void putNamed_nameTaken_keepsTheBlobAlreadyThere() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root);
        byte[] first = random(10_000, 1);
        store.putNamed(out -> {
            out.write(first);
            return NAME;
        });
        store.putNamed(out -> {
            out.write(random(10_000, 2));
            return NAME;
        });
        assertArrayEquals(first, read(store, NAME));
    }

    @Test
    void putNamed_writerFails_storesNothing() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root);
        assertThrows(IllegalStateException.class, () -> store.putNamed(out -> {
            out.write(new byte[100_000]);
            throw new IllegalStateException("invalid content");
        }));
        try (Stream<Path> files = Files.walk(root)) {
            assertEquals(0, files.filter(Files::isRegularFile).count());
        }
    }

    @ParameterizedTest
    @CsvSource({"true, 2097152", "true, 3000001", "false, 3000001", "true, 0"})
    void putNamed_manySmallWritesAcrossBuffers_storeTheExactBytes(boolean directIo, int size) throws Exception {
        byte[] content = random(size, size);
        LocalBlobStore store = new LocalBlobStore(root, directIo);
        BlobStore.NamedBlob blob = store.putNamed(out -> {
            for (int offset = 0; offset < content.length; offset += 8 + 65_536) {
                out.write(content, offset, Math.min(8, content.length - offset)); // a chunk header, then its payload
                int payload = Math.min(65_536, content.length - offset - 8);
                if (payload > 0) {
                    out.write(content, offset + 8, payload);
                }
            }
            return NAME;
        });
        assertEquals(content.length, blob.size());
        assertArrayEquals(content, read(store, NAME));
    }

    @Test
    void blobKeys_parseBackFromTheirStorageNames() {
        Sha256 oid = Sha256.of(new byte[] {1});
        assertEquals(oid, BlobKey.parse(oid.storageName()));
        assertEquals(NAME, BlobKey.parse(NAME.storageName()));
        assertThrows(IllegalArgumentException.class, () -> BlobKey.parse("named/xyz"));
    }
}
