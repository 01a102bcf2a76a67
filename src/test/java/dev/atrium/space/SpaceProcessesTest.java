package dev.atrium.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atrium.auth.Principal;
import dev.atrium.auth.ServerSecret;
import dev.atrium.auth.TokenInfo;
import dev.atrium.auth.TokenRole;
import dev.atrium.auth.User;
import dev.atrium.commit.CommitHeader;
import dev.atrium.commit.CommitOperation;
import dev.atrium.commit.CommitService;
import dev.atrium.commit.NdjsonCommitParser;
import dev.atrium.commit.StagingArea;
import dev.atrium.db.Database;
import dev.atrium.http.Errors;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.GitRepos;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import dev.atrium.repo.Revisions;
import dev.atrium.storage.LocalBlobStore;
import dev.atrium.testing.SettableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting, replacing and stopping Space apps. The "Python" here is a shell script standing in for Streamlit: it
 * serves its health page (and its environment variables) with python3's http.server, or prints an error and exits, or never listens, as the app
 * file says, so that each way an app can end is driven exactly; SpacesIT runs real Streamlit apps in bubblewrap.
 */
class SpaceProcessesTest {
    private static final User ALICE = new User("a".repeat(24), "alice", "alice@example.com", "Alice", false, 0);
    private static final Principal AUTHOR = new Principal(ALICE,
            new TokenInfo("t".repeat(24), ALICE.id(), "laptop", TokenRole.WRITE, 0, null, null));
    private static final String STAND_IN = """
            #!/bin/sh
            [ "$1" = "-c" ] && exec python3 "$@"
            if [ "$2" = "pip" ]; then
              prefix=""; requirements=""; previous=""
              for arg in "$@"; do
                [ "$previous" = "--prefix" ] && prefix="$arg"
                [ "$previous" = "-r" ] && requirements="$arg"
                previous="$arg"
              done
              echo "pip $requirements" >> "$(dirname "$0")/builds.log"
              if grep -q broken "$requirements"; then echo "ERROR: No matching distribution found for broken"; exit 1; fi
              site="$prefix/$(python3 -c 'import sysconfig; print(sysconfig.get_path("purelib", vars={"base": ""}).lstrip("/"))')"
              mkdir -p "$site" && cat "$requirements" > "$site/installed.txt"
              echo "Successfully installed"; exit 0
            fi
            app="$4"; port=""; previous=""
            for arg in "$@"; do [ "$previous" = "--server.port" ] && port="$arg"; previous="$arg"; done
            case "$(cat "$app")" in
              crash*) echo "Traceback: the app broke"; exit 3;;
              hang*) exec sleep 600;;
              hog*) exec python3 -c "b = b'x' * (2 << 30); print('still here')";;
              fill*) truncate -s 2G "$HOME/big.bin";;
              impostor*) (setsid python3 "$(dirname "$0")/health.py" "$port" &
                          echo $! > "$(dirname "$0")/impostor.pid"); exec sleep 600;;
            esac
            exec python3 "$(dirname "$0")/health.py" "$port"
            """;

    /** What the stand-in app serves: its health page, and its environment variables by name. */
    private static final String HEALTH = """
            import http.server, os, sys
            class Health(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    answer = "ok" if self.path.endswith("/_stcore/health") else os.environ.get(self.path[1:], "(unset)")
                    self.send_response(200); self.end_headers(); self.wfile.write(answer.encode())
                def log_message(self, *args): pass
            http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), Health).serve_forever()
            """;

