package dev.atrium.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBlobStoreTest {
    @TempDir
    Path root;
    private LocalBlobStore store;

    @BeforeEach
    void open() throws IOException {
        store = new LocalBlobStore(root);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >> 8));
        }
        return b;
    }

    private List<Path> storedFiles() throws IOException {
        Path tmp = root.resolve("tmp");
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.startsWith(tmp)).toList();
        }
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> list = Files.list(root.resolve("tmp"))) {
            return list.toList();
        }
    }

    @Test
    void put_matchingSizeAndHash_storesUnderShardedOidPath() throws Exception {
        byte[] content = bytes("hello blob");
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));

        String hex = oid.hex();
        Path expected = root.resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4)).resolve(hex);
        assertEquals(expected, store.pathOf(oid));
        assertArrayEquals(content, Files.readAllBytes(expected));
        assertEquals(OptionalLong.of(content.length), store.size(oid));
        assertTrue(store.contains(oid));
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void put_contentLargerThanCopyBuffer_isStoredIntact() throws Exception {
        byte[] content = pattern(3 * 1024 * 1024 + 17);
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        try (InputStream in = store.open(oid, 0, Long.MAX_VALUE)) {
            assertArrayEquals(content, in.readAllBytes());
        }
    }

    @Test
    void put_emptyContent_isStored() throws Exception {
        Sha256 oid = Sha256.of(new byte[0]);
        store.put(oid, 0, InputStream.nullInputStream());
        assertEquals(OptionalLong.of(0), store.size(oid));
    }

    @Test
    void put_shaMismatch_throwsAndLeavesNoFile() throws IOException {
        byte[] content = bytes("actual content");
        Sha256 claimed = Sha256.of(bytes("something else"));
        BlobMismatchException e = assertThrows(BlobMismatchException.class,
                () -> store.put(claimed, content.length, new ByteArrayInputStream(content)));
        assertTrue(e.getMessage().contains("sha256"), e.getMessage());
        assertFalse(store.contains(claimed));
        assertFalse(store.contains(Sha256.of(content)));
        assertEquals(List.of(), storedFiles());
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void put_fewerBytesThanDeclared_throwsAndLeavesNoFile() throws IOException {
        byte[] content = bytes("short");
        Sha256 oid = Sha256.of(content);
        BlobMismatchException e = assertThrows(BlobMismatchException.class,
                () -> store.put(oid, content.length + 1, new ByteArrayInputStream(content)));
        assertTrue(e.getMessage().contains("size"), e.getMessage());
        assertFalse(store.contains(oid));
        assertEquals(List.of(), storedFiles());
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void put_moreBytesThanDeclared_throwsWithoutReadingItAllAndLeavesNoFile() throws IOException {
        byte[] content = pattern(4 * 1024 * 1024);
        Sha256 oid = Sha256.of(Arrays.copyOf(content, 10));
        ByteArrayInputStream in = new ByteArrayInputStream(content);
        BlobMismatchException e = assertThrows(BlobMismatchException.class, () -> store.put(oid, 10, in));
        assertTrue(e.getMessage().contains("size"), e.getMessage());
        assertTrue(in.available() > 0, "the whole oversized stream was consumed");
        assertEquals(List.of(), storedFiles());
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void put_streamFails_propagatesAndLeavesNoTempFile() throws IOException {
        InputStream failing = new InputStream() {
            private int served;

            @Override
            public int read() throws IOException {
                if (served++ < 100) {
                    return 'x';
                }
                throw new IOException("connection reset");
            }
        };
        assertThrows(IOException.class, () -> store.put(Sha256.of(new byte[1]), 1000, failing));
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void put_identicalContentTwice_isStoredOnce() throws Exception {
        byte[] content = bytes("same bytes");
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        Object firstFile = Files.readAttributes(store.pathOf(oid), BasicFileAttributes.class).fileKey();

        store.put(oid, content.length, new ByteArrayInputStream(content));
        assertEquals(List.of(store.pathOf(oid)), storedFiles());
        assertEquals(firstFile, Files.readAttributes(store.pathOf(oid), BasicFileAttributes.class).fileKey(),
                "the stored blob was replaced rather than kept");
        assertEquals(List.of(), tempFiles());
    }

    @Test
    void open_range_readsThoseBytesOnly() throws Exception {
        byte[] content = bytes("0123456789");
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        try (InputStream in = store.open(oid, 4, 6)) {
            assertArrayEquals(bytes("456789"), in.readAllBytes());
        }
        try (InputStream in = store.open(oid, 4, 3)) {
            assertArrayEquals(bytes("456"), in.readAllBytes());
        }
        try (InputStream in = store.open(oid, content.length, 0)) {
            assertEquals(-1, in.read());
        }
    }

    /** An upload that has sent {@code first} bytes and waits for {@code go} before sending the rest. */
    private static InputStream held(byte[] content, int first, java.util.concurrent.CountDownLatch started,
                                    java.util.concurrent.CountDownLatch go) {
        return new java.io.SequenceInputStream(new ByteArrayInputStream(content, 0, first), new InputStream() {
            private final InputStream rest = new ByteArrayInputStream(content, first, content.length - first);

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                started.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
                return rest.read(b, off, len);
            }
        });
    }

    /**
     * Every upload's buffers (four of 1 MiB) come out of one budget: with room for two, two uploads under way hold it
     * all, a third waits and, given no room in time, is refused as busy, storing nothing; once they are done it fits.
     */
    @Test
    void uploadsAtOnce_holdNoMoreBufferMemoryThanTheBudget() throws Exception {
        UploadMemory memory = new UploadMemory(8L << 20, java.time.Duration.ofMillis(300));
        LocalBlobStore bounded = new LocalBlobStore(root.resolve("bounded"), true, memory);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(2);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Sha256>> under = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                byte[] content = pattern(3 * (1 << 20) + 1000 * i);
                under.add(clients.submit(() -> {
                    Sha256 oid = Sha256.of(content);
                    bounded.put(oid, content.length, held(content, 1 << 20, started, go));
                    return oid;
                }));
            }
            assertTrue(started.await(10, java.util.concurrent.TimeUnit.SECONDS));
            byte[] third = bytes("a small file still needs its buffers");
            assertThrows(UploadsBusy.class,
                    () -> bounded.put(Sha256.of(third), third.length, new ByteArrayInputStream(third)));
            assertThrows(UploadsBusy.class, () -> bounded.putNamed(out -> {
                out.write(third);
                return new NamedKey(Sha256.of(third).hex());
            }));
            assertFalse(bounded.contains(Sha256.of(third)));
            go.countDown();
            for (var oid : under) {
                assertTrue(bounded.contains(oid.get()));
            }
            assertEquals(8L << 20, memory.peak(), "two uploads' buffers");
            bounded.put(Sha256.of(third), third.length, new ByteArrayInputStream(third));
            assertTrue(bounded.contains(Sha256.of(third)), "given back: the next upload fits");
        } finally {
            go.countDown();
            clients.shutdownNow();
        }
    }

    @Test
    void open_missingBlob_throwsNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> store.open(Sha256.of(bytes("absent")), 0, 1));
    }

    @Test
    void channel_storedBlob_readsContent() throws Exception {
        byte[] content = bytes("channel content");
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        Optional<FileChannel> channel = store.channel(oid);
        assertTrue(channel.isPresent());
        try (FileChannel ch = channel.get()) {
            assertEquals(content.length, ch.size());
            ByteBuffer buffer = ByteBuffer.allocate(7);
            ch.read(buffer, 8);
            assertArrayEquals(bytes("content"), buffer.array());
        }
    }

    @Test
    void channel_missingBlob_isEmpty() throws IOException {
        assertEquals(Optional.empty(), store.channel(Sha256.of(bytes("absent"))));
    }

    @Test
    void size_missingBlob_isEmpty() throws IOException {
        assertEquals(OptionalLong.empty(), store.size(Sha256.of(bytes("absent"))));
        assertFalse(store.contains(Sha256.of(bytes("absent"))));
    }

    @Test
    void removeTempFiles_removesLeftoversButKeepsBlobs_andOpeningAStoreRemovesNothing() throws Exception {
        byte[] content = bytes("kept");
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        Path leftover = root.resolve("tmp").resolve("upload-123.part");
        Files.write(leftover, bytes("half an upload"));

        new LocalBlobStore(root); // as an admin command does while the server runs: an upload in flight survives
        assertTrue(Files.exists(leftover));

        new LocalBlobStore(root).removeTempFiles(); // as the server does at start
        assertFalse(Files.exists(leftover));
        assertEquals(List.of(), tempFiles());
        assertArrayEquals(content, Files.readAllBytes(store.pathOf(oid)));
    }

    @Test
    void constructor_missingRoot_isCreated() throws IOException {
        Path fresh = root.resolve("nested/blobs");
        new LocalBlobStore(fresh);
        assertTrue(Files.isDirectory(fresh.resolve("tmp")));
    }

    /** Stores {@code text} as a blob last written {@code hoursAgo} hours ago. */
    private Sha256 old(String text, int hoursAgo) throws Exception {
        byte[] content = bytes(text);
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        Files.setLastModifiedTime(store.pathOf(oid), java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(java.time.Duration.ofHours(hoursAgo))));
        return oid;
    }

    @Test
    void contentBlobsWrittenBefore_listsOldContentBlobsOnly() throws Exception {
        Sha256 older = old("written two days ago", 48);
        old("written an hour ago", 1);
        Files.write(root.resolve("tmp").resolve("upload-1.part"), bytes("in flight"));
        assertEquals(List.of(older),
                store.contentBlobsWrittenBefore(java.time.Instant.now().minus(java.time.Duration.ofHours(24))));
    }

    @Test
    void deleteIfUnreferenced_checksWithTheBlobOutOfSight_andPutsItBackWhenReferenced() throws Exception {
        Sha256 kept = old("still referenced", 48);
        Sha256 gone = old("referenced by nothing", 48);
        boolean[] visibleDuringCheck = {true};
        assertFalse(store.deleteIfUnreferenced(kept, () -> {
            visibleDuringCheck[0] = Files.exists(store.pathOf(kept));
            return false;
        }));
        assertFalse(visibleDuringCheck[0], "readers cannot find the blob while the reference check runs");
        assertArrayEquals(bytes("still referenced"), Files.readAllBytes(store.pathOf(kept)), "put back whole");
        assertTrue(store.deleteIfUnreferenced(gone, () -> true));
        assertFalse(store.contains(gone));
        assertFalse(store.deleteIfUnreferenced(gone, () -> true), "a missing blob is not deleted twice");
    }

    @Test
    void deleteIfUnreferenced_whenTheSameContentIsUploadedDuringTheCheck_keepsIt() throws Exception {
        Sha256 oid = old("uploaded again meanwhile", 48);
        assertFalse(store.deleteIfUnreferenced(oid, () -> {
            try { // an upload that found it missing writes it again, then links it: the check sees the link
                store.put(oid, bytes("uploaded again meanwhile").length,
                        new ByteArrayInputStream(bytes("uploaded again meanwhile")));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            return false;
        }));
        assertArrayEquals(bytes("uploaded again meanwhile"), Files.readAllBytes(store.pathOf(oid)));
        assertEquals(0, Files.list(root.resolve("gc")).count(), "nothing stays set aside");
    }

    @Test
    void removeTempFiles_putsBackWhatACrashedCollectionHadSetAside() throws Exception {
        Sha256 oid = old("set aside when the server crashed", 48);
        Files.move(store.pathOf(oid), root.resolve("gc").resolve(oid.hex()));
        new LocalBlobStore(root).removeTempFiles();
        assertTrue(store.contains(oid));
    }
}
