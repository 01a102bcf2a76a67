package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.Atrium;
import dev.atrium.AtriumConfig;
import dev.atrium.auth.TokenRole;
import dev.atrium.auth.User;
import dev.atrium.http.Json;
import dev.atrium.it.support.ItPaths;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.lfs.MultipartPolicy;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@code git} and {@code git-lfs} against an in-process server: clone, push with LFS, the pre-receive
 * policy, access control, protocol v2 and the signed LFS transfer URLs.
 */
class GitLfsIT {
    private static final long GIT_BLOB_LIMIT = 10 * 1024 * 1024L;
    private static final Duration GIT_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    static Path root;

    private static Atrium atrium;
    private static Atrium.Stores stores;
    private static LfsObjects lfsObjects;
    private static String writeToken;
    private static String readToken;
    private static Path home;
    private static int repoCounter;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        AtriumConfig config = new AtriumConfig("127.0.0.1", 0, root.resolve("data"), null, 100 * AtriumConfig.MB,
                GIT_BLOB_LIMIT, MultipartPolicy.DEFAULT);
        stores = Atrium.Stores.open(config, Clock.systemUTC());
        lfsObjects = new LfsObjects(stores.jdbi(), stores.blobs(), Clock.systemUTC());
        User alice = stores.users().create("alice", "alice@example.com", "correct horse", false);
        writeToken = stores.tokens().create(alice, "write", TokenRole.WRITE).secret();
        readToken = stores.tokens().create(alice, "read", TokenRole.READ).secret();
        atrium = Atrium.start(config);

