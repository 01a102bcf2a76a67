package dev.atrium.inference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.auth.Principal;
import dev.atrium.auth.TokenInfo;
import dev.atrium.auth.TokenRole;
import dev.atrium.auth.User;
import dev.atrium.commit.CommitHeader;
import dev.atrium.commit.CommitOperation;
import dev.atrium.commit.CommitService;
import dev.atrium.commit.NdjsonCommitParser;
import dev.atrium.commit.StagingArea;
import dev.atrium.db.Database;
import dev.atrium.http.Json;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.GitRepos;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import dev.atrium.repo.Revisions;
import dev.atrium.search.RepoFactsReader;
import dev.atrium.storage.LocalBlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model snapshots the worker loads, and the queue and timeout around the worker. The worker here is a shell
 * script standing in for Python (it echoes each request back, or hangs when asked to), so that the waiting and
 * stopping can be driven exactly; InferenceIT runs the real worker with transformers.
 */
class InferenceTest {
    private static final User ALICE = new User("a".repeat(24), "alice", "alice@example.com", "Alice", false, 0);
    private static final Principal AUTHOR = new Principal(ALICE,
            new TokenInfo("t".repeat(24), ALICE.id(), "laptop", TokenRole.WRITE, 0, null, null));
    private static final byte[] WEIGHTS = "safetensors bytes ".repeat(200).getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private RepoService repoService;
    private LfsObjects lfs;
    private CommitService commits;
    private StagingArea staging;
    private Repo repo;
    private Repository git;
    private final List<Inference> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Repos repos = new Repos(jdbi);
        repoService = new RepoService(jdbi, repos, new GitRepos(dir.resolve("git")), Clock.systemUTC());
        lfs = new LfsObjects(jdbi, new LocalBlobStore(dir.resolve("blobs")), Clock.systemUTC());
        // Files over 1 KiB go to LFS, so the weights are read through the blob store.
        commits = new CommitService(lfs, repos, Clock.systemUTC(), 1024);
        staging = StagingArea.open(dir.resolve("staging"));
        repo = repoService.create(RepoType.MODEL, RepoId.parse("alice/model"), false, null,
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"));
        git = repoService.openGit(repo);
    }

    @AfterEach
    void tearDown() throws IOException {
        started.forEach(Inference::close);
        git.close();
        staging.close();
    }

    private RevCommit commit(Object... pathsAndContents) throws IOException {
        List<CommitOperation> ops = new ArrayList<>();
        for (int i = 0; i < pathsAndContents.length; i += 2) {
            Object content = pathsAndContents[i + 1];
            byte[] bytes = content instanceof byte[] b ? b : ((String) content).getBytes(StandardCharsets.UTF_8);
            ops.add(new CommitOperation.AddFile((String) pathsAndContents[i], staging.stage(out -> out.write(bytes))));
        }
        commits.apply(git, repo, AUTHOR, "main", new NdjsonCommitParser.ParsedCommit(
                new CommitHeader("files", "", null), ops));
        return Revisions.resolve(git, "main").commit();
    }

    private RevCommit servableModel() throws IOException {
        return commit("config.json", "{\"model_type\": \"bert\"}", "tokenizer.json", "{}",
                "model.safetensors", WEIGHTS, "README.md", "---\npipeline_tag: text-classification\n---\n");
    }

