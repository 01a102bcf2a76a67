package dev.atrium.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStorePartsTest {
    @TempDir
    Path root;

    private final byte[] content = new byte[10_000];

    {
        new Random(42).nextBytes(content);
    }

    private Sha256 oid() {
        return Sha256.of(content);
    }

    private Sha256 writePart(LocalBlobStore store, int offset, int length) throws Exception {
        return store.writePart(oid(), content.length, offset, length,
                new ByteArrayInputStream(Arrays.copyOfRange(content, offset, offset + length)));
    }

    @Test
    void completeParts_partsInAnyOrder_publishTheWholeObject() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root);
        writePart(store, 8000, 2000);
        Sha256 first = writePart(store, 0, 4000);
        writePart(store, 4000, 4000);
        assertEquals(Sha256.of(Arrays.copyOfRange(content, 0, 4000)), first);
        assertFalse(store.contains(oid()), "nothing is visible before completion");

        store.completeParts(oid(), content.length);

        try (InputStream in = store.open(oid(), 0, Long.MAX_VALUE)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertEquals(0, Files.list(root.resolve("tmp")).count());
    }

    @Test
    void completeParts_missingPart_isRejectedAndLeavesNothing() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root);
        writePart(store, 0, 4000);
        writePart(store, 8000, 2000);

        assertThrows(BlobMismatchException.class, () -> store.completeParts(oid(), content.length));

        assertFalse(store.contains(oid()));
        assertEquals(0, Files.list(root.resolve("tmp")).count());
    }

    @Test
    void writePart_shorterOrLongerThanDeclared_isRejected() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root);
        assertThrows(BlobMismatchException.class, () -> store.writePart(oid(), content.length, 0, 4000,
                new ByteArrayInputStream(new byte[3999])));
        assertThrows(BlobMismatchException.class, () -> store.writePart(oid(), content.length, 0, 4000,
                new ByteArrayInputStream(new byte[4001])));
        assertThrows(BlobMismatchException.class, () -> store.writePart(oid(), content.length, 8000, 4000,
                new ByteArrayInputStream(new byte[4000])));
    }

    @Test
    void completeParts_noPartsAtAll_isRejected() throws IOException {
        LocalBlobStore store = new LocalBlobStore(root);
        assertThrows(BlobMismatchException.class, () -> store.completeParts(oid(), content.length));
    }

    @Test
    void removeTempFiles_removesPartialUploadsLeftByACrash_butOpeningAStoreDoesNot() throws Exception {
        LocalBlobStore store = new LocalBlobStore(root);
        writePart(store, 0, 4000);
        assertTrue(Files.list(root.resolve("tmp")).findAny().isPresent());

        new LocalBlobStore(root); // an admin command while the server runs: a multipart upload goes on
        assertTrue(Files.list(root.resolve("tmp")).findAny().isPresent());

        new LocalBlobStore(root).removeTempFiles(); // the server's start
        assertEquals(0, Files.list(root.resolve("tmp")).count());
    }
}