    @TempDir
    Path dir;
    private RepoService repoService;
    private LfsObjects lfs;
    private CommitService commits;
    private StagingArea staging;
    private SpaceProcesses processes;
    private SpaceVariables variables;
    private Jdbi jdbi;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws IOException {
        jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Repos repos = new Repos(jdbi);
        repoService = new RepoService(jdbi, repos, new GitRepos(dir.resolve("git")), Clock.systemUTC());
        lfs = new LfsObjects(jdbi, new LocalBlobStore(dir.resolve("blobs")), Clock.systemUTC());
        commits = new CommitService(lfs, repos, Clock.systemUTC(), 1024);
        staging = StagingArea.open(dir.resolve("staging"));
        variables = new SpaceVariables(jdbi, new ServerSecret(new byte[32]), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (processes != null) {
            processes.close();
        }
        staging.close();
    }

    private SpaceProcesses processes(int running, Duration start) throws IOException {
        return processes(running, start, Clock.systemUTC());
    }

    private SpaceProcesses processes(int running, Duration start, Clock clock) throws IOException {
        return processes(running, start, clock, SpaceHardware.DEFAULTS);
    }

    private SpaceProcesses processes(int running, Duration start, Clock clock, List<SpaceHardware> hardware)
            throws IOException {
        Path python = dir.resolve("python");
        Files.writeString(python, STAND_IN);
        Files.writeString(dir.resolve("health.py"), HEALTH);
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
        processes = new SpaceProcesses(new SpaceSettings(python, null, running, Duration.ofHours(1), start,
                Duration.ofSeconds(20), null, hardware, "auto"), dir,
                repoService, lfs, variables, new SpaceControls(jdbi), () -> "http://127.0.0.1:8080", clock);
        return processes;
    }

    private Repo space(String name) throws IOException {
        return repoService.create(RepoType.SPACE, RepoId.parse("alice/" + name), false, "streamlit",
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"));
    }

    private RevCommit commit(Repo space, String app) throws IOException {
        return commit(space, "app.py", app);
    }

    private RevCommit commit(Repo space, String path, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try (Repository git = repoService.openGit(space)) {
            commits.apply(git, space, AUTHOR, "main", new NdjsonCommitParser.ParsedCommit(
                    new CommitHeader("app", "", null),
                    List.of(new CommitOperation.AddFile(path, staging.stage(out -> out.write(bytes))))));
            return Revisions.resolve(git, "main").commit();
        }
    }

    private boolean answers(int port) {
        return get(port, "_stcore/health").equals("ok");
    }

    /** What the app answers at {@code path}, or "" when it does not answer. */
    private String get(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 100 && !condition.getAsBoolean(); i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void anApp_sleepsUntilVisited_thenRunsAtItsCommit() throws Exception {
        SpaceProcesses apps = processes(2, Duration.ofSeconds(20));
        Repo space = space("one");
        RevCommit head = commit(space, "serve");
        assertEquals(Optional.empty(), apps.status(space), "asleep before its first visit");

        int port = apps.address(space, head, "app.py").port();

        assertTrue(answers(port), "the app answers on the port it was given");
        assertEquals(Optional.of(new SpaceProcesses.Status(head.name(), SpaceProcesses.Stage.RUNNING, null)),
                apps.status(space));
        assertEquals(port, apps.address(space, head, "app.py").port(), "a second visit finds the same process");
    }

    @Test
    void aNewCommit_replacesTheRunningApp() throws Exception {
        SpaceProcesses apps = processes(2, Duration.ofSeconds(20));
        Repo space = space("one");
        int first = apps.address(space, commit(space, "serve"), "app.py").port();
        RevCommit second = commit(space, "serve, version 2");

        int port = apps.address(space, second, "app.py").port();

        assertTrue(answers(port));
        if (port != first) {
            waitFor(() -> !answers(first));
            assertFalse(answers(first), "the first version's process is stopped");
        }
        assertEquals(second.name(), apps.status(space).orElseThrow().commit());
    }

    @Test
    void anAppThatExits_isARuntimeError_withItsLastOutput() throws Exception {
        SpaceProcesses apps = processes(2, Duration.ofSeconds(20));
        Repo space = space("broken");
        RevCommit head = commit(space, "crash");

        SpaceProcesses.AppUnavailable failure = assertThrows(SpaceProcesses.AppUnavailable.class,
                () -> apps.address(space, head, "app.py").port());

        assertEquals(503, failure.status());
        assertTrue(failure.getMessage().contains("exited with status 3"), failure.getMessage());
        assertFalse(failure.getMessage().contains("Traceback"), "the app's output is not for every visitor");
        assertTrue(apps.log(space, null, -1, false).lines().stream()
                .anyMatch(line -> line.text().equals("Traceback: the app broke")), "it is in the run log");
        assertEquals(SpaceProcesses.Stage.RUNTIME_ERROR, apps.status(space).orElseThrow().stage());
    }

    @Test
    void anAppOverItsHardwaresMemory_isKilled_andItsRuntimeSaysSo() throws Exception {
        SpaceProcesses apps = processes(2, Duration.ofSeconds(20), Clock.systemUTC(),
                List.of(new SpaceHardware("tiny", 1, 1, 1)));
        assumeTrue(apps.limited(), "the tests may not make control groups here (not root?)");
        Repo space = space("hungry");
        RevCommit head = commit(space, "hog");

        SpaceProcesses.AppUnavailable failure = assertThrows(SpaceProcesses.AppUnavailable.class,
                () -> apps.address(space, head, "app.py").port());

        assertEquals("Memory limit exceeded (1Gi)", failure.getMessage());
        assertEquals(new SpaceProcesses.Status(head.name(), SpaceProcesses.Stage.RUNTIME_ERROR,
                "Memory limit exceeded (1Gi)"), apps.status(space).orElseThrow());
        assertFalse(apps.log(space, null, -1, false).lines().stream()
                .anyMatch(line -> line.text().contains("still here")), "killed before it got there");
    }

    @Test
    void anAppThatWritesMoreThanItsHardwaresDisk_isStopped_andItsHomeFreed() throws Exception {
        SpaceProcesses apps = processes(2, Duration.ofSeconds(20), Clock.systemUTC(),
                List.of(new SpaceHardware("tiny", 1, 1, 1)));
        Repo space = space("writer");
        RevCommit head = commit(space, "fill");
        Repo modest = space("modest");
        int port = apps.address(space, head, "app.py").port();
        int other = apps.address(modest, commit(modest, "serve"), "app.py").port();
        assertTrue(answers(port), "it runs, with two GiB in its home (sparse: counted, not written)");

        apps.checkDisks();

        assertEquals(new SpaceProcesses.Status(head.name(), SpaceProcesses.Stage.RUNTIME_ERROR,
                "Storage limit exceeded (1Gi)"), apps.status(space).orElseThrow());
        waitFor(() -> !answers(port));
        assertFalse(answers(port), "stopped");
        waitFor(() -> homesHolding("big.bin") == 0);
        assertEquals(0, homesHolding("big.bin"), "its home is freed at once");
        assertTrue(answers(other), "an app within its disk runs on");
    }

    private long homesHolding(String name) {
        try (java.util.stream.Stream<Path> files = Files.walk(dir.resolve("spaces/homes"))) {
            return files.filter(f -> f.getFileName().toString().equals(name)).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1; // a home removed while it was walked: look again
        }
    }

    @Test
    void anAppThatNeverAnswers_isStoppedAtTheStartTimeout() throws Exception {
        SpaceProcesses apps = processes(2, Duration.ofSeconds(1));
        Repo space = space("slow");
        RevCommit head = commit(space, "hang");

        assertThrows(SpaceProcesses.AppUnavailable.class, () -> apps.address(space, head, "app.py").port());
        waitFor(() -> apps.status(space).orElseThrow().stage() == SpaceProcesses.Stage.RUNTIME_ERROR);

        assertTrue(apps.status(space).orElseThrow().message().startsWith("The app did not answer within 1 seconds"),
                apps.status(space).orElseThrow().message());
    }

    @Test
    void beyondTheLimit_theLeastRecentlyUsedStops_andRestartStopsOne() throws Exception {
        SpaceProcesses apps = processes(2, Duration.ofSeconds(20));
        Repo one = space("one");
        Repo two = space("two");
        Repo three = space("three");
        int portOne = apps.address(one, commit(one, "serve"), "app.py").port();
        apps.address(two, commit(two, "serve"), "app.py").port();
        Thread.sleep(5);
        apps.touch(one);

        apps.address(three, commit(three, "serve"), "app.py").port();

        assertEquals(Optional.empty(), apps.status(two), "the least recently used of the two was stopped");
        assertTrue(answers(portOne), "the one used since still runs");
        apps.restart(one);
        assertEquals(Optional.empty(), apps.status(one), "restarted: asleep until its next visit");
        waitFor(() -> !answers(portOne));
        assertFalse(answers(portOne), "and its process is gone");
    }

    @Test
    void theSpacesVariablesAndSecrets_areTheAppsEnvironment_besideWhatTheHubSets() throws Exception {
        SpaceProcesses apps = processes(2, Duration.ofSeconds(20));
        Repo space = space("configured");
        variables.put(space, "GREETING", "hello", "shown to readers", false);
        variables.put(space, "API_TOKEN", "s3cret value", null, true);

        int port = apps.address(space, commit(space, "serve"), "app.py").port();

        assertEquals("hello", get(port, "GREETING"));
        assertEquals("s3cret value", get(port, "API_TOKEN"));
        assertEquals("alice/configured", get(port, "SPACE_ID"));
        assertEquals("http://127.0.0.1:8080", get(port, "HF_ENDPOINT"), "the app's clients use this hub");
        assertEquals("(unset)", get(port, "JAVA_HOME"), "nothing of the server's own environment");
    }

    @Test
    void anAppWhosePortAnotherProgramAnswers_isARuntimeError() throws Exception {
        SpaceProcesses apps = processes(2, Duration.ofSeconds(20));
        Repo space = space("impostor");
        RevCommit head = commit(space, "impostor");
        try {
            SpaceProcesses.AppUnavailable failure = assertThrows(SpaceProcesses.AppUnavailable.class,
                    () -> apps.address(space, head, "app.py"));

            assertTrue(failure.getMessage().startsWith("Another program took the app's port"), failure.getMessage());
        } finally {
            waitFor(() -> Files.exists(dir.resolve("impostor.pid")));
            ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("impostor.pid")).strip()))
                    .ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void anAppUnusedForItsSleepTime_stops_unlessItNeverSleeps() throws Exception {
        SettableClock clock = new SettableClock(Instant.parse("2026-11-27T00:00:00Z"));
        SpaceProcesses apps = processes(3, Duration.ofSeconds(20), clock);
        Repo sleepy = space("sleepy");
        Repo awake = space("awake");
        Repo usual = space("usual");
        apps.setSleepSeconds(sleepy, 60);
        apps.setSleepSeconds(awake, SpaceControls.NEVER);
        for (Repo space : List.of(sleepy, awake, usual)) {
            apps.address(space, commit(space, "serve"), "app.py").port();
        }

        clock.advance(Duration.ofSeconds(61));
        apps.stopIdle();
        assertEquals(Optional.empty(), apps.status(sleepy), "past its own sleep time");
        assertTrue(apps.status(usual).isPresent(), "the hub's default (an hour) is not over");

        clock.advance(Duration.ofHours(2));
        apps.stopIdle();
        assertEquals(Optional.empty(), apps.status(usual), "past the hub's default");
        assertTrue(apps.status(awake).isPresent(), "a Space that never sleeps keeps running");
        assertEquals(3600, apps.controls(usual).sleepSeconds());
        apps.restart(usual);
        assertEquals(3600, apps.controls(usual).sleepSeconds(), "a Space restarted (so with a row) but no sleep time");
        assertThrows(Errors.BadRequest.class, () -> apps.setSleepSeconds(usual, 5), "shorter than a minute");
    }

    @Test
    void requirements_areInstalledOnce_forEveryAppThatNamesThem_andOnTheAppsPath() throws Exception {
        SpaceProcesses apps = processes(3, Duration.ofSeconds(20));
        Repo one = space("one");
        Repo two = space("two");
        commit(one, "requirements.txt", "humanize==4.16\n");
        commit(two, "requirements.txt", "humanize==4.16\n");

        int port = apps.address(one, commit(one, "serve"), "app.py").port();
        apps.address(two, commit(two, "serve"), "app.py").port();

        Path site = Path.of(get(port, "PYTHONPATH"));
        assertEquals("humanize==4.16\n", Files.readString(site.resolve("installed.txt")), "the app imports them");
        assertEquals(1, Files.readAllLines(dir.resolve("builds.log")).size(), "built once for both");
        assertTrue(apps.log(one, null, -1, true).lines().stream().anyMatch(l -> l.text().contains("Successfully")),
                "pip's output is the build log");
    }

    @Test
    void requirementsThatDoNotInstall_areABuildError_withPipsOutput() throws Exception {
        SpaceProcesses apps = processes(2, Duration.ofSeconds(20));
        Repo space = space("broken-build");
        commit(space, "requirements.txt", "broken\n");
        RevCommit head = commit(space, "serve");

        SpaceProcesses.AppUnavailable failure = assertThrows(SpaceProcesses.AppUnavailable.class,
                () -> apps.address(space, head, "app.py").port());

        assertTrue(failure.getMessage().startsWith("Installing requirements.txt failed"), failure.getMessage());
        assertTrue(apps.log(space, null, -1, true).lines().stream()
                .anyMatch(line -> line.text().contains("No matching distribution found for broken")), "pip's words");
        assertEquals(SpaceProcesses.Stage.BUILD_ERROR, apps.status(space).orElseThrow().stage());
        try (var left = Files.list(dir.resolve("spaces").resolve("packages"))) {
            assertEquals(List.of(), left.toList(), "nothing half-built is kept");
        }
    }
}