    private ModelSnapshots snapshots(long limit, int kept) {
        return new ModelSnapshots(dir.resolve("snapshots"), lfs, limit, kept);
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void snapshot_holdsWhatAPipelineReads_andNoPicklesOrCode() throws IOException {
        commit("config.json", "{}", "tokenizer_config.json", "{}", "vocab.txt", "a\nb\n",
                "model.safetensors", WEIGHTS, "pytorch_model.bin", WEIGHTS, "modeling_evil.py", "import os\n",
                "README.md", "# card\n", "onnx/model.json", "{}", "1_Pooling/config.json", "{\"mean\": true}",
                "1_Pooling/deep/x.json", "{}");
        RevCommit head = Revisions.resolve(git, "main").commit();

        Path folder = snapshots(1 << 20, 4).folder(git, repo, head);

        assertEquals(dir.resolve("snapshots").resolve(repo.id()).resolve(head.name()), folder);
        assertEquals(List.of("1_Pooling", "config.json", "model.safetensors", "tokenizer_config.json", "vocab.txt"),
                names(folder));
        assertEquals(List.of("config.json"), names(folder.resolve("1_Pooling")), "a module's files, not deeper");
        assertArrayEquals(WEIGHTS, Files.readAllBytes(folder.resolve("model.safetensors")), "LFS content, whole");
        assertEquals(List.of(repo.id()), names(dir.resolve("snapshots")), "no temporary folder is left");
    }

    @Test
    void atStart_wholeSnapshotsStay_halfWrittenOnesGo() throws IOException {
        ModelSnapshots snapshots = snapshots(1 << 20, 4);
        Path whole = snapshots.folder(git, repo, servableModel());
        Path half = Files.createDirectories(whole.getParent().resolve(".writing-123"));
        Files.writeString(half.resolve("model.safetensors"), "cut short");

        snapshots.removeUnfinished();

        assertTrue(Files.isRegularFile(whole.resolve("model.safetensors")), "a whole snapshot is kept for the next start");
        assertFalse(Files.exists(half));
    }

    @Test
    void snapshot_refusesModelsItWouldNotRun() throws IOException {
        RevCommit pickles = commit("config.json", "{}", "pytorch_model.bin", WEIGHTS);
        var refused = assertThrows(InferenceErrors.NotServed.class,
                () -> snapshots(1 << 20, 4).folder(git, repo, pickles));
        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().contains("never loads pickled weights"), refused.getMessage());

        RevCommit withoutConfig = commitWithout("config.json", "model.safetensors", WEIGHTS);
        assertTrue(assertThrows(InferenceErrors.NotServed.class,
                () -> snapshots(1 << 20, 4).folder(git, repo, withoutConfig)).getMessage().contains("no config.json"));

        RevCommit large = servableModel();
        assertTrue(assertThrows(InferenceErrors.NotServed.class,
                () -> snapshots(WEIGHTS.length, 4).folder(git, repo, large)).getMessage().contains("too large"));
        assertFalse(Files.exists(dir.resolve("snapshots").resolve(repo.id()).resolve(large.name())));
    }

    private RevCommit commitWithout(String deleted, String path, byte[] content) throws IOException {
        commits.apply(git, repo, AUTHOR, "main", new NdjsonCommitParser.ParsedCommit(
                new CommitHeader("change", "", null), List.of(new CommitOperation.DeleteFile(deleted),
                new CommitOperation.AddFile(path, staging.stage(out -> out.write(content))))));
        return Revisions.resolve(git, "main").commit();
    }

    @Test
    void snapshots_beyondKept_leastRecentlyUsedGo() throws Exception {
        ModelSnapshots snapshots = snapshots(1 << 20, 2);
        RevCommit first = servableModel();
        Path firstFolder = snapshots.folder(git, repo, first);
        Files.setLastModifiedTime(firstFolder, java.nio.file.attribute.FileTime.fromMillis(1_000));
        Path second = snapshots.folder(git, repo, commit("config.json", "{\"v\": 2}"));
        Files.setLastModifiedTime(second, java.nio.file.attribute.FileTime.fromMillis(2_000));
        assertEquals(firstFolder, snapshots.folder(git, repo, first), "used again: kept, and now the most recent");

        Path third = snapshots.folder(git, repo, commit("config.json", "{\"v\": 3}"));

        assertTrue(Files.isDirectory(firstFolder));
        assertTrue(Files.isDirectory(third));
        assertFalse(Files.exists(second), "the least recently used of three, with two kept");
        snapshots.forget(repo);
        assertFalse(Files.exists(dir.resolve("snapshots").resolve(repo.id())));
    }

