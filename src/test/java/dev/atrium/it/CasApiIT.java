package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.HubHttp;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.xorb.CompressionScheme;
import dev.atrium.xet.xorb.XorbWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CAS endpoints at the HTTP level: bad input is rejected with the spec's statuses and stores nothing. */
class CasApiIT {
    private static AtriumProcess server;
    private static HubHttp http;
    private static String writeToken;
    private static String readToken;
    private static String alice;

    @BeforeAll
    static void start() {
        server = AtriumProcess.start();
        http = HubHttp.of(server);
        alice = server.admin().createUserWithToken("alice", "write").token();
        http.send(http.request("/api/repos/create", alice).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"m\"}")));
        writeToken = HubHttp.json(http.get("/api/models/alice/m/xet-write-token/main", alice)).get("accessToken").asText();
        readToken = HubHttp.json(http.get("/api/models/alice/m/xet-read-token/main", alice)).get("accessToken").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static XorbWriter.SerializedXorb xorb(int seed) {
        Random random = new Random(seed);
        List<byte[]> chunks = Stream.generate(() -> {
            byte[] chunk = new byte[20_000];
            random.nextBytes(chunk);
            return chunk;
        }).limit(3).toList();
        return XorbWriter.serialize(chunks, CompressionScheme.LZ4, false);
    }

    private static HttpResponse<String> postXorb(String token, MerkleHash hash, byte[] body) {
        return http.send(http.request("/cas/v1/xorbs/default/" + hash.hex(), null)
                .header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private static long storedFiles() throws Exception {
        try (Stream<Path> files = Files.walk(server.dataDir().resolve("blobs"))) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void uploadXorb_valid_isInsertedOnceAndIdempotent() {
        XorbWriter.SerializedXorb x = xorb(1);
        HttpResponse<String> first = postXorb(writeToken, x.index().hash(), x.bytes());
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(HubHttp.json(first).get("was_inserted").asBoolean());
        assertFalse(HubHttp.json(postXorb(writeToken, x.index().hash(), x.bytes())).get("was_inserted").asBoolean());
    }

    @Test
    void uploadXorb_hashMismatchTruncatedOrGarbage_is400AndStoresNothing() throws Exception {
        long before = storedFiles();
        XorbWriter.SerializedXorb x = xorb(2);
        XorbWriter.SerializedXorb other = xorb(3);
        assertEquals(400, postXorb(writeToken, other.index().hash(), x.bytes()).statusCode());
        assertEquals(400, postXorb(writeToken, x.index().hash(), Arrays.copyOf(x.bytes(), x.bytes().length - 100))
                .statusCode());
        assertEquals(400, postXorb(writeToken, x.index().hash(), new byte[] {1, 2, 3}).statusCode());
        HttpResponse<String> badHash = http.send(http.request("/cas/v1/xorbs/default/not-a-hash", null)
                .header("Authorization", "Bearer " + writeToken).POST(HttpRequest.BodyPublishers.ofByteArray(x.bytes())));
        assertEquals(400, badHash.statusCode());
        assertEquals(before, storedFiles());
    }

    /**
     * Refused before its body is read: the server still reads the body, so the client gets the 400 rather than a
     * connection reset that can destroy the response in flight.
     */
    @Test
    void uploadXorb_refusedBeforeTheBodyIsRead_stillAnswersEveryTime() throws Exception {
        byte[] body = new byte[4 << 20];
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = http.send(http.request("/cas/v1/xorbs/default/not-a-hash", null)
                    .header("Authorization", "Bearer " + writeToken).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
            assertEquals(400, response.statusCode(), "attempt " + i);
        }
    }

    @Test
    void uploadXorb_readTokenOrNoToken_isRefused() {
        XorbWriter.SerializedXorb x = xorb(4);
        assertEquals(403, postXorb(readToken, x.index().hash(), x.bytes()).statusCode());
        assertEquals(401, postXorb("xet_forged.token", x.index().hash(), x.bytes()).statusCode());
        assertEquals(401, postXorb(writeToken.substring(0, writeToken.length() - 2) + "AA", x.index().hash(),
                x.bytes()).statusCode());
    }

    /**
     * A whole upload made the way hf_xet makes it (chunks, xorb, shard), then committed as an LFS pointer: readers
     * cannot reconstruct the file before the commit, and after it both Xet and plain resolve serve its bytes.
     */
    @Test
    void uploadedFile_readableThroughXetOnlyOnceCommitted_andServedByResolve() throws Exception {
        byte[] data = new byte[150_000];
        new Random(9).nextBytes(data);
        List<byte[]> chunks = new java.util.ArrayList<>();
        dev.atrium.xet.chunking.Chunker.chunk(new java.io.ByteArrayInputStream(data), c -> chunks.add(c.data()));
        XorbWriter.SerializedXorb x = XorbWriter.serialize(chunks, CompressionScheme.LZ4, false);
        var index = x.index();
        List<dev.atrium.xet.xorb.XorbChunk> stored = index.chunks();
        MerkleHash fileHash = dev.atrium.xet.hash.XetHashes.fileHash(stored.stream().map(c -> c.hashed()).toList());
        List<MerkleHash> chunkHashes = stored.stream().map(c -> c.hash()).toList();
        var casChunks = stored.stream().map(c -> new dev.atrium.xet.shard.CasChunk(c.hash(), c.unpackedStart(),
                c.size())).toList();
        String sha256 = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(data));
        var file = new dev.atrium.xet.shard.FileReconstruction(fileHash,
                List.of(new dev.atrium.xet.shard.FileTerm(index.hash(), 0, stored.size(), data.length)),
                java.util.Optional.of(List.of(dev.atrium.xet.hash.XetHashes.verificationHash(chunkHashes))),
                java.util.Optional.of(MerkleHash.parse(sha256)));
        var xorbInfo = new dev.atrium.xet.shard.CasInfo(index.hash(), casChunks, data.length, 0, 0);
        byte[] shard = dev.atrium.xet.shard.ShardSerializer.toBytes(
                new dev.atrium.xet.shard.Shard(List.of(file), List.of(xorbInfo)));

        assertEquals(200, postXorb(writeToken, index.hash(), x.bytes()).statusCode());
        HttpResponse<String> registered = http.send(http.request("/cas/v1/shards", null)
                .header("Authorization", "Bearer " + writeToken).POST(HttpRequest.BodyPublishers.ofByteArray(shard)));
        assertEquals(200, registered.statusCode(), registered.body());

        String path = "/cas/v1/reconstructions/" + fileHash.hex();
        assertEquals(404, http.send(http.request(path, null).header("Authorization", "Bearer " + readToken).GET())
                .statusCode(), "readers must not see an uncommitted upload");
        assertEquals(200, http.send(http.request(path, null).header("Authorization", "Bearer " + writeToken).GET())
                .statusCode(), "the uploader may read it back");

        HttpResponse<String> commit = http.send(http.request("/api/models/alice/m/commit/main", alice)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(dev.atrium.it.support.Ndjson.commit("xet file")
                        .raw("{\"key\":\"lfsFile\",\"value\":{\"path\":\"x.bin\",\"algo\":\"sha256\",\"oid\":\""
                                + sha256 + "\",\"size\":" + data.length + "}}").build())));
        assertEquals(200, commit.statusCode(), commit.body());
        assertEquals(200, http.send(http.request(path, null).header("Authorization", "Bearer " + readToken).GET())
                .statusCode(), "committed: readers may reconstruct it");

        HttpResponse<byte[]> resolved = java.net.http.HttpClient.newHttpClient().send(
                http.request("/alice/m/resolve/main/x.bin", null).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, resolved.statusCode());
        assertTrue(Arrays.equals(data, resolved.body()), "resolve rebuilds the file from its chunks");
        assertEquals(fileHash.hex(), resolved.headers().firstValue("X-Xet-Hash").orElseThrow());
    }

    /**
     * Files are kept once by their hash, whoever uploads them first: a shard whose file hash is not that of its own
     * chunks (here: another file's, as someone planting content under a popular file's hash would send) is refused.
     */
    @Test
    void uploadShard_claimingAFileHashItsChunksDoNotHave_is400AndRegistersNothing() throws Exception {
        byte[] victim = random(80_000, 12);
        MerkleHash claimed = dev.atrium.xet.chunking.FileHasher.hash(new java.io.ByteArrayInputStream(victim))
                .fileHash();
        HttpResponse<String> r = uploadThroughXet(random(80_000, 11), claimed, sha256(victim));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("not the file hash"), r.body());
        assertEquals(404, http.send(http.request("/cas/v1/reconstructions/" + claimed.hex(), null)
                .header("Authorization", "Bearer " + writeToken).GET()).statusCode(), "nothing registered");
    }

    /**
     * The SHA-256 in a shard is the client's claim. A false one is accepted at first (checking would read the whole
     * file inside the upload) and replaced once Atrium has read the file: the pointer that carried it then serves
     * nothing, and an honest upload of the same bytes is not blocked by the earlier claim.
     */
    @Test
    void aFalseSha256Claim_isFoundOut_andBlocksNoHonestUpload() throws Exception {
        byte[] data = random(90_000, 21);
        String lie = sha256(random(90_000, 22));
        assertEquals(200, uploadThroughXet(data, null, lie).statusCode());
        // The check runs in the background: it may find the lie out before the commit (which is then refused, as
        // for bytes never uploaded) or after it (the committed pointer then stops serving).
        int status = commit("alice/m", "lie.bin", lie, data.length).statusCode();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (status == 200 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = http.send(http.request("/alice/m/resolve/main/lie.bin", alice).GET()).statusCode();
        }
        assertTrue(status == 404 || status == 400, "once checked, the false pointer leads nowhere: " + status);
        assertTrue(server.logFile() != null && Files.readString(server.logFile()).contains("but its bytes hash to "
                + sha256(data)), "the check says what it found");

        String truth = sha256(data);
        assertEquals(200, uploadThroughXet(data, null, truth).statusCode(), "the honest upload of the same bytes");
        commitPointer("data.bin", truth, data.length);
        assertEquals(truth, sha256(http.bytes("/alice/m/resolve/main/data.bin", alice)));
    }

    /** Two uploads of one file that disagree on its SHA-256 are settled by reading the file, whichever came first. */
    @Test
    void disagreeingClaims_areSettledByTheBytes() throws Exception {
        byte[] data = random(70_000, 31);
        String truth = sha256(data);
        assertEquals(200, uploadThroughXet(data, null, sha256(random(10, 32))).statusCode(), "a false claim first");
        assertEquals(200, uploadThroughXet(data, null, truth).statusCode(), "the true one is accepted after it");
        HttpResponse<String> another = uploadThroughXet(data, null, sha256(random(10, 33)));
        assertEquals(400, another.statusCode(), "another false one is refused: " + another.body());
        assertTrue(another.body().contains("has SHA-256 " + truth), another.body());
        commitPointer("settled.bin", truth, data.length);
        assertEquals(truth, sha256(http.bytes("/alice/m/resolve/main/settled.bin", alice)));
    }

    /**
     * Atrium makes LFS uploads Xet files, reusing a Xet file it already has with that SHA-256: only one whose SHA-256
     * it has checked, or another repo's false claim would decide what Xet clients read for an honest upload here.
     */
    @Test
    void anLfsUpload_neverBecomesAXetFileThatOnlyClaimedItsSha256() throws Exception {
        byte[] real = random(60_000, 41);
        String sha = sha256(real);
        assertEquals(200, uploadThroughXet(random(60_000, 42), null, sha).statusCode(), "a claim in alice/m");
        http.send(http.request("/api/repos/create", alice)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"lfs-only\"}")));
        commitThroughLfs("alice/lfs-only", "real.bin", real);

        String expected = dev.atrium.xet.chunking.FileHasher.hash(new java.io.ByteArrayInputStream(real)).fileHash()
                .hex();
        assertEquals(expected, awaitXetHash("/alice/lfs-only/resolve/main/real.bin"), "made a Xet file from its own bytes");
        assertEquals(sha, sha256(http.bytes("/alice/lfs-only/resolve/main/real.bin", alice)));
    }

    /**
     * Stored bytes lost behind the hub's back (a disk restored from an old backup, a bucket emptied by hand) are a 404
     * that says the content is not stored, as for a plain LFS blob: a file converted from an LFS upload (its chunks are
     * views of the lost blob) and a file uploaded through Xet (its xorb lost), read through resolve and the LFS API.
     */
    @Test
    void aFileWhoseStoredBytesAreGone_is404NotAnInternalError() throws Exception {
        http.send(http.request("/api/repos/create", alice)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"lost\"}")));
        byte[] converted = random(70_000, 51);
        String convertedSha = sha256(converted);
        commitThroughLfs("alice/lost", "converted.bin", converted);
        awaitXetHash("/alice/lost/resolve/main/converted.bin");
        Path blob = server.dataDir().resolve("blobs").resolve(convertedSha.substring(0, 2))
                .resolve(convertedSha.substring(2, 4)).resolve(convertedSha);
        Files.delete(blob);
        assertNotStored(http.get("/alice/lost/resolve/main/converted.bin", alice), convertedSha);

        java.util.Set<Path> before = namedFiles();
        byte[] uploaded = random(90_000, 52);
        String uploadedSha = sha256(uploaded);
        assertEquals(200, uploadThroughXet(uploaded, null, uploadedSha).statusCode());
        commitPointer("alice/m", "lost.bin", uploadedSha, uploaded.length);
        java.util.Set<Path> added = namedFiles();
        added.removeAll(before);
        assertFalse(added.isEmpty(), "the upload stored its xorb");
        for (Path file : added) {
            Files.delete(file);
        }
        assertNotStored(http.get("/alice/m/resolve/main/lost.bin", alice), "xorb");
        String href = lfsBatch("alice/m", "download", uploadedSha, uploaded.length).get("download").get("href")
                .asText();
        assertNotStored(http.send(HttpRequest.newBuilder(java.net.URI.create(href)).GET()), "xorb");
    }

    private static void assertNotStored(HttpResponse<String> answer, String naming) {
        assertEquals(404, answer.statusCode(), answer.body());
        String error = HubHttp.json(answer).get("error").asText();
        assertTrue(error.contains("not stored on this server") && error.contains(naming), answer.body());
        assertFalse(error.contains(server.dataDir().toString()), "where the hub keeps its files is its own: " + error);
    }

    /** Uploads {@code content} through the LFS batch API, as git-lfs does, and commits it as {@code path}. */
    private static void commitThroughLfs(String repo, String path, byte[] content) {
        String sha = sha256(content);
        JsonNode upload = lfsBatch(repo, "upload", sha, content.length).get("upload");
        HttpRequest.Builder put = HttpRequest.newBuilder(java.net.URI.create(upload.get("href").asText()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
        upload.path("header").fields().forEachRemaining(h -> put.header(h.getKey(), h.getValue().asText()));
        assertEquals(200, http.send(put).statusCode());
        commitPointer(repo, path, sha, content.length);
    }

    private static JsonNode lfsBatch(String repo, String operation, String sha256, long size) {
        HttpResponse<String> answer = http.send(http.request("/" + repo + ".git/info/lfs/objects/batch", alice)
                .header("Accept", "application/vnd.git-lfs+json")
                .header("Content-Type", "application/vnd.git-lfs+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"operation\":\"" + operation + "\",\"transfers\":"
                        + "[\"basic\"],\"objects\":[{\"oid\":\"" + sha256 + "\",\"size\":" + size + "}]}")));
        assertEquals(200, answer.statusCode(), answer.body());
        return HubHttp.json(answer).get("objects").get(0).get("actions");
    }

    /** The file's Xet hash, once the background conversion of its LFS upload has made it a Xet file. */
    private static String awaitXetHash(String resolvePath) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        String xetHash = "";
        while (xetHash.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            xetHash = http.send(http.request(resolvePath, alice).method("HEAD", HttpRequest.BodyPublishers.noBody()))
                    .headers().firstValue("X-Xet-Hash").orElse("");
        }
        assertFalse(xetHash.isEmpty(), "converted to a Xet file within 30 s");
        return xetHash;
    }

    private static java.util.Set<Path> namedFiles() throws Exception {
        Path named = server.dataDir().resolve("blobs").resolve("named");
        if (!Files.isDirectory(named)) {
            return new java.util.HashSet<>();
        }
        try (Stream<Path> files = Files.walk(named)) {
            return files.filter(Files::isRegularFile).collect(java.util.stream.Collectors.toSet());
        }
    }

    /**
     * Uploads {@code data} as hf_xet would (chunks, one xorb, a shard), the shard claiming {@code fileHash} (null:
     * the real one) and {@code sha256}.
     */
    private static HttpResponse<String> uploadThroughXet(byte[] data, MerkleHash fileHash, String sha256) {
        List<byte[]> chunks = new java.util.ArrayList<>();
        try {
            dev.atrium.xet.chunking.Chunker.chunk(new java.io.ByteArrayInputStream(data), c -> chunks.add(c.data()));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        XorbWriter.SerializedXorb x = XorbWriter.serialize(chunks, CompressionScheme.LZ4, false);
        List<dev.atrium.xet.xorb.XorbChunk> stored = x.index().chunks();
        MerkleHash claimed = fileHash != null ? fileHash
                : dev.atrium.xet.hash.XetHashes.fileHash(stored.stream().map(c -> c.hashed()).toList());
        var file = new dev.atrium.xet.shard.FileReconstruction(claimed,
                List.of(new dev.atrium.xet.shard.FileTerm(x.index().hash(), 0, stored.size(), data.length)),
                java.util.Optional.of(List.of(dev.atrium.xet.hash.XetHashes.verificationHash(
                        stored.stream().map(c -> c.hash()).toList()))),
                java.util.Optional.of(MerkleHash.parse(sha256)));
        var xorbInfo = new dev.atrium.xet.shard.CasInfo(x.index().hash(), stored.stream().map(c ->
                new dev.atrium.xet.shard.CasChunk(c.hash(), c.unpackedStart(), c.size())).toList(), data.length, 0, 0);
        byte[] shard = dev.atrium.xet.shard.ShardSerializer.toBytes(
                new dev.atrium.xet.shard.Shard(List.of(file), List.of(xorbInfo)));
        assertEquals(200, postXorb(writeToken, x.index().hash(), x.bytes()).statusCode());
        return http.send(http.request("/cas/v1/shards", null)
                .header("Authorization", "Bearer " + writeToken).POST(HttpRequest.BodyPublishers.ofByteArray(shard)));
    }

    private static void commitPointer(String path, String sha256, long size) {
        commitPointer("alice/m", path, sha256, size);
    }

    private static void commitPointer(String repo, String path, String sha256, long size) {
        HttpResponse<String> commit = commit(repo, path, sha256, size);
        assertEquals(200, commit.statusCode(), commit.body());
    }

    private static HttpResponse<String> commit(String repo, String path, String sha256, long size) {
        return http.send(http.request("/api/models/" + repo + "/commit/main", alice)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(dev.atrium.it.support.Ndjson.commit("add " + path)
                        .raw("{\"key\":\"lfsFile\",\"value\":{\"path\":\"" + path + "\",\"algo\":\"sha256\","
                                + "\"oid\":\"" + sha256 + "\",\"size\":" + size + "}}").build())));
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void uploadShardV2_garbage_endsItsStreamWithAnErrorFrame() {
        HttpResponse<String> r = http.send(http.request("/cas/v2/shards", null)
                .header("Authorization", "Bearer " + writeToken)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'H', 'F', 'R', 'E', 'P', 'O'})));
        assertEquals(200, r.statusCode(), "v2 reports failures in the stream");
        String lastLine = r.body().strip().lines().reduce((a, b) -> b).orElseThrow();
        JsonNode last;
        try {
            last = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lastLine);
        } catch (java.io.IOException e) {
            throw new AssertionError("not an NDJSON frame: " + lastLine, e);
        }
        assertEquals("error", last.get("type").asText());
        assertFalse(last.get("retryable").asBoolean());
    }

    @Test
    void uploadShard_garbage_is400() {
        HttpResponse<String> r = http.send(http.request("/cas/v1/shards", null)
                .header("Authorization", "Bearer " + writeToken)
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'H', 'F', 'R', 'E', 'P', 'O'})));
        assertEquals(400, r.statusCode(), r.body());
    }

    @Test
    void uploadShard_referencingAnUnknownXorb_is400AndRegistersNothing() {
        MerkleHash unknownXorb = dev.atrium.xet.hash.XetHashes.chunkHash(new byte[] {42});
        MerkleHash fileHash = dev.atrium.xet.hash.XetHashes.chunkHash(new byte[] {7});
        var file = new dev.atrium.xet.shard.FileReconstruction(fileHash,
                List.of(new dev.atrium.xet.shard.FileTerm(unknownXorb, 0, 1, 100, 0)),
                java.util.Optional.of(List.of(dev.atrium.xet.hash.XetHashes.verificationHash(List.of(unknownXorb)))),
                java.util.Optional.of(dev.atrium.xet.hash.XetHashes.chunkHash(new byte[] {9})));
        byte[] shard = dev.atrium.xet.shard.ShardSerializer.toBytes(
                new dev.atrium.xet.shard.Shard(List.of(file), List.of(), java.util.Optional.empty()));
        HttpResponse<String> r = http.send(http.request("/cas/v1/shards", null)
                .header("Authorization", "Bearer " + writeToken).POST(HttpRequest.BodyPublishers.ofByteArray(shard)));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("not been uploaded"), r.body());
        HttpResponse<String> reconstruction = http.send(http.request("/cas/v1/reconstructions/" + fileHash.hex(), null)
                .header("Authorization", "Bearer " + readToken).GET());
        assertEquals(404, reconstruction.statusCode());
    }

    @Test
    void reconstruction_unknownOrMalformedFile_is404Or400() {
        HttpResponse<String> unknown = http.send(http.request("/cas/v1/reconstructions/" + MerkleHash.ZERO.hex(), null)
                .header("Authorization", "Bearer " + readToken).GET());
        assertEquals(404, unknown.statusCode());
        HttpResponse<String> malformed = http.send(http.request("/cas/v2/reconstructions/xyz", null)
                .header("Authorization", "Bearer " + readToken).GET());
        assertEquals(400, malformed.statusCode());
    }

    @Test
    void batchReconstruction_unknownFilesAreLeftOut_malformedIdsAre400() {
        HttpResponse<String> get = http.send(http.request("/cas/v1/reconstructions?file_id=" + MerkleHash.ZERO.hex(), null)
                .header("Authorization", "Bearer " + readToken).GET());
        assertEquals(200, get.statusCode(), get.body());
        assertEquals(0, HubHttp.json(get).get("files").size());
        HttpResponse<String> post = http.send(http.request("/cas/v1/reconstructions", null)
                .header("Authorization", "Bearer " + readToken)
                .POST(HttpRequest.BodyPublishers.ofString("[{\"prefix\":\"default\",\"hash\":\"nope\"}]")));
        assertEquals(400, post.statusCode(), post.body());
    }

    @Test
    void dedup_unknownChunk_is404() {
        HttpResponse<String> r = http.send(http.request("/cas/v1/chunks/default-merkledb/" + MerkleHash.ZERO.hex(), null)
                .header("Authorization", "Bearer " + readToken).GET());
        assertEquals(404, r.statusCode());
        JsonNode body = HubHttp.json(r);
        assertTrue(body.get("error").asText().contains("not known"));
    }

    @Test
    void fetch_unsignedOrTamperedUrl_is403() {
        XorbWriter.SerializedXorb x = xorb(5);
        postXorb(writeToken, x.index().hash(), x.bytes());
        HttpResponse<String> r = http.send(http.request("/cas/fetch/" + x.index().hash().hex()
                + "?ranges=0-10&expires=9999999999&signature=forged", null).header("Range", "bytes=0-10").GET());
        assertEquals(403, r.statusCode());
    }
}
