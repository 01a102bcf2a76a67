package dev.atrium.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.S3Server;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The S3 blob store against a real S3 API server (S3Proxy, see {@link S3Server}), with 5 MiB parts so that a few MiB
 * take the multipart paths: every object is checked as a file in the server's bucket folder too.
 */
class S3BlobStoreTest {
    private static final int PART = 5 << 20;
    private static final S3BlobStore.Tuning SMALL = new S3BlobStore.Tuning(PART, 6L << 20, PART);
    private static S3Server server;
    private static S3Client s3;
    private static int folders;

    @TempDir
    Path spool;
    private String prefix;
    private S3BlobStore store;

    @BeforeAll
    static void startServer() {
        server = S3Server.start();
        S3Settings settings = S3Settings.parse("s3://" + S3Server.BUCKET, server.endpoint(), null);
        s3 = S3BlobStore.client(settings, StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)));
    }

    @AfterAll
    static void stopServer() {
        if (s3 != null) {
            s3.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void open() throws IOException {
        prefix = "t" + (++folders) + "/";
        store = storeAt(Clock.systemUTC());
    }

    private S3BlobStore storeAt(Clock clock) throws IOException {
        return new S3BlobStore(s3, S3Server.BUCKET, prefix, spool, SMALL, clock);
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private Path objectFile(String key) {
        return server.bucketDir().resolve(prefix + key);
    }

    private List<String> objectsUnder(String folder) throws IOException {
        Path root = server.bucketDir().resolve(prefix + folder);
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    private int unfinishedUploads() {
        return s3.listMultipartUploads(b -> b.bucket(S3Server.BUCKET).prefix(prefix)).uploads().size();
    }

    private byte[] read(BlobKey key, long offset, long length) throws IOException {
        try (InputStream in = store.open(key, offset, length)) {
            return in.readAllBytes();
        }
    }

    @Test
    void put_multipartContent_isStoredWhole_andRangesReadBack() throws Exception {
        byte[] content = random(3 * PART + 12345, 1);
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));

        assertEquals(content.length, store.size(oid).orElseThrow());
        assertArrayEquals(content, Files.readAllBytes(objectFile("blobs/" + oid.hex())));
        assertArrayEquals(content, read(oid, 0, content.length));
        // across a part boundary, and the last byte
        assertArrayEquals(Arrays.copyOfRange(content, PART - 10, PART + 10), read(oid, PART - 10, 20));
        assertArrayEquals(new byte[] {content[content.length - 1]}, read(oid, content.length - 1, 1));
        assertEquals(0, unfinishedUploads());
    }

    @Test
    void uploadsAtOnce_holdNoMoreMemoryThanTheBudget_andAllComplete() throws Exception {
        // Room for one multipart upload (two parts) at a time: the others wait for it, none holds memory meanwhile.
        UploadMemory memory = new UploadMemory(2L * PART, java.time.Duration.ofMinutes(2));
        S3BlobStore bounded = new S3BlobStore(s3, null, S3Server.BUCKET, prefix, spool, SMALL, memory,
                Clock.systemUTC());
        int uploads = 4;
        java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(uploads);
        try {
            List<java.util.concurrent.Future<Sha256>> stored = new java.util.ArrayList<>();
            for (int i = 0; i < uploads; i++) {
                byte[] content = random(3 * PART + 1000 * i, 40 + i);
                stored.add(clients.submit(() -> {
                    Sha256 oid = Sha256.of(content);
                    bounded.put(oid, content.length, new ByteArrayInputStream(content));
                    return oid;
                }));
            }
            for (var oid : stored) {
                assertTrue(bounded.contains(oid.get()));
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(2L * PART, memory.peak(), "one upload's two parts at a time");
        // Everything was given back: the whole budget can be taken again at once.
        memory.reserve(memory.total()).close();
    }

    @Test
    void anUploadWithNoRoomInTime_isBusy_andStoresNothing() throws Exception {
        UploadMemory memory = new UploadMemory(2L * PART, java.time.Duration.ofMillis(200));
        S3BlobStore bounded = new S3BlobStore(s3, null, S3Server.BUCKET, prefix, spool, SMALL, memory,
                Clock.systemUTC());
        byte[] content = random(PART + 1, 50);
        Sha256 oid = Sha256.of(content);
        try (UploadMemory.Reservation everything = memory.reserve(memory.total())) {
            assertThrows(UploadsBusy.class, () -> bounded.put(oid, content.length, new ByteArrayInputStream(content)));
        }
        assertFalse(bounded.contains(oid));
        assertEquals(0, unfinishedUploads());
        byte[] small = random(100_000, 51); // within the first small buffer: never waits
        try (UploadMemory.Reservation everything = memory.reserve(memory.total())) {
            bounded.put(Sha256.of(small), small.length, new ByteArrayInputStream(small));
        }
        assertTrue(bounded.contains(Sha256.of(small)));
    }

    @Test
    void put_smallAndEmptyContent_isStored() throws Exception {
        for (byte[] content : List.of("small".getBytes(), new byte[0], random(PART, 2))) {
            Sha256 oid = Sha256.of(content);
            store.put(oid, content.length, new ByteArrayInputStream(content));
            assertEquals(content.length, store.size(oid).orElseThrow());
            assertArrayEquals(content, read(oid, 0, content.length));
        }
    }

    @Test
    void put_wrongContent_storesNothingAndLeavesNoUpload() throws Exception {
        for (int size : new int[] {100, 2 * PART + 7}) {
            byte[] content = random(size, size);
            byte[] declared = content.clone();
            declared[size / 2] ^= 1;
            Sha256 oid = Sha256.of(declared);
            BlobMismatchException e = assertThrows(BlobMismatchException.class,
                    () -> store.put(oid, size, new ByteArrayInputStream(content)));
            assertTrue(e.getMessage().contains("sha256 mismatch"), e.getMessage());
            assertTrue(store.size(oid).isEmpty());
        }
        assertEquals(List.of(), objectsUnder("blobs"));
        assertEquals(0, unfinishedUploads());
    }

    @Test
    void put_moreBytesThanDeclared_isRefusedWithoutReadingThemAll() throws Exception {
        byte[] declared = random(PART + 1, 3);
        AtomicLong served = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served.incrementAndGet();
                return 7;
            }
        };
        BlobMismatchException e = assertThrows(BlobMismatchException.class,
                () -> store.put(Sha256.of(declared), declared.length, endless));
        assertTrue(e.getMessage().contains("received more"), e.getMessage());
        assertTrue(served.get() <= declared.length + 256 * 1024, "read " + served.get());
        assertEquals(List.of(), objectsUnder("blobs"));
        assertEquals(0, unfinishedUploads());
    }

    @Test
    void put_fewerBytesThanDeclared_storesNothing() throws Exception {
        byte[] content = random(1000, 4);
        BlobMismatchException e = assertThrows(BlobMismatchException.class,
                () -> store.put(Sha256.of(content), 2000, new ByteArrayInputStream(content)));
        assertTrue(e.getMessage().contains("expected 2000 bytes, received 1000"), e.getMessage());
        assertEquals(List.of(), objectsUnder("blobs"));
    }

    @Test
    void put_contentAlreadyStored_stillChecksTheBody() throws Exception {
        byte[] content = random(1000, 5);
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        store.put(oid, content.length, new ByteArrayInputStream(content));
        byte[] other = content.clone();
        other[0] ^= 1;
        assertThrows(BlobMismatchException.class,
                () -> store.put(oid, content.length, new ByteArrayInputStream(other)));
        assertArrayEquals(content, read(oid, 0, content.length));
    }

    @Test
    void missingBlob_hasNoSize_andOpeningItThrowsNoSuchFile() throws Exception {
        Sha256 absent = Sha256.of("absent".getBytes());
        assertTrue(store.size(absent).isEmpty());
        assertThrows(NoSuchFileException.class, () -> store.open(absent, 0, 10).close());
        assertThrows(NoSuchFileException.class, () -> store.open(absent, 0, 0).close());
        assertTrue(store.channel(absent).isEmpty());
    }

    @Test
    void open_closedBeforeItsEnd_doesNotReadTheRest() throws Exception {
        byte[] content = random(3 * PART, 6);
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        for (int i = 0; i < 60; i++) { // more than the client's connections: an aborted body must not keep one
            try (InputStream in = store.open(oid, 0, content.length)) {
                assertEquals(content[0] & 0xff, in.read());
            }
        }
        assertArrayEquals(Arrays.copyOfRange(content, 100, 200), read(oid, 100, 100));
    }

    @Test
    void putNamed_storesUnderTheWritersName_andAFailedWriterStoresNothing() throws Exception {
        byte[] content = random(PART + 99, 7);
        NamedKey key = new NamedKey("ab".repeat(32));
        BlobStore.NamedBlob stored = store.putNamed(out -> {
            out.write(content);
            return key;
        });
        assertEquals(new BlobStore.NamedBlob(key, content.length), stored);
        assertArrayEquals(content, Files.readAllBytes(objectFile("named/" + key.hex())));
        assertArrayEquals(Arrays.copyOfRange(content, 5, 10), read(key, 5, 5));

        assertThrows(IllegalStateException.class, () -> store.putNamed(out -> {
            out.write(content);
            throw new IllegalStateException("invalid xorb");
        }));
        assertEquals(List.of("ab".repeat(32)), objectsUnder("named"));
        try (Stream<Path> left = Files.list(spool)) {
            assertEquals(0, left.count(), "nothing left in the spool");
        }
    }

    @Test
    void parts_inAnyOrderAndSentTwice_makeTheObject_andThenAreGone() throws Exception {
        byte[] content = random(2 * PART + 1000, 8);
        Sha256 oid = Sha256.of(content);
        long size = content.length;
        int[][] parts = {{2 * PART, 1000}, {0, PART}, {PART, PART}, {0, PART}};
        for (int[] part : parts) {
            Sha256 partHash = store.writePart(oid, size, part[0], part[1],
                    new ByteArrayInputStream(content, part[0], part[1]));
            assertEquals(Sha256.of(Arrays.copyOfRange(content, part[0], part[0] + part[1])), partHash);
        }
        assertTrue(store.size(oid).isEmpty(), "nothing visible before completion");
        store.completeParts(oid, size);
        assertArrayEquals(content, read(oid, 0, size));
        assertEquals(List.of(), objectsUnder("parts"));
        assertEquals(0, unfinishedUploads());
    }

    @Test
    void parts_thatDoNotFormTheObject_areDiscarded() throws Exception {
        byte[] content = random(2 * PART, 9);
        Sha256 oid = Sha256.of(content);
        store.writePart(oid, content.length, 0, PART, new ByteArrayInputStream(content, 0, PART));
        BlobMismatchException gap = assertThrows(BlobMismatchException.class,
                () -> store.completeParts(oid, content.length));
        assertTrue(gap.getMessage().contains("size mismatch"), gap.getMessage());

        byte[] wrong = content.clone();
        wrong[PART + 1] ^= 1;
        store.writePart(oid, content.length, 0, PART, new ByteArrayInputStream(wrong, 0, PART));
        store.writePart(oid, content.length, PART, PART, new ByteArrayInputStream(wrong, PART, PART));
        assertThrows(BlobMismatchException.class, () -> store.completeParts(oid, content.length));
        assertTrue(store.size(oid).isEmpty());
        assertEquals(List.of(), objectsUnder("parts"));
        assertThrows(BlobMismatchException.class, () -> store.completeParts(oid, content.length),
                "no parts at all");
        assertThrows(BlobMismatchException.class,
                () -> store.writePart(oid, content.length, PART, PART + 1, InputStream.nullInputStream()));
        assertThrows(BlobMismatchException.class,
                () -> store.writePart(oid, content.length, 0, 10, new ByteArrayInputStream(content, 0, 11)));
        assertEquals(List.of(), objectsUnder("parts"), "a refused part is not kept");
    }

    @Test
    void deleteIfUnreferenced_asksWithTheBlobOutOfSight_andKeepsAReferencedOne() throws Exception {
        // 12 MiB: over this test's single-copy limit, so setting aside copies part by part
        byte[] content = random(12 << 20, 10);
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        AtomicBoolean sawItGone = new AtomicBoolean();
        assertFalse(store.deleteIfUnreferenced(oid, () -> {
            sawItGone.set(Files.notExists(objectFile("blobs/" + oid.hex())));
            return false;
        }));
        assertTrue(sawItGone.get());
        assertArrayEquals(content, read(oid, 0, content.length), "put back whole");
        assertEquals(List.of(), objectsUnder("gc"));

        assertTrue(store.deleteIfUnreferenced(oid, () -> true));
        assertTrue(store.size(oid).isEmpty());
        assertEquals(List.of(), objectsUnder("gc"));
        assertFalse(store.deleteIfUnreferenced(oid, () -> true), "already gone");
    }

    @Test
    void contentBlobsWrittenBefore_listsContentBlobsOnly() throws Exception {
        byte[] content = "content".getBytes();
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        store.putNamed(out -> {
            out.write(1);
            return new NamedKey("cd".repeat(32));
        });
        Instant later = Instant.now().plusSeconds(5);
        assertEquals(List.of(oid), store.contentBlobsWrittenBefore(later));
        assertEquals(List.of(), store.contentBlobsWrittenBefore(Instant.now().minusSeconds(3600)));
        store.delete(oid);
        assertEquals(List.of(), store.contentBlobsWrittenBefore(later));
    }

    @Test
    void removeTempFiles_sweepsOnlyWhatIsOldEnoughToBeACrashsLeftovers() throws Exception {
        byte[] content = random(PART, 11);
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        // What a crashed node left: a set-aside blob, a part, an unfinished upload.
        s3.copyObject(b -> b.sourceBucket(S3Server.BUCKET).sourceKey(prefix + "blobs/" + oid.hex())
                .destinationBucket(S3Server.BUCKET).destinationKey(prefix + "gc/" + oid.hex() + "/crashed"));
        store.delete(oid);
        store.writePart(oid, 2L * PART, 0, PART, new ByteArrayInputStream(content));
        s3.createMultipartUpload(b -> b.bucket(S3Server.BUCKET).key(prefix + "blobs/" + "ef".repeat(32)));
        Files.writeString(spool.resolve("named-1.part"), "half a xorb");

        store.removeTempFiles(); // now: all of it may be another node's work in progress
        assertEquals(List.of(oid.hex() + "/crashed"), objectsUnder("gc"));
        assertEquals(List.of(oid), store.setAside());
        assertEquals(1, objectsUnder("parts").size());
        assertEquals(1, unfinishedUploads());
        try (Stream<Path> left = Files.list(spool)) {
            assertEquals(0, left.count(), "this node's own spool is cleared at once");
        }

        Clock threeDaysOn = Clock.fixed(Instant.now().plus(Duration.ofDays(3)), ZoneOffset.UTC);
        storeAt(threeDaysOn).removeTempFiles();
        assertEquals(List.of(), objectsUnder("gc"));
        assertEquals(List.of(), store.setAside());
        assertArrayEquals(content, read(oid, 0, content.length), "the set-aside blob is back");
        assertEquals(List.of(), objectsUnder("parts"));
        assertEquals(0, unfinishedUploads());
    }

    @Test
    void open_missingBucketOrWrongSecret_failsAtStartSayingWhy() throws Exception {
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY));
        IOException missing = assertThrows(IOException.class, () -> S3BlobStore.open(
                S3Settings.parse("s3://no-such-bucket/hub", server.endpoint(), null), spool, credentials));
        assertTrue(missing.getMessage().contains("cannot use the bucket s3://no-such-bucket/hub/"),
                missing.getMessage());
        IOException refused = assertThrows(IOException.class, () -> S3BlobStore.open(
                S3Settings.parse("s3://" + S3Server.BUCKET, server.endpoint(), null), spool,
                StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Server.ACCESS_KEY, "wrong"))));
        assertTrue(refused.getMessage().contains("403"), refused.getMessage());
        S3BlobStore.open(S3Settings.parse("s3://" + S3Server.BUCKET + "/ok", server.endpoint(), null), spool,
                credentials);
    }

    @Test
    void blobCopy_localToBucketAndBack_copiesEveryBlobOnce_andLeavesOutCorruptOnes() throws Exception {
        LocalBlobStore local = new LocalBlobStore(spool.resolve("local"));
        byte[] big = random(2 * PART + 5, 13);
        byte[] empty = new byte[0];
        byte[] corrupt = random(1000, 14);
        for (byte[] content : List.of(big, empty, corrupt)) {
            local.put(Sha256.of(content), content.length, new ByteArrayInputStream(content));
        }
        NamedKey xorb = new NamedKey("0f".repeat(32));
        byte[] xorbBytes = random(PART + 3, 15);
        local.putNamed(out -> {
            out.write(xorbBytes);
            return xorb;
        });
        byte[] flipped = corrupt.clone();
        flipped[0] ^= 1;
        Files.write(local.pathOf(Sha256.of(corrupt)), flipped); // a disk error, say

        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        BlobCopy.Report first = BlobCopy.copy(local, store, new java.io.PrintStream(log));
        assertEquals(3, first.copied());
        assertEquals(big.length + xorbBytes.length, first.copiedBytes());
        assertEquals(1, first.failed().size());
        assertTrue(first.failed().get(0).startsWith(Sha256.of(corrupt).hex() + ": sha256 mismatch"),
                first.failed().toString());
        assertArrayEquals(big, read(Sha256.of(big), 0, big.length));
        assertEquals(0, store.size(Sha256.of(empty)).orElseThrow());
        assertArrayEquals(xorbBytes, read(xorb, 0, xorbBytes.length));
        assertTrue(store.size(Sha256.of(corrupt)).isEmpty(), "a corrupt blob is not copied");

        BlobCopy.Report again = BlobCopy.copy(local, store, new java.io.PrintStream(log));
        assertEquals(0, again.copied());
        assertEquals(3, again.skipped());

        // A blob a collection has set aside (here: as a crash left it) is not copied, and the copy says so.
        Sha256 bigOid = Sha256.of(big);
        assertFalse(local.deleteIfUnreferenced(bigOid, () -> {
            try {
                BlobCopy.Report during = BlobCopy.copy(local, new LocalBlobStore(spool.resolve("during")),
                        new java.io.PrintStream(log));
                assertEquals(1, during.failed().stream().filter(f -> f.startsWith(bigOid.hex() + ": set aside"))
                        .count(), during.failed().toString());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return false;
        }));

        LocalBlobStore back = new LocalBlobStore(spool.resolve("back"));
        BlobCopy.Report reverse = BlobCopy.copy(store, back, new java.io.PrintStream(log));
        assertEquals(new BlobCopy.Report(3, big.length + xorbBytes.length, 0, 0, List.of()), reverse);
        assertArrayEquals(big, Files.readAllBytes(back.pathOf(Sha256.of(big))));
        assertArrayEquals(xorbBytes, Files.readAllBytes(back.pathOf(xorb)));
    }

    /** The test's store, with download redirects turned on. */
    private S3BlobStore redirecting() throws IOException {
        S3Settings settings = S3Settings.parse("s3://" + S3Server.BUCKET, server.endpoint(), null)
                .withDownloads(new S3Settings.Downloads(true, null));
        var credentials = StaticCredentialsProvider.create(
                AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY));
        return new S3BlobStore(s3, S3BlobStore.presigner(settings, credentials), S3Server.BUCKET, prefix, spool, SMALL,
                Clock.systemUTC());
    }

    @Test
    void directRange_givesAUrlForThatRangeAlone() throws Exception {
        byte[] content = random(1000, 17);
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        assertTrue(store.directRange(oid, "bytes=10-19").isEmpty(), "off unless asked for");

        S3BlobStore redirecting = redirecting();
        java.net.URI url = redirecting.directRange(oid, "bytes=10-19").orElseThrow().url();
        var client = java.net.http.HttpClient.newHttpClient();
        var signed = client.send(java.net.http.HttpRequest.newBuilder(url).header("Range", "bytes=10-19").build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, signed.statusCode());
        assertArrayEquals(java.util.Arrays.copyOfRange(content, 10, 20), signed.body());
        for (String other : new String[] {"bytes=0-999", "bytes=10-20", null}) {
            var builder = java.net.http.HttpRequest.newBuilder(url);
            if (other != null) {
                builder.header("Range", other);
            }
            assertEquals(403, client.send(builder.build(), java.net.http.HttpResponse.BodyHandlers.discarding())
                    .statusCode(), String.valueOf(other));
        }
    }

    @Test
    void directDownload_onlyWithRedirects_givesAUrlAnyoneCanFetch_offTheHubsHost() throws Exception {
        byte[] content = random(1000, 16);
        Sha256 oid = Sha256.of(content);
        store.put(oid, content.length, new ByteArrayInputStream(content));
        assertTrue(store.directDownload(oid, "attachment").isEmpty(), "off unless asked for");

        S3BlobStore redirecting = redirecting();
        BlobStore.DirectDownload direct = redirecting.directDownload(oid, "attachment; filename=\"x.bin\"")
                .orElseThrow();
        assertEquals(S3BlobStore.DOWNLOAD_URL_LIFETIME, direct.validFor());
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(direct.url()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertArrayEquals(content, response.body());
        assertEquals("attachment; filename=\"x.bin\"",
                response.headers().firstValue("Content-Disposition").orElseThrow());

        assertTrue(direct.leaves("https://hub.example.com"));
        assertFalse(direct.leaves("http://127.0.0.1:8080"), "same host name, another port: not handed out");
        var elsewhere = new BlobStore.DirectDownload(java.net.URI.create("https://s3.example.com/b/k?X-Amz-Signature=1"),
                S3BlobStore.DOWNLOAD_URL_LIFETIME);
        assertTrue(elsewhere.leaves("http://my_hub:8080"), "a host name Java's URI does not parse");
        assertFalse(elsewhere.leaves("https://user@S3.example.com:8443/x"), "case and user info aside, the same");
        assertFalse(new BlobStore.DirectDownload(java.net.URI.create("http://[::1]:9000/b/k"),
                S3BlobStore.DOWNLOAD_URL_LIFETIME).leaves("http://[::1]:8080"));
        assertFalse(elsewhere.leaves("not a url"), "when in doubt, stream");
    }

    @Test
    void put_largerThanObjectStorageTakes_isRefusedBeforeAnythingIsSent() throws Exception {
        byte[] some = random(100, 17);
        IOException e = assertThrows(IOException.class, () -> store.put(Sha256.of(some), S3ObjectUpload.MAX_SIZE + 1,
                new ByteArrayInputStream(some)));
        assertTrue(e.getMessage().contains("at most"), e.getMessage());
        // A huge declared size costs no memory up front: the buffer grows with what arrives.
        assertThrows(BlobMismatchException.class, () -> store.put(Sha256.of(some), S3ObjectUpload.MAX_SIZE,
                new ByteArrayInputStream(some)));
        assertEquals(0, unfinishedUploads());
    }

    @Test
    void put_concurrentIdenticalUploads_leaveOneIntactObject() throws Exception {
        byte[] content = random(2 * PART + 3, 12);
        Sha256 oid = Sha256.of(content);
        Thread[] threads = new Thread[3];
        Exception[] failures = new Exception[threads.length];
        for (int i = 0; i < threads.length; i++) {
            int n = i;
            threads[i] = new Thread(() -> {
                try {
                    // a slow body, so the uploads overlap
                    InputStream slow = new SequenceInputStream(new ByteArrayInputStream(content, 0, PART),
                            new ByteArrayInputStream(content, PART, content.length - PART));
                    store.put(oid, content.length, slow);
                } catch (Exception e) {
                    failures[n] = e;
                }
            });
            threads[i].start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (Exception failure : failures) {
            if (failure != null) {
                throw failure;
            }
        }
        assertArrayEquals(content, read(oid, 0, content.length));
        assertEquals(0, unfinishedUploads());
    }
}
