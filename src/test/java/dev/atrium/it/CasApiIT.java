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
        byte[] data = new byte[80_000];
        new Random(11).nextBytes(data);
        List<byte[]> chunks = new java.util.ArrayList<>();
        dev.atrium.xet.chunking.Chunker.chunk(new java.io.ByteArrayInputStream(data), c -> chunks.add(c.data()));
        XorbWriter.SerializedXorb x = XorbWriter.serialize(chunks, CompressionScheme.LZ4, false);
        List<dev.atrium.xet.xorb.XorbChunk> stored = x.index().chunks();
        byte[] victim = new byte[80_000];
        new Random(12).nextBytes(victim);
        MerkleHash claimed = dev.atrium.xet.chunking.FileHasher.hash(new java.io.ByteArrayInputStream(victim))
                .fileHash();
        var file = new dev.atrium.xet.shard.FileReconstruction(claimed,
                List.of(new dev.atrium.xet.shard.FileTerm(x.index().hash(), 0, stored.size(), data.length)),
                java.util.Optional.of(List.of(dev.atrium.xet.hash.XetHashes.verificationHash(
                        stored.stream().map(c -> c.hash()).toList()))),
                java.util.Optional.of(MerkleHash.parse(java.util.HexFormat.of().formatHex(
                        java.security.MessageDigest.getInstance("SHA-256").digest(victim)))));
        var xorbInfo = new dev.atrium.xet.shard.CasInfo(x.index().hash(), stored.stream().map(c ->
                new dev.atrium.xet.shard.CasChunk(c.hash(), c.unpackedStart(), c.size())).toList(), data.length, 0, 0);
        byte[] shard = dev.atrium.xet.shard.ShardSerializer.toBytes(
                new dev.atrium.xet.shard.Shard(List.of(file), List.of(xorbInfo)));
        assertEquals(200, postXorb(writeToken, x.index().hash(), x.bytes()).statusCode());
        HttpResponse<String> r = http.send(http.request("/cas/v1/shards", null)
                .header("Authorization", "Bearer " + writeToken).POST(HttpRequest.BodyPublishers.ofByteArray(shard)));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("not the file hash"), r.body());
        assertEquals(404, http.send(http.request("/cas/v1/reconstructions/" + claimed.hex(), null)
                .header("Authorization", "Bearer " + writeToken).GET()).statusCode(), "nothing registered");
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
