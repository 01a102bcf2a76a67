package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.it.support.AdminCli;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.GitClient;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.Proc;
import dev.atrium.it.support.PythonClient;
import dev.atrium.it.support.S3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Atrium with its large files in S3-compatible object storage ({@code --blob-store s3://...}, here S3Proxy, a real
 * S3 API server): uploads through LFS (single and multipart, Python and JS clients, git-lfs) and Xet
 * (hf_xet, with deduplication), downloads through every path (resolve, LFS, Xet reconstruction, xorb ranges), and
 * the garbage collection, with nothing of it on the server's own disk.
 */
class S3StorageIT {
    private static final String FOLDER = "hub/";

    @Test
    void realClients_largeFilesInObjectStorage_roundTripByteForByte() throws Exception {
        PythonClient python = Clients.python();
        GitClient git = Clients.git();
        try (S3Server s3 = S3Server.start()) {
            List<String> args = new ArrayList<>(s3.serveArgs(FOLDER));
            // Parts of 5 MiB from 5 MB on: the Python client's 15 MiB file is uploaded in three.
            args.addAll(List.of("--lfs-multipart-threshold", "5000000", "--lfs-part-size", "5242880"));
            try (AtriumProcess server = AtriumProcess.startWithEnvironment(s3.credentialsEnvironment(),
                    args.toArray(String[]::new))) {
                String alice = server.admin().createUserWithToken("alice", "write").token();
                String bob = server.admin().createUserWithToken("bob", "write").token();

                python.script("hub_roundtrip.py", server.baseUrl(), alice, ItPaths.newTempDir("s3-hub"))
                        .env("HF_HUB_DISABLE_XET", "1").runChecked();
                for (int part = 1; part <= 3; part++) {
                    assertTrue(server.served("PUT /alice/py-roundtrip-model.git/info/lfs/objects/[0-9a-f]{64}/15728640"
                            + "/part/" + part + " 200 .*"), "part " + part);
                }
                assertTrue(server.served("POST /alice/py-roundtrip-model.git/info/lfs/objects/[0-9a-f]{64}/15728640"
                        + " 200 .*"), "the parts were completed");

                Clients.node().hubRoundtrip(server, alice, "alice/js-s3-model");

                Path work = ItPaths.newTempDir("s3-xet");
                Proc.Result xet = python.script("xet_roundtrip.py", server.baseUrl(), alice, work)
                        .removeEnv("HF_HUB_DISABLE_XET")
                        .env("ATRIUM_IT_XET", "default")
                        // XetIT uploads the 200 MB; over the bucket, 80 MB (two xorbs) tell as much.
                        .env("ATRIUM_IT_XET_BIG_MB", "80")
                        .env("ATRIUM_BLOBS_DIR", s3.bucketDir().resolve(FOLDER).toString())
                        .env("HF_TOKEN_OTHER", bob)
                        .runChecked();
                JsonNode summary = new ObjectMapper().readTree(xet.stdout().lines().reduce((a, b) -> b).orElseThrow());
                assertTrue(server.served("POST /cas/v1/xorbs/default/[0-9a-f]{64} 200 .*"), "xorbs were uploaded");
                assertTrue(server.served("GET /cas/fetch/[0-9a-f]{64} 206 .*"), "xorb ranges were fetched");

                // git-lfs downloads the Xet files rebuilt from chunks read out of the bucket, and pushes a new one.
                Path clone = git.cloneRepo(GitClient.cloneUrl(server.baseUrl(), alice, "alice/xet-model"),
                        work.resolve("clone"));
                assertEquals(summary.get("big_sha256").asText(), ItPaths.sha256(clone.resolve("big.bin")));
                assertEquals(summary.get("fifty_sha256").asText(), ItPaths.sha256(clone.resolve("weights/fifty.bin")));
                byte[] pushed = new byte[12 << 20];
                new Random(42).nextBytes(pushed);
                Files.write(clone.resolve("pushed.bin"), pushed);
                git.run(clone, "lfs", "track", "pushed.bin");
                git.run(clone, "add", ".gitattributes", "pushed.bin");
                git.run(clone, "commit", "-q", "-m", "A file pushed with git-lfs");
                git.run(clone, "push", "-q", "origin", "main");
                Path second = git.cloneRepo(GitClient.cloneUrl(server.baseUrl(), alice, "alice/xet-model"),
                        work.resolve("second-clone"));
                assertEquals(sha256(pushed), ItPaths.sha256(second.resolve("pushed.bin")));

                Proc.Result js = Clients.node().script("download-sha256.mjs", "big.bin", "pushed.bin")
                        .env("HUB_URL", server.baseUrl()).env("HF_TOKEN", alice).env("REPO", "alice/xet-model")
                        .runChecked();
                JsonNode jsSums = new ObjectMapper().readTree(js.stdout().lines().reduce((a, b) -> b).orElseThrow());
                assertEquals(summary.get("big_sha256").asText(), jsSums.get("big.bin").asText());
                assertEquals(sha256(pushed), jsSums.get("pushed.bin").asText());

                assertEquals(List.of(), filesUnder(server.dataDir().resolve("blobs")), "nothing on the local disk");
                assertEquals(List.of(), filesUnder(server.dataDir().resolve("tmp/blobs")), "the spool is empty");
                assertTrue(s3.bytesUnder(FOLDER + "blobs") > 15 << 20, "LFS blobs in the bucket");
                assertTrue(s3.bytesUnder(FOLDER + "named") > 130_000_000, "xorbs in the bucket");
                assertEquals(0, s3.bytesUnder(FOLDER + "parts"), "parts are gone once completed");

                // A deleted repo's files are collected from the bucket (with what earlier scripts left unreferenced).
                python.script("lfs_storage.py", server.baseUrl(), alice, ItPaths.newTempDir("s3-lfs-storage"))
                        .removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default")
                        .env("TOKEN_READ", server.admin().createToken("alice", "read")).env("TOKEN_BOB", bob)
                        .runChecked();
                long withDeleted = s3.bytesUnder(FOLDER + "blobs") + s3.bytesUnder(FOLDER + "named");
                String gc = server.admin().run(List.of("gc", "--grace-hours", "0", "--apply")).stdout();
                Matcher freed = Pattern.compile("unused xorbs \\((\\d+) bytes\\), (\\d+) unused LFS blobs \\((\\d+) bytes")
                        .matcher(gc);
                assertTrue(freed.find() && Long.parseLong(freed.group(2)) >= 1, gc);
                long after = s3.bytesUnder(FOLDER + "blobs") + s3.bytesUnder(FOLDER + "named");
                assertTrue(after < withDeleted, withDeleted + " -> " + after);
                assertEquals(Long.parseLong(freed.group(1)) + Long.parseLong(freed.group(3)), withDeleted - after,
                        "the bucket shrank by what the collection says it freed: " + gc);
                assertEquals(0, s3.bytesUnder(FOLDER + "gc"), "nothing left set aside");

                // What is still referenced still downloads after the collection: an LFS blob, a Xet file's chunks.
                Proc.Result again = Clients.node().script("download-sha256.mjs", "pushed.bin", "big.bin")
                        .env("HUB_URL", server.baseUrl()).env("HF_TOKEN", alice).env("REPO", "alice/xet-model")
                        .runChecked();
                JsonNode afterGc = new ObjectMapper().readTree(again.stdout().lines().reduce((a, b) -> b).orElseThrow());
                assertEquals(sha256(pushed), afterGc.get("pushed.bin").asText());
                assertEquals(summary.get("big_sha256").asText(), afterGc.get("big.bin").asText());

                // A backup holds the metadata and the repositories; the bucket is left to its own tools, as it says.
                Path backup = ItPaths.newTempDir("s3-backup").resolve("backup");
                String made = server.admin().run(List.of("backup", "--to", backup.toString())).stdout();
                assertTrue(made.contains("note: the large files are in object storage"), made);
                assertTrue(Files.isRegularFile(backup.resolve("atrium.db")) && !Files.exists(backup.resolve("blobs")),
                        made);
            }
        }
    }

    /**
     * A hub that started on its local disk moves its large files into a bucket with {@code admin copy-blobs}: once
     * while it runs, once more after it stopped (only what was uploaded meanwhile is copied), then it serves from the
     * bucket, its local copies gone, and the clients get the same bytes through Xet and through resolve.
     */
    @Test
    void copyBlobs_localHubMovesIntoABucket_andServesTheSameBytesFromIt() throws Exception {
        PythonClient python = Clients.python();
        String files = "xet.bin:6000000:1,lfs.bin:7000000:2,late.bin:3000000:3";
        try (S3Server s3 = S3Server.start()) {
            Path data = ItPaths.newTempDir("moving-hub");
            String token;
            try (AtriumProcess local = AtriumProcess.startOn(data)) {
                token = local.admin().createUserWithToken("alice", "write").token();
                upload(python, local, token, files, "xet.bin", true);
                upload(python, local, token, files, "lfs.bin", false);
                AdminCli admin = new AdminCli(data, List.of(), s3.credentialsEnvironment());
                List<String> copy = List.of("copy-blobs", "--to", "s3://" + S3Server.BUCKET + "/moved",
                        "--s3-endpoint", s3.endpoint());
                String first = admin.run(copy).stdout();
                assertTrue(first.matches("(?s)copied [1-9]\\d* blobs .* 0 were there already, .* 0 failed.*"), first);
                upload(python, local, token, files, "late.bin", false); // while the first copy was made
                local.stop();
                String second = admin.run(copy).stdout();
                assertTrue(second.startsWith("copied 1 blobs (3000000 bytes)") && second.contains(", 0 failed"),
                        second);
            }
            ItPaths.deleteRecursively(data.resolve("blobs"));
            try (AtriumProcess moved = AtriumProcess.startOn(data, s3.credentialsEnvironment(),
                    s3.serveArgs("moved").toArray(String[]::new))) {
                for (boolean xet : new boolean[] {true, false}) {
                    Proc check = python.script("blob_move.py", moved.baseUrl(), token, ItPaths.newTempDir("moved"))
                            .env("REPO", "alice/moving").env("FILES", files).env("PHASE", "check");
                    (xet ? check.removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default") : check)
                            .runChecked();
                }
                assertTrue(moved.served("GET /cas/fetch/[0-9a-f]{64} 206 .*"), "hf_xet read xorbs from the bucket");
                assertTrue(moved.served("GET /alice/moving/resolve/[^ ]+/lfs.bin 200 .*"), "resolve served them too");
            } finally {
                ItPaths.deleteRecursively(data);
            }
        }
    }

    /**
     * With {@code --s3-redirect-downloads}, large files come straight from the bucket: {@code resolve} and the LFS
     * object URL answer 302 to a presigned URL once their access checks pass, and the Python client, the JS client
     * and git-lfs fetch it (without their token) and get the same bytes, as hf_xet does the ranges of xorbs. Private
     * repos stay private: the URL is only handed to who may download.
     */
    @Test
    void redirectedDownloads_clientsFetchLargeFilesStraightFromTheBucket() throws Exception {
        PythonClient python = Clients.python();
        GitClient git = Clients.git();
        try (S3Server s3 = S3Server.start()) {
            List<String> args = new ArrayList<>(s3.serveArgs("direct"));
            // Clients reach the store by another host name than the hub: the Python client sends its token along
            // redirects to the hub's host name, whatever the port.
            String publicEndpoint = s3.endpoint().replace("127.0.0.1", "localhost");
            args.addAll(List.of("--s3-redirect-downloads", "--s3-public-endpoint", publicEndpoint));
            try (AtriumProcess server = AtriumProcess.startWithEnvironment(s3.credentialsEnvironment(),
                    args.toArray(String[]::new))) {
                String alice = server.admin().createUserWithToken("alice", "write").token();
                python.script("hub_roundtrip.py", server.baseUrl(), alice, ItPaths.newTempDir("s3-direct"))
                        .env("HF_HUB_DISABLE_XET", "1").runChecked();
                assertTrue(server.served("GET /alice/py-roundtrip-model/resolve/[^ ]+/weights/model.bin 302 .*"),
                        "resolve redirected the Python client to the bucket");
                // Through LFS: a file stored as one object is what resolve can send to the bucket.
                Clients.node().hubRoundtrip(server, alice, "alice/js-direct", false);
                assertTrue(server.served("GET /alice/js-direct/resolve/[^ ]+ 302 .*"),
                        "resolve redirected the JS client to the bucket");
                // The Python client as installed, through Xet: the hub checks each signed xorb URL and counts its
                // bytes, then hf_xet follows the redirect to the bucket with its Range header.
                String carol = server.admin().createUserWithToken("carol", "write").token();
                python.script("hub_roundtrip.py", server.baseUrl(), carol, ItPaths.newTempDir("s3-direct-xet"))
                        .removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default").runChecked();
                assertTrue(server.served("GET /cas/fetch/[0-9a-f]{64} 302 .*"), "hf_xet was redirected to the bucket");
                assertFalse(server.served("GET /cas/fetch/[0-9a-f]{64} 206 .*"), "no xorb bytes came through the hub");
                assertRedirectedXorbUrlsHoldTheirRange(server, carol);

                Path clone = git.cloneRepo(GitClient.cloneUrl(server.baseUrl(), alice, "alice/py-roundtrip-model"),
                        ItPaths.newTempDir("s3-direct-git").resolve("clone"));
                String listed = git.run(clone, "lfs", "ls-files", "-l").stdout();
                int checked = 0;
                for (String line : listed.lines().toList()) {
                    String[] fields = line.split(" [-*] ", 2); // "<oid> - <path>"
                    assertEquals(fields[0], ItPaths.sha256(clone.resolve(fields[1])), line);
                    checked++;
                }
                assertTrue(checked > 0, "the clone has LFS files: " + listed);
                assertTrue(server.served("GET /alice/py-roundtrip-model.git/info/lfs/objects/[0-9a-f]{64}/\\d+ 302 .*"),
                        "git-lfs was redirected to the bucket");

                // Without the right to download, no URL: a private repo's file is a 404 to a stranger.
                String bob = server.admin().createUserWithToken("bob", "write").token();
                HubHttp http = HubHttp.of(server);
                assertEquals(200, http.send(http.request("/api/models/alice/py-roundtrip-model/settings", alice)
                        .header("Content-Type", "application/json")
                        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"private\": true}"))).statusCode());
                var refused = http.send(http.request("/alice/py-roundtrip-model/resolve/main/weights/model.bin", bob)
                        .GET());
                assertEquals(404, refused.statusCode());
                assertTrue(refused.headers().firstValue("Location").isEmpty());
                var allowed = http.send(http.request("/alice/py-roundtrip-model/resolve/main/weights/model.bin",
                        alice).method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));
                assertEquals(302, allowed.statusCode());
                assertTrue(allowed.headers().firstValue("Location").orElseThrow().startsWith(publicEndpoint + "/"
                        + S3Server.BUCKET + "/direct/blobs/"), allowed.headers().map().toString());
                // The URL itself is the authority: fetched with no token at all, it gives the file, with a Range too.
                String location = allowed.headers().firstValue("Location").orElseThrow();
                String etag = allowed.headers().firstValue("X-Linked-Etag").orElseThrow().replace("\"", "");
                long size = Long.parseLong(allowed.headers().firstValue("X-Linked-Size").orElseThrow());
                var anyone = java.net.http.HttpClient.newHttpClient();
                var whole = anyone.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(location)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, whole.statusCode());
                assertEquals(size, whole.body().length);
                assertEquals(etag, sha256(whole.body()));
                var range = anyone.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(location))
                        .header("Range", "bytes=10-19").build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(206, range.statusCode());
                assertEquals(sha256(java.util.Arrays.copyOfRange(whole.body(), 10, 20)), sha256(range.body()));
            }
        }
    }

    /**
     * A xorb may hold chunks of files the reader may not read, so the bucket's URL is signed with the Range the hub
     * checked: the same URL with another range, or none, is refused by the store itself.
     */
    private static void assertRedirectedXorbUrlsHoldTheirRange(AtriumProcess server, String token) throws Exception {
        HubHttp http = HubHttp.of(server);
        var head = http.send(http.request("/carol/py-roundtrip-model/resolve/main/weights/model.bin", token)
                .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()));
        String fileHash = head.headers().firstValue("X-Xet-Hash").orElseThrow(() -> new AssertionError(
                "uploaded through Xet: " + head.headers().map()));
        String access = HubHttp.json(http.get("/api/models/carol/py-roundtrip-model/xet-read-token/main", token))
                .get("accessToken").asText();
        JsonNode fetch = HubHttp.json(http.get("/cas/v1/reconstructions/" + fileHash, access)).get("fetch_info")
                .elements().next().get(0);
        long first = fetch.get("url_range").get("start").asLong();
        long last = fetch.get("url_range").get("end").asLong();
        var anyone = java.net.http.HttpClient.newHttpClient(); // follows no redirects
        var redirect = anyone.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(fetch.get("url").asText()))
                .header("Range", "bytes=" + first + "-" + last).build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertEquals(302, redirect.statusCode());
        java.net.URI bucket = java.net.URI.create(redirect.headers().firstValue("Location").orElseThrow());
        var signed = anyone.send(java.net.http.HttpRequest.newBuilder(bucket).header("Range", "bytes=" + first + "-" + last)
                .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, signed.statusCode());
        assertEquals(last - first + 1, signed.body().length);
        var wider = anyone.send(java.net.http.HttpRequest.newBuilder(bucket).header("Range", "bytes=0-" + (last + 1000))
                .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertEquals(403, wider.statusCode(), "another range with the same URL");
        var whole = anyone.send(java.net.http.HttpRequest.newBuilder(bucket).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertEquals(403, whole.statusCode(), "the whole xorb with the same URL");
    }

    /** The store going away is the store's failure, not the hub's: a 503 that says to come back, nothing changed. */
    @Test
    void storeUnavailable_uploadsAndDownloadsAnswer503_andChangeNothing() throws Exception {
        S3Server s3 = S3Server.start();
        try (AtriumProcess server = AtriumProcess.startWithEnvironment(s3.credentialsEnvironment(),
                s3.serveArgs("down").toArray(String[]::new))) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            HubHttp http = HubHttp.of(server);
            assertEquals(200, http.get("/api/health/ready").statusCode(), "ready while the store answers");
            assertEquals(200, http.send(http.request("/api/repos/create", alice).header("Content-Type",
                    "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                    "{\"name\":\"m\"}"))).statusCode());
            byte[] stored = new byte[2000];
            new Random(1).nextBytes(stored);
            assertEquals(200, http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    uploadHref(http, alice, stored))).PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(stored)))
                    .statusCode());
            String commit = "{\"key\":\"header\",\"value\":{\"summary\":\"a large file\"}}\n"
                    + "{\"key\":\"lfsFile\",\"value\":{\"path\":\"weights.bin\",\"algo\":\"sha256\",\"oid\":\""
                    + sha256(stored) + "\",\"size\":" + stored.length + "}}\n";
            assertEquals(200, http.send(http.request("/api/models/alice/m/commit/main", alice)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(commit))).statusCode());
            byte[] refused = new byte[3000];
            new Random(2).nextBytes(refused);
            String href = uploadHref(http, alice, refused);

            // A blob gone from the bucket behind the hub's back is a 404 that names it, not an internal error.
            byte[] lost = new byte[2500];
            new Random(3).nextBytes(lost);
            assertEquals(200, http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    uploadHref(http, alice, lost))).PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(lost)))
                    .statusCode());
            assertEquals(200, http.send(http.request("/api/models/alice/m/commit/main", alice)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"key\":\"header\",\"value\":{\"summary\":\"a file about to be lost\"}}\n"
                            + "{\"key\":\"lfsFile\",\"value\":{\"path\":\"lost.bin\",\"algo\":\"sha256\",\"oid\":\""
                            + sha256(lost) + "\",\"size\":" + lost.length + "}}\n"))).statusCode());
            String lostHref = lfsHref(http, alice, lost, "download");
            Files.delete(s3.bucketDir().resolve("down/blobs/" + sha256(lost)));
            var gone = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(lostHref)).GET());
            assertEquals(404, gone.statusCode(), gone.body());
            assertTrue(HubHttp.json(gone).get("error").asText().contains(sha256(lost)), gone.body());
            // resolve too: from the blob, or, once the file is a Xet file, from chunks that are views of the blob
            var resolved = http.get("/alice/m/resolve/main/lost.bin", alice);
            assertEquals(404, resolved.statusCode(), resolved.body());
            assertTrue(HubHttp.json(resolved).get("error").asText().contains(sha256(lost)), resolved.body());

            s3.close();
            var upload = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(href))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofByteArray(refused)));
            assertEquals(503, upload.statusCode(), upload.body());
            assertEquals("30", upload.headers().firstValue("Retry-After").orElse(""));
            assertTrue(HubHttp.json(upload).get("error").asText().contains("did not answer"), upload.body());
            var download = http.get("/alice/m/resolve/main/weights.bin", alice);
            assertEquals(503, download.statusCode(), download.body());
            var tree = HubHttp.json(http.get("/api/models/alice/m/tree/main", alice));
            assertEquals(3, tree.size(), "the repo still has its .gitattributes and its two files: " + tree);
            var ready = http.get("/api/health/ready");
            assertEquals(503, ready.statusCode(), ready.body());
            assertTrue(java.util.Set.of("failing", "timeout").contains(HubHttp.json(ready).get("checks").get("blobs")
                    .asText()), "the store is named: " + ready.body());
            assertEquals("ok", HubHttp.json(ready).get("checks").get("database").asText(), ready.body());
        } finally {
            s3.close();
        }
    }

    private static String uploadHref(HubHttp http, String token, byte[] content) throws Exception {
        return lfsHref(http, token, content, "upload");
    }

    private static String lfsHref(HubHttp http, String token, byte[] content, String operation) throws Exception {
        String batch = "{\"operation\":\"" + operation + "\",\"transfers\":[\"basic\"],\"objects\":[{\"oid\":\""
                + sha256(content) + "\",\"size\":" + content.length + "}]}";
        var answer = http.send(http.request("/alice/m.git/info/lfs/objects/batch", token)
                .header("Content-Type", "application/vnd.git-lfs+json")
                .header("Accept", "application/vnd.git-lfs+json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(batch)));
        assertEquals(200, answer.statusCode(), answer.body());
        return HubHttp.json(answer).get("objects").get(0).get("actions").get(operation).get("href").asText();
    }

    private static void upload(PythonClient python, AtriumProcess server, String token, String files, String name,
                               boolean xet) {
        Proc upload = python.script("blob_move.py", server.baseUrl(), token, ItPaths.newTempDir("moving"))
                .env("REPO", "alice/moving").env("FILES", files).env("PHASE", "upload").env("UPLOAD", name);
        (xet ? upload.removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default") : upload).runChecked();
    }

    private static List<Path> filesUnder(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

}
