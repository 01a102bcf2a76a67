package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.Ndjson;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Hub API at the HTTP level: the exact statuses, {@code X-Error-Code}s and headers the clients depend on, bad
 * input rejected with nothing changed, and permissions.
 */
class HubApiIT {
    private static final AtomicInteger REPOS = new AtomicInteger();

    private static AtriumProcess server;
    private static HubHttp http;
    private static String alice;
    private static String aliceRead;
    private static String bob;

    @BeforeAll
    static void start() {
        server = AtriumProcess.start();
        http = HubHttp.of(server);
        alice = server.admin().createUserWithToken("alice", "write").token();
        aliceRead = server.admin().createToken("alice", "read");
        bob = server.admin().createUserWithToken("bob", "write").token();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static String newRepo(boolean isPrivate) {
        String name = "repo" + REPOS.incrementAndGet();
        HttpResponse<String> r = post("/api/repos/create", alice,
                "{\"name\":\"" + name + "\",\"visibility\":\"" + (isPrivate ? "private" : "public") + "\"}");
        assertEquals(200, r.statusCode(), r.body());
        return "alice/" + name;
    }

    private static HttpResponse<String> post(String path, String token, String body) {
        return http.send(http.request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpResponse<String> commit(String repo, String revision, String token, String ndjson) {
        return http.send(http.request("/api/models/" + repo + "/commit/" + revision, token)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(ndjson)));
    }

    private static String head(String repo) {
        return HubHttp.json(http.get("/api/models/" + repo + "/revision/main", alice)).get("sha").asText();
    }

    private static void assertError(HttpResponse<String> r, int status, String errorCode) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(errorCode, r.headers().firstValue("X-Error-Code").orElse(null), "X-Error-Code of " + r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(HubHttp.json(r).get("error").asText().length() > 5, r.body());
    }

    @Test
    void createRepo_existingName_answers409WithUrl() {
        String repo = newRepo(false);
        HttpResponse<String> again = post("/api/repos/create", alice, "{\"name\":\"" + repo.split("/")[1] + "\"}");
        assertEquals(409, again.statusCode());
        assertEquals(server.baseUrl() + "/" + repo, HubHttp.json(again).get("url").asText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "-lead", "trail.", "x.git", "has space", "a--b", "", "ünï"})
    void createRepo_invalidName_isRejectedAndCreatesNothing(String name) {
        newRepo(false); // the namespace folder exists from here on
        int before = repoFolderCount();
        HttpResponse<String> r = post("/api/repos/create", alice, "{\"name\":\"" + name + "\"}");
        assertError(r, 400, "BadRequest");
        assertEquals(before, repoFolderCount());
    }

    private static int repoFolderCount() {
        String[] names = server.dataDir().resolve("repos/models/alice").toFile().list();
        return names == null ? 0 : names.length;
    }

    @Test
    void createRepo_readToken_isForbidden() {
        assertEquals(403, post("/api/repos/create", aliceRead, "{\"name\":\"nope\"}").statusCode());
        assertError(http.get("/api/models/alice/nope", alice), 404, "RepoNotFound");
    }

    @Test
    void info_freshRepo_hasInitialCommitAndDatesEndingInZ() {
        String repo = newRepo(false);
        JsonNode info = HubHttp.json(http.get("/api/models/" + repo));
        assertTrue(info.get("sha").asText().matches("[0-9a-f]{40}"));
        assertTrue(info.get("lastModified").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertTrue(info.get("createdAt").asText().endsWith("Z"));
        assertEquals(".gitattributes", info.get("siblings").get(0).get("rfilename").asText());
        JsonNode commits = HubHttp.json(http.get("/api/models/" + repo + "/commits/main"));
        assertEquals("initial commit", commits.get(0).get("title").asText());
    }

    @Test
    void privateRepo_isInvisibleToOthers_401Anonymous404Authenticated() {
        String repo = newRepo(true);
        assertEquals(200, http.get("/api/models/" + repo, alice).statusCode());
        assertError(http.get("/api/models/" + repo), 401, "RepoNotFound");
        assertError(http.get("/api/models/" + repo, bob), 404, "RepoNotFound");
        assertError(http.get("/" + repo + "/resolve/main/.gitattributes", bob), 404, "RepoNotFound");
        assertError(http.get("/api/models/" + repo + "/tree/main", bob), 404, "RepoNotFound");
    }

    @Test
    void settings_makePrivateThenPublic_changesWhoSeesTheRepo() {
        String repo = newRepo(false);
        HttpResponse<String> r = http.send(http.request("/api/models/" + repo + "/settings", alice)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"private\":true}")));
        assertEquals(200, r.statusCode(), r.body());
        assertError(http.get("/api/models/" + repo), 401, "RepoNotFound");
        assertTrue(HubHttp.json(http.get("/api/models/" + repo, alice)).get("private").asBoolean());
        assertError(http.send(http.request("/api/models/" + repo + "/settings", bob)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"visibility\":\"public\"}"))), 404, "RepoNotFound");
        assertError(http.get("/api/models/" + repo), 401, "RepoNotFound");
        http.send(http.request("/api/models/" + repo + "/settings", alice)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"visibility\":\"public\"}")));
        assertEquals(200, http.get("/api/models/" + repo).statusCode());
    }

    @Test
    void authCheck_answersPerCallerAndAction() {
        String repo = newRepo(true);
        assertEquals(200, http.get("/api/models/" + repo + "/auth-check", alice).statusCode());
        assertEquals(200, http.get("/api/models/" + repo + "/auth-check/write", alice).statusCode());
        assertEquals(403, http.get("/api/models/" + repo + "/auth-check/write", aliceRead).statusCode());
        assertError(http.get("/api/models/" + repo + "/auth-check", bob), 404, "RepoNotFound");
    }

    @Test
    void commit_withReadToken_is403AndChangesNothing() {
        String repo = newRepo(false);
        String before = head(repo);
        assertEquals(403, commit(repo, "main", aliceRead, Ndjson.commit("x").file("a.txt", "a").build()).statusCode());
        assertEquals(403, commit(repo, "main", bob, Ndjson.commit("x").file("a.txt", "a").build()).statusCode());
        assertEquals(before, head(repo));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../../b", ".git/config", "a/.git/hooks/x", "x/", "a//b", "a/./b"})
    void commit_badPath_is400AndChangesNothing(String path) {
        String repo = newRepo(false);
        String before = head(repo);
        assertError(commit(repo, "main", alice, Ndjson.commit("evil").file(path, "x").build()), 400, "BadRequest");
        assertEquals(before, head(repo));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"key\":\"file\"", "not json", "[1,2]", "{\"key\":\"teleport\",\"value\":{}}",
        "{\"key\":\"file\",\"value\":{\"path\":\"a\",\"content\":\"%%%\",\"encoding\":\"base64\"}}"})
    void commit_malformedNdjson_is400AndChangesNothing(String badLine) {
        String repo = newRepo(false);
        String before = head(repo);
        HttpResponse<String> r = commit(repo, "main", alice, Ndjson.commit("x").file("ok.txt", "fine").raw(badLine).build());
        assertError(r, 400, "BadRequest");
        assertEquals(before, head(repo));
    }

    @Test
    void commit_staleParent_is412AndKeepsTheOtherWritersCommit() {
        String repo = newRepo(false);
        String base = head(repo);
        assertEquals(200, commit(repo, "main", alice, Ndjson.commit("first", base).file("a.txt", "1").build()).statusCode());
        String winner = head(repo);
        HttpResponse<String> lost = commit(repo, "main", alice, Ndjson.commit("second", base).file("a.txt", "2").build());
        assertEquals(412, lost.statusCode(), lost.body());
        assertEquals(winner, head(repo));
    }

    @Test
    void commit_concurrentWritersWithoutParent_allLand() throws Exception {
        String repo = newRepo(false);
        int writers = 8;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try {
            List<java.util.concurrent.Future<HttpResponse<String>>> results = new java.util.ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String path = "w" + i + ".txt";
                results.add(pool.submit(() -> commit(repo, "main", alice, Ndjson.commit(path).file(path, path).build())));
            }
            for (var result : results) {
                assertEquals(200, result.get().statusCode(), result.get().body());
            }
        } finally {
            pool.shutdown();
        }
        JsonNode tree = HubHttp.json(http.get("/api/models/" + repo + "/tree/main"));
        for (int i = 0; i < writers; i++) {
            String path = "w" + i + ".txt";
            assertTrue(tree.findValuesAsText("path").contains(path), path + " missing from " + tree);
        }
        assertEquals(writers + 1, HubHttp.json(http.get("/api/models/" + repo + "/commits/main")).size());
    }

    @Test
    void commit_operationsApplyInOrder_addThenDeleteRemovesTheFile() {
        String repo = newRepo(false);
        commit(repo, "main", alice, Ndjson.commit("base").file("a.txt", "old").file("d/x.txt", "x").build());
        HttpResponse<String> r = commit(repo, "main", alice, Ndjson.commit("order")
                .file("a.txt", "new").deletedFile("a.txt")
                .deletedFolder("d/").file("d/y.txt", "y").build());
        assertEquals(200, r.statusCode(), r.body());
        List<String> paths = HubHttp.json(http.get("/api/models/" + repo + "/tree/main?recursive=true")).findValuesAsText("path");
        assertTrue(!paths.contains("a.txt") && !paths.contains("d/x.txt") && paths.contains("d/y.txt"), paths.toString());
    }

    @Test
    void commit_deleteMissingFile_isEntryNotFound() {
        String repo = newRepo(false);
        assertError(commit(repo, "main", alice, Ndjson.commit("x").deletedFile("ghost.txt").build()), 404, "EntryNotFound");
    }

    @Test
    void commit_unknownBranch_isRevisionNotFound() {
        String repo = newRepo(false);
        assertError(commit(repo, "nobranch", alice, Ndjson.commit("x").file("a", "a").build()), 404, "RevisionNotFound");
    }

    @Test
    void resolve_missingFileAndUnknownRevision_carryTheCodesClientsNeed() {
        String repo = newRepo(false);
        HttpResponse<String> missing = http.send(http.request("/" + repo + "/resolve/main/nope.txt", null)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(404, missing.statusCode());
        assertEquals("EntryNotFound", missing.headers().firstValue("X-Error-Code").orElse(null));
        assertEquals(head(repo), missing.headers().firstValue("X-Repo-Commit").orElse(null));
        assertError(http.get("/" + repo + "/resolve/nobranch/.gitattributes"), 404, "RevisionNotFound");
        assertError(http.get("/" + repo + "/resolve/main/../../etc/passwd"), 404, "EntryNotFound");
    }

    @Test
    void resolve_zeroByteAndUnicodeFiles_roundTripWithHeaders() {
        String repo = newRepo(false);
        byte[] unicode = "ünïcødé ✓\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(200, commit(repo, "main", alice, Ndjson.commit("x").file("empty.txt", new byte[0])
                .file("dir with space/fïlé ✓.txt", unicode).build()).statusCode());
        HttpResponse<byte[]> empty = bytes("/" + repo + "/resolve/main/empty.txt");
        assertEquals(200, empty.statusCode());
        assertEquals(0, empty.body().length);
        assertEquals("\"e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\"", empty.headers().firstValue("ETag").orElseThrow());
        HttpResponse<byte[]> uni = bytes("/" + repo + "/resolve/main/dir%20with%20space/f%C3%AFl%C3%A9%20%E2%9C%93.txt");
        assertArrayEquals(unicode, uni.body());
        assertEquals(head(repo), uni.headers().firstValue("X-Repo-Commit").orElseThrow());
    }

    @Test
    void resolve_rangeRequests_answer206And416() {
        String repo = newRepo(false);
        commit(repo, "main", alice, Ndjson.commit("x").file("r.txt", "0123456789").build());
        HttpResponse<byte[]> part = http(http.request("/" + repo + "/resolve/main/r.txt", null).header("Range", "bytes=2-4"));
        assertEquals(206, part.statusCode());
        assertEquals("234", new String(part.body(), StandardCharsets.US_ASCII));
        assertEquals("bytes 2-4/10", part.headers().firstValue("Content-Range").orElseThrow());
        HttpResponse<byte[]> beyond = http(http.request("/" + repo + "/resolve/main/r.txt", null).header("Range", "bytes=50-"));
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */10", beyond.headers().firstValue("Content-Range").orElseThrow());
    }

    @Test
    void revisions_branchTagAndEncodedRefs_resolveEverywhere() {
        String repo = newRepo(false);
        commit(repo, "main", alice, Ndjson.commit("v1").file("f.txt", "one").build());
        String v1 = head(repo);
        assertEquals(200, post("/api/models/" + repo + "/tag/main", alice, "{\"tag\":\"v1\",\"message\":\"release\"}").statusCode());
        assertEquals(409, post("/api/models/" + repo + "/tag/main", alice, "{\"tag\":\"v1\"}").statusCode());
        assertEquals(200, post("/api/models/" + repo + "/branch/feature%2Fx", alice, "{}").statusCode());
        commit(repo, "main", alice, Ndjson.commit("v2").file("f.txt", "two").build());
        assertEquals("one", new String(bytes("/" + repo + "/resolve/v1/f.txt").body(), StandardCharsets.UTF_8));
        assertEquals("one", new String(bytes("/" + repo + "/resolve/feature%2Fx/f.txt").body(), StandardCharsets.UTF_8));
        assertEquals("one", new String(bytes("/" + repo + "/resolve/" + v1 + "/f.txt").body(), StandardCharsets.UTF_8));
        assertEquals("two", new String(bytes("/" + repo + "/resolve/main/f.txt").body(), StandardCharsets.UTF_8));
        assertEquals(v1, HubHttp.json(http.get("/api/models/" + repo + "/revision/refs%2Fheads%2Ffeature%2Fx")).get("sha").asText());
        JsonNode refs = HubHttp.json(http.get("/api/models/" + repo + "/refs"));
        assertEquals(v1, refs.get("tags").get(0).get("targetCommit").asText());
        assertEquals(2, refs.get("branches").size());
        assertEquals(200, http.send(http.request("/api/models/" + repo + "/branch/feature%2Fx", alice).DELETE()).statusCode());
        assertError(http.send(http.request("/api/models/" + repo + "/branch/feature%2Fx", alice).DELETE()), 404, "RevisionNotFound");
        assertEquals(403, http.send(http.request("/api/models/" + repo + "/branch/main", alice).DELETE()).statusCode());
    }

    @Test
    void commit_fiveThousandFiles_landsInOneCommitAndPaginates() {
        String repo = newRepo(false);
        Ndjson body = Ndjson.commit("5k");
        for (int i = 0; i < 5000; i++) {
            body.file("many/f" + i + ".txt", "file " + i);
        }
        HttpResponse<String> r = commit(repo, "main", alice, body.build());
        assertEquals(200, r.statusCode(), r.body());
        HttpResponse<String> page = http.get("/api/models/" + repo + "/tree/main/many?recursive=true");
        assertEquals(1000, HubHttp.json(page).size());
        int total = 0;
        String next = "/api/models/" + repo + "/tree/main/many?recursive=true";
        while (next != null) {
            HttpResponse<String> p = http.get(next);
            total += HubHttp.json(p).size();
            next = p.headers().firstValue("Link").map(l -> l.substring(l.indexOf('<') + 1, l.indexOf('>')))
                    .map(u -> {
                        assertTrue(u.startsWith(server.baseUrl() + "/"), "Link must be absolute: " + u);
                        return u.substring(server.baseUrl().length());
                    }).orElse(null);
        }
        assertEquals(5000, total);
        assertEquals("file 4999", new String(bytes("/" + repo + "/resolve/main/many/f4999.txt").body(), StandardCharsets.UTF_8));
    }

    @Test
    void move_oldUrlRedirectsWith307() {
        String repo = newRepo(false);
        String target = "alice/moved" + REPOS.incrementAndGet();
        assertEquals(200, post("/api/repos/move", alice, "{\"fromRepo\":\"" + repo + "\",\"toRepo\":\"" + target
                + "\",\"type\":\"model\"}").statusCode());
        HttpResponse<String> old = http.get("/api/models/" + repo);
        assertEquals(307, old.statusCode());
        assertEquals("/api/models/" + target, old.headers().firstValue("Location").orElseThrow());
        assertEquals(200, http.get("/api/models/" + target).statusCode());
    }

    @Test
    void deleteRepo_thenInfo_isRepoNotFound() {
        String repo = newRepo(false);
        HttpResponse<String> r = http.send(http.request("/api/repos/delete", alice).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString("{\"name\":\"" + repo.split("/")[1] + "\",\"type\":\"model\"}")));
        assertEquals(200, r.statusCode(), r.body());
        assertError(http.get("/api/models/" + repo, alice), 404, "RepoNotFound");
    }

    @Test
    void unknownApiPaths_answerAJson404_neverAPage() {
        // Two segments after /api/ matched the repo page route, which answered an HTML 404 page.
        for (String path : List.of("/api/papers", "/api/spaces-tags-by-type", "/api/no/such/endpoint")) {
            HttpResponse<String> r = http.get(path, aliceRead);
            assertEquals(404, r.statusCode(), path);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), path);
            assertTrue(HubHttp.json(r).hasNonNull("error"), r.body());
        }
    }

    @Test
    void whoami_reportsTheTokenRole_andBadTokenIs401() {
        JsonNode me = HubHttp.json(http.get("/api/whoami-v2", aliceRead));
        assertEquals("alice", me.get("name").asText());
        assertEquals("read", me.at("/auth/accessToken/role").asText());
        HttpResponse<String> bad = http.get("/api/whoami-v2", "hf_not_a_real_token");
        assertEquals(401, bad.statusCode());
        assertNull(bad.headers().firstValue("X-Error-Code").orElse(null));
        assertEquals(List.of("Invalid credentials in Authorization header"), bad.headers().allValues("X-Error-Message"));
    }

    @Test
    void xetTokens_followTheAccessPolicy_andAnswerInHeadersAndBody() {
        String repo = newRepo(true);
        HttpResponse<String> write = http.get("/api/models/" + repo + "/xet-write-token/main", alice);
        assertEquals(200, write.statusCode(), write.body());
        JsonNode body = HubHttp.json(write);
        assertEquals(server.baseUrl() + "/cas", body.get("casUrl").asText());
        assertEquals(body.get("accessToken").asText(), write.headers().firstValue("X-Xet-Access-Token").orElseThrow());
        assertEquals(server.baseUrl() + "/cas", write.headers().firstValue("X-Xet-Cas-Url").orElseThrow());
        assertEquals(403, http.get("/api/models/" + repo + "/xet-write-token/main", aliceRead).statusCode());
        assertEquals(200, http.get("/api/models/" + repo + "/xet-read-token/main", aliceRead).statusCode());
        assertError(http.get("/api/models/" + repo + "/xet-read-token/main", bob), 404, "RepoNotFound");
        assertError(http.get("/api/models/" + repo + "/xet-read-token/nobranch", alice), 404, "RevisionNotFound");
    }

    private static HttpResponse<byte[]> bytes(String path) {
        return http(http.request(path, null));
    }

    private static HttpResponse<byte[]> http(HttpRequest.Builder request) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