        home = Files.createDirectories(root.resolve("home"));
        // What `git lfs install` writes, plus an identity; nothing from the developer's own configuration.
        Files.writeString(home.resolve(".gitconfig"), """
                [user]
                \tname = Test User
                \temail = test@example.com
                [init]
                \tdefaultBranch = main
                [filter "lfs"]
                \tclean = git-lfs clean -- %f
                \tsmudge = git-lfs smudge -- %f
                \tprocess = git-lfs filter-process
                \trequired = true
                """);
    }

    @AfterAll
    static void stop() {
        if (atrium != null) {
            atrium.close();
        }
    }

    @Test
    void push_smallAndLfsFiles_cloneElsewhereHasSameBytes() throws Exception {
        Repo repo = newRepo(RepoType.MODEL, false);
        Path work = cloneWith(writeToken, repo);
        git(work, "lfs", "install", "--local").requireSuccess();
        Files.writeString(work.resolve("README.md"), "# hello\n");
        writeRandom(work.resolve("weights.bin"), 20_000_000, 42); // *.bin is LFS-tracked by the default attributes
        git(work, "add", ".").requireSuccess();
        git(work, "commit", "-m", "add weights").requireSuccess();

        GitResult push = git(work, "push", "origin", "main").requireSuccess();

        assertFalse(push.stderr().contains("Locking support detected"), push.describe());
        assertFalse(push.stdout().contains(writeToken) || push.stderr().contains(writeToken), "token not echoed");
        Path copy = cloneWith(null, repo);
        assertEquals(ItPaths.sha256(work.resolve("README.md")), ItPaths.sha256(copy.resolve("README.md")));
        assertEquals(ItPaths.sha256(work.resolve("weights.bin")), ItPaths.sha256(copy.resolve("weights.bin")));
        Sha256 oid = new Sha256(ItPaths.sha256(work.resolve("weights.bin")));
        assertTrue(lfsObjects.isLinked(repo, oid), "the pushed LFS object is linked to the repo");
        assertTrue(Files.readString(copy.resolve(".git/config")).contains("127.0.0.1"));
        assertNotEquals(repo.updatedAt(), stores.repos().find(repo.type(), repo.repoId()).orElseThrow().updatedAt(),
                "the push touched the repo");
    }

    @Test
    void clone_datasetRepo_checksOutDefaultAttributes() throws Exception {
        Repo repo = newRepo(RepoType.DATASET, false);

        Path work = cloneWith(null, repo);

        assertTrue(Files.readString(work.resolve(".gitattributes")).contains("*.parquet filter=lfs"));
    }

    @Test
    void push_readToken_isForbiddenAndChangesNothing() throws Exception {
        Repo repo = newRepo(RepoType.MODEL, false);
        ObjectId before = head(repo);
        Path work = cloneWith(readToken, repo);
        Files.writeString(work.resolve("notes.txt"), "not allowed\n");
        git(work, "add", ".").requireSuccess();
        git(work, "commit", "-m", "try").requireSuccess();

        GitResult push = git(work, "push", "origin", "main");

        assertNotEquals(0, push.exitCode(), push.describe());
        assertTrue(push.stderr().contains("403"), push.describe());
        assertEquals(before, head(repo));
    }

    @Test
    void clone_privateRepoAnonymously_fails() throws Exception {
        Repo repo = newRepo(RepoType.MODEL, true);

        GitResult clone = git(root, "clone", url(null, repo), root.resolve("anon-" + repo.repoId().name()).toString());

        assertNotEquals(0, clone.exitCode(), clone.describe());
        assertFalse(Files.exists(root.resolve("anon-" + repo.repoId().name() + "/.gitattributes")));
    }

    @Test
    void clone_privateRepoWithToken_works() throws Exception {
        Repo repo = newRepo(RepoType.SPACE, true);

        Path work = cloneWith(readToken, repo);

        assertTrue(Files.exists(work.resolve(".gitattributes")));
    }

    @Test
    void push_card_isIndexedAtOnceAndBrokenYamlIsRefusedWithItsLine() throws Exception {
        Repo repo = newRepo(RepoType.MODEL, false);
        Path work = cloneWith(writeToken, repo);
        Files.writeString(work.resolve("README.md"), "---\nlicense: mit\ntags: [pushed-by-git]\n---\n# card\n");
        git(work, "add", ".").requireSuccess();
        git(work, "commit", "-m", "card").requireSuccess();
        git(work, "push", "origin", "main").requireSuccess();

        String info = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + atrium.port() + "/api/models/"
                + repo.repoId())).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(info.contains("\"license:mit\"") && info.contains("\"pushed-by-git\""), info);
        String listed = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + atrium.port()
                + "/api/models?filter=pushed-by-git")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(listed.contains(repo.repoId().toString()), listed);

        ObjectId before = head(repo);
        Files.writeString(work.resolve("README.md"), "---\nlicense: mit\ntags: [a\n---\n");
        git(work, "commit", "-am", "broken card").requireSuccess();
        GitResult push = git(work, "push", "origin", "main");
        assertNotEquals(0, push.exitCode(), push.describe());
        assertTrue(push.stderr().contains("README.md") && push.stderr().contains("line 4"), push.describe());
        assertEquals(before, head(repo));
    }

    @Test
    void push_plainFileOverLimit_isRejectedWithLfsHint() throws Exception {
        Repo repo = newRepo(RepoType.MODEL, false);
        ObjectId before = head(repo);
        Path work = cloneWith(writeToken, repo);
        writeRandom(work.resolve("plain.dat"), 11 * 1024 * 1024, 7); // *.dat is not LFS-tracked
        git(work, "add", ".").requireSuccess();
        git(work, "commit", "-m", "too big for git").requireSuccess();

        GitResult push = git(work, "push", "origin", "main");

        assertNotEquals(0, push.exitCode(), push.describe());
        assertTrue(push.stderr().contains("git lfs track"), push.describe());
        assertTrue(push.stderr().contains("plain.dat"), push.describe());
        assertEquals(before, head(repo));
    }

    @Test
    void clone_gitWithDefaultConfig_usesProtocolV2AndShallowCloneWorks() throws Exception {
        Repo repo = newRepo(RepoType.MODEL, false);
        Path work = cloneWith(writeToken, repo);
        for (int i = 0; i < 2; i++) {
            Files.writeString(work.resolve("file.txt"), "version " + i + "\n");
            git(work, "add", ".").requireSuccess();
            git(work, "commit", "-m", "commit " + i).requireSuccess();
        }
        git(work, "push", "origin", "main").requireSuccess();
        Path shallow = root.resolve("shallow-" + repo.repoId().name());

        GitResult clone = git(root, List.of("GIT_TRACE_PACKET=1"), "clone", "--depth", "1", url(null, repo),
                shallow.toString());

        clone.requireSuccess();
        assertTrue(clone.stderr().contains("git< version 2"), "server answered in protocol v2");
        assertTrue(Files.exists(shallow.resolve(".git/shallow")));
        assertEquals("1", git(shallow, "rev-list", "--count", "HEAD").requireSuccess().stdout().trim());
        assertEquals("version 1\n", Files.readString(shallow.resolve("file.txt")));
    }

    @Test
    void upload_bodyNotMatchingOidOrSize_isRejectedAndStoresNothing() throws Exception {
        Repo repo = newRepo(RepoType.MODEL, false);
        byte[] content = "the real content of the object\n".getBytes(StandardCharsets.UTF_8);
        Sha256 oid = Sha256.of(content);
        String href = uploadHref(repo, oid, content.length);

        HttpResponse<String> wrongSha = put(href, "THE REAL CONTENT OF THE OBJECT\n".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> wrongSize = put(href, "short".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> forged = put(href.replaceAll("signature=[^&]+", "signature=AAAA"), content);

        assertEquals(400, wrongSha.statusCode(), wrongSha.body());
        assertEquals(400, wrongSize.statusCode(), wrongSize.body());
        assertEquals(403, forged.statusCode(), forged.body());
        assertFalse(stores.blobs().contains(oid), "nothing was stored");
        assertFalse(lfsObjects.isLinked(repo, oid));

        assertEquals(200, put(href, content).statusCode());
        assertTrue(lfsObjects.isLinked(repo, oid));
    }

    @Test
    void infoRefs_pushWithoutCredentials_isChallenged() throws Exception {
        Repo repo = newRepo(RepoType.MODEL, false);

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(url(null, repo) + "/info/refs?service=git-receive-pack")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(401, response.statusCode());
        assertEquals("Basic realm=\"Atrium\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
    }

    @Test
    void infoRefs_badToken_isChallengedSoGitAsksForOtherCredentials() throws Exception {
        Repo repo = newRepo(RepoType.MODEL, false);

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(url(null, repo) + ".git/info/refs?service=git-upload-pack"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        "hf_user:hf_notAToken".getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(401, response.statusCode());
        assertEquals("Basic realm=\"Atrium\"", response.headers().firstValue("WWW-Authenticate").orElse(null));
        assertTrue(response.body().contains("Invalid credentials"), response.body());
    }

    @Test
    void push_twoBranchesOneOverLimit_rejectsBoth() throws Exception {
        Repo repo = newRepo(RepoType.MODEL, false);
        ObjectId before = head(repo);
        Path work = cloneWith(writeToken, repo);
        Files.writeString(work.resolve("fine.txt"), "fine\n");
        git(work, "add", ".").requireSuccess();
        git(work, "commit", "-m", "fine").requireSuccess();
        git(work, "checkout", "-b", "feature").requireSuccess();
        writeRandom(work.resolve("huge.dat"), GIT_BLOB_LIMIT + 1, 3);
        git(work, "add", ".").requireSuccess();
        git(work, "commit", "-m", "huge").requireSuccess();

        GitResult push = git(work, "push", "origin", "main", "feature");

        assertNotEquals(0, push.exitCode(), push.describe());
        assertEquals(before, head(repo), "main did not move although only feature broke the rules");
        try (Repository git = stores.gitRepos().open(repo)) {
            assertEquals(null, git.exactRef("refs/heads/feature"));
        }
    }

    @Test
    void push_toConvertRef_isRejected() throws Exception {
        Repo repo = newRepo(RepoType.DATASET, false);
        Path work = cloneWith(writeToken, repo);

        GitResult push = git(work, "push", "origin", "HEAD:refs/convert/parquet");

        assertNotEquals(0, push.exitCode(), push.describe());
        assertTrue(push.stderr().contains("refs/convert"), push.describe());
        try (Repository git = stores.gitRepos().open(repo)) {
            assertEquals(null, git.exactRef("refs/convert/parquet"));
        }
    }

    @Test
    void uploadPack_gzippedV2Request_listsRefs() throws Exception {
        Repo repo = newRepo(RepoType.MODEL, false);
        java.io.ByteArrayOutputStream gzipped = new java.io.ByteArrayOutputStream();
        try (OutputStream out = new java.util.zip.GZIPOutputStream(gzipped)) {
            out.write("0014command=ls-refs\n00010000".getBytes(StandardCharsets.US_ASCII));
        }

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(url(null, repo) + ".git/git-upload-pack"))
                .header("Git-Protocol", "version=2")
                .header("Content-Type", "application/x-git-upload-pack-request")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofString());

        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/x-git-upload-pack-result", response.headers().firstValue("Content-Type")
                .orElse("").replace(";charset=utf-8", ""));
        assertTrue(response.body().contains(head(repo).name() + " refs/heads/main"), response.body());
    }

    @Test
    void download_signedHrefWithRange_returnsPartialContent() throws Exception {
        Repo repo = newRepo(RepoType.MODEL, false);
        byte[] content = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        Sha256 oid = Sha256.of(content);
        assertEquals(200, put(uploadHref(repo, oid, content.length), content).statusCode());
        JsonNode batch = batch(repo, "download", oid, content.length, null);
        String href = batch.at("/objects/0/actions/download/href").textValue();
        assertNotNull(href, batch.toString());

        HttpResponse<String> whole = http.send(HttpRequest.newBuilder(URI.create(href)).build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> part = http.send(HttpRequest.newBuilder(URI.create(href)).header("Range", "bytes=10-")
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(200, whole.statusCode());
        assertEquals("0123456789abcdef", whole.body());
        assertEquals(206, part.statusCode());
        assertEquals("abcdef", part.body());
        assertEquals("bytes 10-15/16", part.headers().firstValue("Content-Range").orElse(null));
    }

    @Test
    void batch_downloadOfObjectFromAnotherRepo_isPerObject404() throws Exception {
        Repo owner = newRepo(RepoType.MODEL, false);
        Repo other = newRepo(RepoType.MODEL, false);
        byte[] content = "belongs to the owner".getBytes(StandardCharsets.UTF_8);
        Sha256 oid = Sha256.of(content);
        assertEquals(200, put(uploadHref(owner, oid, content.length), content).statusCode());

        JsonNode fromOther = batch(other, "download", oid, content.length, null);
        JsonNode uploadAgain = batch(owner, "upload", oid, content.length, writeToken);

        assertEquals(404, fromOther.at("/objects/0/error/code").intValue(), fromOther.toString());
        assertTrue(uploadAgain.at("/objects/0/actions").isMissingNode(), "already uploaded: " + uploadAgain);
        assertEquals("basic", uploadAgain.get("transfer").textValue());
    }

    // ---- helpers ----

    private static synchronized Repo newRepo(RepoType type, boolean isPrivate) throws IOException {
        String name = type.singular() + "-" + (++repoCounter);
        return stores.repoService().create(type, new RepoId("alice", name), isPrivate,
                type == RepoType.SPACE ? "static" : null,
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"));
    }

    private static String url(String token, Repo repo) {
        String credentials = token == null ? "" : "hf_user:" + token + "@";
        return "http://" + credentials + "127.0.0.1:" + atrium.port() + "/" + repo.urlPath();
    }

    private static Path cloneWith(String token, Repo repo) {
        Path dir = root.resolve("clone-" + repo.repoId().name() + "-" + System.nanoTime());
        git(root, "clone", url(token, repo), dir.toString()).requireSuccess();
        return dir;
    }

    private static ObjectId head(Repo repo) throws IOException {
        try (Repository git = stores.gitRepos().open(repo)) {
            return git.exactRef("refs/heads/main").getObjectId();
        }
    }

    /** Signs up for an upload through the batch API the way git-lfs does, and returns the upload href. */
    private String uploadHref(Repo repo, Sha256 oid, long size) throws Exception {
        JsonNode answer = batch(repo, "upload", oid, size, writeToken);
        JsonNode href = answer.at("/objects/0/actions/upload/href");
        assertNotNull(href.textValue(), answer.toString());
        return href.textValue();
    }

    private JsonNode batch(Repo repo, String operation, Sha256 oid, long size, String token) throws Exception {
        String body = "{\"operation\":\"" + operation + "\",\"transfers\":[\"basic\"],"
                + "\"ref\":{\"name\":\"refs/heads/main\"},\"objects\":[{\"oid\":\"" + oid + "\",\"size\":" + size + "}]}";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url(null, repo) + ".git/info/lfs/objects/batch"))
                .header("Accept", "application/vnd.git-lfs+json")
                .header("Content-Type", "application/vnd.git-lfs+json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    ("hf_user:" + token).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/vnd.git-lfs+json", response.headers().firstValue("Content-Type").orElse(null));
        return Json.MAPPER.readTree(response.body());
    }

    private HttpResponse<String> put(String href, byte[] body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(href)).PUT(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void writeRandom(Path file, long size, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] buffer = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer, 0, (int) Math.min(buffer.length, left));
            }
        }
    }


    private record GitResult(List<String> command, int exitCode, String stdout, String stderr) {
        GitResult requireSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("git failed: " + describe());
            }
            return this;
        }

        String describe() {
            return String.join(" ", command) + " -> exit " + exitCode + "\n--- stdout ---\n" + stdout
                    + "\n--- stderr ---\n" + stderr;
        }
    }

    private static GitResult git(Path cwd, String... args) {
        return git(cwd, List.of(), args);
    }

    /** Runs git isolated from the developer's configuration; output goes to files so a full pipe never blocks. */
    private static GitResult git(Path cwd, List<String> extraEnv, String... args) {
        List<String> command = new ArrayList<>();
        command.add("git");
        command.addAll(List.of(args));
        try {
            Path out = Files.createTempFile(root, "git-", ".out");
            Path err = Files.createTempFile(root, "git-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            var env = builder.environment();
            for (String name : List.of("GIT_DIR", "GIT_WORK_TREE", "GIT_ASKPASS", "SSH_ASKPASS", "GIT_CONFIG_GLOBAL",
                    "GIT_CONFIG_PARAMETERS", "GIT_TRACE", "GIT_TRACE_PACKET", "GIT_PROTOCOL")) {
                env.remove(name);
            }
            env.put("HOME", home.toString());
            env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
            env.put("GIT_CONFIG_NOSYSTEM", "1");
            env.put("GIT_TERMINAL_PROMPT", "0");
            for (String pair : extraEnv) {
                env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
            Process process = builder.start();
            if (!process.waitFor(GIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("git timed out: " + command + "\n" + Files.readString(err));
            }
            return new GitResult(command, process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