    /**
     * A stand-in worker: answers each request with the request itself, or never when its inputs say "hang" (then it
     * first makes the file {@code hanging}), or streams two pieces of text before its result for "stream me", or
     * answers with another request's id for "out of turn", or streams pieces for "stream until cancelled" until a
     * cancel line comes (400 at most).
     */
    private Path fakePython() throws IOException {
        Path script = dir.resolve("fake-python");
        Files.writeString(script, """
                #!/bin/bash
                while IFS= read -r line; do
                  id=$(printf '%s' "$line" | sed -n 's/.*"id":\\([0-9]*\\).*/\\1/p')
                  case "$line" in
                    *'"hang"'*) touch "HANGING"; sleep 60 ;;
                    *'"stream me"'*)
                      printf '{"id": %s, "chunk": "once "}\n{"id": %s, "chunk": "upon"}\n' "$id" "$id"
                      printf '{"id": %s, "result": {"content": "once upon"}}\n' "$id" ;;
                    *'"out of turn"'*) printf '{"id": 999, "result": 1}\n' ;;
                    *'"stream until cancelled"'*)
                      n=0
                      while [ $n -lt 400 ]; do
                        printf '{"id": %s, "chunk": "piece "}\n' "$id"
                        n=$((n + 1))
                        if IFS= read -r -t 0.05 next && [[ "$next" == *'"cancel"'* ]]; then break; fi
                      done
                      printf '{"id": %s, "result": {"pieces": %s}}\n' "$id" "$n" ;;
                    *) printf '{"id": %s, "result": %s}\n' "$id" "$line" ;;
                  esac
                done
                """.replace("HANGING", dir.resolve("hanging").toString()));
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private static JsonNode said(String content) {
        return Json.MAPPER.valueToTree(List.of(java.util.Map.of("role", "user", "content", content)));
    }

    /** What the stand-in worker echoes of a request with {@code inputs}: the inputs it was sent. */
    private String echoed(Inference inference, String inputs) {
        return inference.run("tester", repo, Optional.empty(), Json.MAPPER.valueToTree(inputs),
                Json.MAPPER.createObjectNode()).path("inputs").asText();
    }

    /** Waits until the stand-in worker has a "hang" request: from then on it holds the worker. */
    private void awaitHanging() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(dir.resolve("hanging")) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private Inference inference(Duration timeout, int waiting) throws IOException {
        Inference inference = new Inference(new InferenceSettings(fakePython(), 1 << 20, timeout, waiting), dir,
                repoService, lfs, new RepoFactsReader(lfs));
        started.add(inference);
        return inference;
    }

    @Test
    void runs_modelsWithinTheLimit_asTheirWeightsCount() throws Exception {
        var extra = (com.fasterxml.jackson.databind.node.ObjectNode) Json.MAPPER.readTree(
                "{\"config\": {}, \"safetensors\": {\"parameters\": {\"F32\": 1000, \"BF16\": 500}, \"total\": 1500}}");
        var facts = new dev.atrium.search.RepoFacts("sha", 0, dev.atrium.card.CardMetadata.EMPTY,
                Optional.of("fill-mask"), Optional.of("transformers"), List.of(), List.of(), extra);
        assertEquals(5000, Inference.weightBytes(facts));
        Path python = fakePython();
        Inference small = new Inference(new InferenceSettings(python, 4999, Duration.ofSeconds(5), 1), dir,
                repoService, lfs, new RepoFactsReader(lfs));
        Inference enough = new Inference(new InferenceSettings(python, 5000, Duration.ofSeconds(5), 1), dir,
                repoService, lfs, new RepoFactsReader(lfs));
        started.add(small);
        started.add(enough);
        assertEquals(Optional.empty(), small.runs(facts), "weights over the limit: not offered");
        assertEquals(Optional.of("fill-mask"), enough.runs(facts));
        assertEquals(Optional.of("fill-mask"), Inference.runnable(facts), "runnable, whatever this hub's limit");
    }

    @Test
    void run_sendsTheSnapshotAndTheCardsTask() throws IOException {
        RevCommit head = servableModel();
        JsonNode sent = inference(Duration.ofSeconds(30), 2).run("tester", repo, Optional.empty(),
                Json.MAPPER.valueToTree("hi"),
                Json.MAPPER.createObjectNode().put("top_k", 1));

        assertEquals("text-classification", sent.path("task").asText());
        assertEquals("hi", sent.path("inputs").asText());
        assertEquals(1, sent.path("parameters").path("top_k").asInt());
        assertEquals(dir.resolve("inference").resolve("models").resolve(repo.id()).resolve(head.name()).toString(),
                sent.path("model").asText());
    }

    @Test
    void run_refusesTasksItDoesNotRun_andOff() throws IOException {
        servableModel();
        var refused = assertThrows(InferenceErrors.NotServed.class, () -> inference(Duration.ofSeconds(30), 2)
                .run("tester", repo, Optional.of("audio-classification"), Json.MAPPER.valueToTree("x"),
                        Json.MAPPER.createObjectNode()));
        assertTrue(refused.getMessage().contains("does not run models for audio-classification"));
        var off = new Inference(InferenceSettings.OFF, dir, repoService, lfs, new RepoFactsReader(lfs));
        started.add(off);
        assertEquals(503, assertThrows(InferenceErrors.NotServed.class, () -> off.run("tester", repo, Optional.empty(),
                Json.MAPPER.valueToTree("x"), Json.MAPPER.createObjectNode())).status());
    }

    @Test
    void chat_passesStreamedPiecesOn_beforeTheResult() throws IOException {
        servableModel();
        Inference inference = inference(Duration.ofSeconds(30), 2);
        List<String> pieces = new ArrayList<>();
        JsonNode result = inference.generate("tester", repo, Inference.Generation.CHAT, said("stream me"),
                Json.MAPPER.createObjectNode().put("stream", true), pieces::add);

        assertEquals(List.of("once ", "upon"), pieces);
        assertEquals("once upon", result.path("content").asText());
        JsonNode sent = inference.generate("tester", repo, Inference.Generation.CHAT, said("hi"),
                Json.MAPPER.createObjectNode(), pieces::add);
        assertEquals("chat-completion", sent.path("task").asText(), "the worker's name for it");
        List<String> none = new ArrayList<>();
        inference.generate("tester", repo, Inference.Generation.CHAT, said("stream me"),
                Json.MAPPER.createObjectNode(), text -> {
                    none.add(text);
                    throw new IllegalStateException("the caller went away");
                });
        assertEquals(List.of("once "), none, "a failing listener gets no more, and the answer is still read whole");
        assertEquals("after", echoed(inference, "after"), "the next answer is the next request's");
    }

    @Test
    void aCancelledGeneration_endsEarly_andTheWorkerStaysInStep() throws Exception {
        servableModel();
        Inference inference = inference(Duration.ofSeconds(30), 2);
        Inference.Streaming streaming = inference.generateStreaming("tester", repo, Inference.Generation.CHAT,
                said("stream until cancelled"),
                Json.MAPPER.createObjectNode().put("stream", true));
        for (int i = 0; i < 3; i++) {
            assertEquals("piece ", streaming.pieces().poll(10, TimeUnit.SECONDS));
        }
        inference.cancel(streaming.ticket());
        JsonNode result = Inference.outcome(streaming.ticket());
        inference.leave(streaming.ticket());
        assertTrue(result.path("pieces").asInt() < 400, "ended early: " + result);
        assertEquals("after", echoed(inference, "after"), "the next answer is the next request's");
    }

    @Test
    void anAnswerOutOfTurn_stopsTheWorker_andTheNextRequestGetsANewOne() throws IOException {
        servableModel();
        Inference inference = inference(Duration.ofSeconds(30), 2);
        var failed = assertThrows(InferenceErrors.Failed.class, () -> inference.run("tester", repo, Optional.empty(),
                Json.MAPPER.valueToTree("out of turn"), Json.MAPPER.createObjectNode()));
        assertEquals(500, failed.status());
        assertEquals("after", echoed(inference, "after"));
    }

    @Test
    void pastTheTimeout_theWorkerIsStopped_andTheNextRequestGetsANewOne() throws IOException {
        servableModel();
        Inference inference = inference(Duration.ofMillis(500), 2);
        var timedOut = assertThrows(InferenceErrors.TimedOut.class, () -> inference.run("tester", repo,
                Optional.empty(),
                Json.MAPPER.valueToTree("hang"), Json.MAPPER.createObjectNode()));
        assertEquals(504, timedOut.status());

        JsonNode next = inference.run("tester", repo, Optional.empty(), Json.MAPPER.valueToTree("after"),
                Json.MAPPER.createObjectNode());
        assertEquals("after", next.path("inputs").asText());
    }

    @Test
    void oneCaller_hasItsShareOfTheQueue_notAllOfIt() throws Exception {
        servableModel();
        Inference inference = inference(Duration.ofSeconds(2), 8);
        List<CompletableFuture<Throwable>> mine = new ArrayList<>();
        for (String input : List.of("hang", "queued")) {
            mine.add(CompletableFuture.supplyAsync(() -> {
                try {
                    inference.run("alice", repo, Optional.empty(), Json.MAPPER.valueToTree(input),
                            Json.MAPPER.createObjectNode());
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            }));
            if (input.equals("hang")) {
                awaitHanging();
            }
        }
        Thread.sleep(200); // the second is queued behind the first
        var tooMany = assertThrows(InferenceErrors.TooMany.class, () -> inference.run("alice", repo, Optional.empty(),
                Json.MAPPER.valueToTree("third"), Json.MAPPER.createObjectNode()));
        assertEquals(429, tooMany.status());
        CompletableFuture<JsonNode> other = CompletableFuture.supplyAsync(() -> inference.run("bob", repo,
                Optional.empty(), Json.MAPPER.valueToTree("bob's"), Json.MAPPER.createObjectNode()));
        assertTrue(mine.get(0).get(10, TimeUnit.SECONDS) instanceof InferenceErrors.TimedOut);
        assertEquals(null, mine.get(1).get(10, TimeUnit.SECONDS), "the queued one ran after it");
        assertEquals("bob's", other.get(10, TimeUnit.SECONDS).path("inputs").asText(), "another caller still gets in");
        assertEquals("again", inference.run("alice", repo, Optional.empty(), Json.MAPPER.valueToTree("again"),
                Json.MAPPER.createObjectNode()).path("inputs").asText(), "a finished request gives its share back");
    }

    @Test
    void beyondTheQueue_requestsAreTurnedAway() throws Exception {
        servableModel();
        Inference inference = inference(Duration.ofSeconds(2), 0);
        CompletableFuture<Throwable> running = CompletableFuture.supplyAsync(() -> {
            try {
                inference.run("tester", repo, Optional.empty(), Json.MAPPER.valueToTree("hang"),
                        Json.MAPPER.createObjectNode());
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        // The first request holds the only place until its timeout, from before the worker has it.
        awaitHanging();
        var busy = assertThrows(InferenceErrors.Busy.class, () -> inference.run("tester", repo, Optional.empty(),
                Json.MAPPER.valueToTree("quick"), Json.MAPPER.createObjectNode()));
        assertEquals(503, busy.status());
        assertEquals("5", busy.headers().get("Retry-After"));
        assertTrue(running.get(10, TimeUnit.SECONDS) instanceof InferenceErrors.TimedOut);
    }
}
