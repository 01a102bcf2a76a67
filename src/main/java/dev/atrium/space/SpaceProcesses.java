package dev.atrium.space;

import dev.atrium.DaemonThreads;
import dev.atrium.http.HubException;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoSnapshots;
import dev.atrium.storage.Folders;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Streamlit Spaces that run now: one process each, started at the first visit to the app (a Space sleeps until
 * then, as a sleeping Space on the Hub wakes at its next visit), restarted when its default branch moves, stopped
 * after {@link SpaceSettings#idle()} unused or when {@link SpaceSettings#running()} others were used more recently.
 *
 * <p>An app runs from a snapshot of its files at the commit ({@link RepoSnapshots}), confined by {@link SpaceSandbox},
 * with a port of its own on the loopback interface that {@link SpaceProxy} forwards the app's requests to.
 */
public final class SpaceProcesses implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpaceProcesses.class);
    private static final int LOG_LINES = 400;
    private static final int LINE_LIMIT = 4096;
    private static final long FILES_LIMIT = 5L << 30;
    /** Installed requirements kept for the apps that start next. */
    private static final int BUILDS_KEPT = 32;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    /** How long a visit waits for an app to start before it is told to come back (a page that reloads itself). */
    private static final Duration VISIT_WAIT = Duration.ofSeconds(20);
    /** How often what each app wrote to its home is measured against its hardware's disk ({@link #checkDisks}). */
    public static final Duration DISK_CHECK = Duration.ofSeconds(15);
    /** How long an exited app's output may take to be read to its end before the app is reported ended. */
    private static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);

    /** What the Hub's runtime says of an app that is not sleeping. */
    public enum Stage { BUILDING, BUILD_ERROR, APP_STARTING, RUNNING, RUNTIME_ERROR }

    /** One line the app wrote (standard output and error together), numbered from 0 for each start. */
    public record LogLine(long number, Instant at, String text) {}

    /** The lines after {@code after} of the app running now, and whether that app (the one {@code app} names) runs. */
    public record LogTail(Object app, List<LogLine> lines, boolean live) {}

    /** Where the hub reaches a running app: its loopback port, and the secret path it answers under. */
    public record Address(int port, String path) {
        /** The URL of {@code rest} (still encoded) in the app, for {@code scheme} http or ws. */
        public String url(String scheme, String rest) {
            return scheme + "://127.0.0.1:" + port + path + rest;
        }
    }

    /** An app's state as the runtime reports it: for which commit, at which stage, and why it stopped if it did. */
    public record Status(String commit, Stage stage, @Nullable String message) {}

    /** The app did not start or stopped: 503 with its last log lines, as the Hub's runtime error page shows them. */
    public static final class AppUnavailable extends HubException {
        private static final long serialVersionUID = 1L;
        private final boolean starting;

        AppUnavailable(String message, boolean starting) {
            super(message);
            this.starting = starting;
        }

        /** Whether the app is on its way (building or starting): worth coming back to in a moment. */
        public boolean starting() {
            return starting;
        }

        @Override public int status() { return 503; }
        @Override public Map<String, String> headers() { return starting ? Map.of("Retry-After", "5") : Map.of(); }
    }

    private final SpaceSettings settings;
    private final RepoService repoService;
    private final RepoSnapshots snapshots;
    private final SpaceSandbox sandbox;
    private final SpaceCgroups cgroups;
    private final SpaceBuilds builds;
    /**
     * How many apps hold each snapshot and packages folder now (apps with the same requirements share one): those
     * are kept whatever else is removed to make room.
     */
    private final Map<Path, Integer> inUse = new java.util.concurrent.ConcurrentHashMap<>();
    private final SpaceVariables variables;
    private final SpaceControls controls;
    private final java.util.function.Supplier<String> hubUrl;
    private final Path home;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, App> apps = new HashMap<>();
    /**
     * Stops idle apps, and starts every app process: bubblewrap ends an app when the thread that started it ends
     * ({@code --die-with-parent}), so they are started by this thread, which lives as long as the server.
     */
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("space-supervisor"));

    public SpaceProcesses(SpaceSettings settings, Path dataDir, RepoService repoService, LfsObjects lfs,
                          SpaceVariables variables, SpaceControls controls,
                          java.util.function.Supplier<String> hubUrl, Clock clock) throws IOException {
        this.controls = controls;
        this.settings = settings;
        this.variables = variables;
        this.hubUrl = hubUrl;
        this.repoService = repoService;
        this.home = dataDir.resolve("spaces");
        this.snapshots = new RepoSnapshots(home.resolve("files"), lfs, 2 * settings.running(), inUse::containsKey);
        this.sandbox = settings.enabled() ? SpaceSandbox.of(settings, dataDir) : SpaceSandbox.NONE;
        this.cgroups = settings.enabled() ? cgroups(settings.cgroup(), dataDir) : SpaceCgroups.none("no Spaces run");
        this.builds = new SpaceBuilds(home.resolve("packages"), settings.python() + "\n"
                + (settings.pipConfig() == null ? "" : Files.readString(settings.pipConfig())));
        this.clock = clock;
        if (settings.enabled()) {
            snapshots.removeUnfinished();
            builds.removeUnfinished();
            Folders.deleteTree(home.resolve("homes"));
            long every = Math.max(1, Math.min(15, settings.idle().toSeconds() / 4));
            supervisor.scheduleWithFixedDelay(this::stopIdle, every, every, TimeUnit.SECONDS);
        }
    }

    public boolean enabled() {
        return settings.enabled();
    }

    /** Whether apps run within their hardware's limits (this machine lets the hub make control groups). */
    public boolean limited() {
        return cgroups.limits();
    }

    /** The machine's control groups for apps, in a folder named for this hub's data (see {@link SpaceCgroups}). */
    private static SpaceCgroups cgroups(String option, Path dataDir) throws IOException {
        String self = Files.isReadable(Path.of("/proc/self/cgroup")) ? Files.readString(Path.of("/proc/self/cgroup"))
                : "";
        String hub = dev.atrium.storage.Sha256.of(dataDir.toAbsolutePath().normalize().toString()
                .getBytes(StandardCharsets.UTF_8)).hex().substring(0, 12);
        SpaceCgroups groups = SpaceCgroups.of(option, Path.of("/sys/fs/cgroup"), self, "atrium-spaces-" + hub);
        if (groups.limits()) {
            LOG.info("{}", groups.describe());
        } else {
            LOG.warn("{}", groups.describe());
        }
        return groups;
    }

    /** The state of {@code space}'s app, if it is not sleeping. */
    public synchronized Optional<Status> status(Repo space) {
        App app = apps.get(space.id());
        return app == null ? Optional.empty() : Optional.of(app.status());
    }

    /**
     * Where {@code space}'s app at {@code head} answers, once it does: started now if it sleeps or runs an older
     * commit. Waits a little, then tells the caller to come back (the app goes on starting).
     */
    public Address address(Repo space, RevCommit head, String appFile) {
        App app;
        synchronized (this) {
            // Checked under the lock that pause() stops the app with, so that a visit in flight cannot restart it.
            if (controls.of(space).paused()) {
                throw new AppUnavailable("The Space is paused; its owners can restart it", false);
            }
            app = apps.get(space.id());
            if (app == null || !app.commit.equals(head.name())) {
                if (app != null) {
                    apps.remove(space.id());
                    app.stop("a newer commit replaced it");
                }
                if (!roomForOneMore()) {
                    throw new AppUnavailable("This hub runs as many Spaces as it can, and they are all starting;"
                            + " try again in a moment", true);
                }
                app = new App(space, head, appFile);
                apps.put(space.id(), app);
                daemon("space-start-" + space.id(), app::start);
            }
            app.lastUsed = clock.instant();
        }
        try {
            app.ready.get(Math.min(settings.start().toMillis(), VISIT_WAIT.toMillis()), TimeUnit.MILLISECONDS);
            return new Address(app.port, "/" + app.secret + "/");
        } catch (TimeoutException e) {
            throw new AppUnavailable(app.stage == Stage.BUILDING ? "The Space is installing its requirements"
                    : "The Space is starting", true);
        } catch (ExecutionException e) {
            String why = app.status().message();
            throw new AppUnavailable(why != null ? why : e.getCause().getMessage(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AppUnavailable("The Space is starting", true);
        }
    }

    /** How many apps run now (building and starting ones not counted). */
    public synchronized int running() {
        return (int) apps.values().stream().filter(app -> app.stage == Stage.RUNNING && !app.stopped).count();
    }

    /** Marks {@code space}'s app as used now, so that it is not stopped as idle while a page keeps talking to it. */
    public synchronized void touch(Repo space) {
        App app = apps.get(space.id());
        if (app != null) {
            app.lastUsed = clock.instant();
        }
    }

    /** Stops {@code space}'s app; its next visit starts it again. */
    public synchronized void stop(Repo space, String why) {
        App app = apps.remove(space.id());
        if (app != null) {
            app.stop(why);
        }
    }

    /** The Hub's restart: unpaused, and stopped so that its next visit starts it afresh. */
    public void restart(Repo space) {
        controls.setPaused(space, false);
        stop(space, "restarted");
    }

    /** The Hub's pause: stopped, and not started again until restarted. */
    public synchronized void pause(Repo space) {
        controls.setPaused(space, true);
        stop(space, "paused");
    }

    /** Whether {@code space}'s app is paused, and how long it may go unused before it stops (-1: never). */
    public record Controls(boolean paused, long sleepSeconds, SpaceHardware hardware) {}

    /** The Space's controls, read in one query. */
    public Controls controls(Repo space) {
        SpaceControls.Settings set = controls.of(space);
        return new Controls(set.paused(), set.sleepSeconds().orElse(settings.idle().toSeconds()),
                set.hardware().flatMap(settings::hardware).orElse(settings.defaultHardware()));
    }

    /** What a Space runs on until its writers choose. */
    public SpaceHardware defaultHardware() {
        return settings.defaultHardware();
    }

    /** What this hub offers Spaces to run on, the default first. */
    public List<SpaceHardware> offered() {
        return settings.hardware();
    }

    /** What {@code space}'s app runs on: what its writers asked for while the hub offers it, else the default. */
    public SpaceHardware hardware(Repo space) {
        return controls(space).hardware();
    }

    /**
     * The Hub's {@code request_space_hardware}: {@code space}'s app runs on {@code name} from its next start; a running
     * app is stopped so that its next visit starts it there, as the Hub restarts a Space on new hardware.
     */
    public void setHardware(Repo space, String name) {
        checkOffered(name);
        boolean changed = !hardware(space).name().equals(name);
        controls.setHardware(space, name);
        if (changed) {
            stop(space, "its hardware changed to " + name);
        }
    }

    private void checkOffered(String name) {
        if (settings.hardware(name).isEmpty()) {
            throw new dev.atrium.http.Errors.BadRequest("This hub has no hardware '" + name + "'; it offers "
                    + String.join(", ", settings.hardware().stream().map(SpaceHardware::name).toList()));
        }
    }

    /** Refuses, before a Space is made, what its creation asks that the hub cannot give. */
    public void check(SpaceRuntimeRequest request) {
        if (request.hardware() != null) {
            checkOffered(request.hardware());
        }
        if (request.sleepSeconds() != null) {
            SpaceControls.checkSleepSeconds(request.sleepSeconds());
        }
    }

    /** Gives a Space just made what its creation asked ({@link #check} passed). */
    public void apply(Repo space, SpaceRuntimeRequest request) {
        if (request.hardware() != null) {
            setHardware(space, request.hardware());
        }
        if (request.sleepSeconds() != null) {
            setSleepSeconds(space, request.sleepSeconds());
        }
    }

    /** Sets {@code space}'s sleep time; a running app keeps to it from now on. */
    public synchronized void setSleepSeconds(Repo space, long seconds) {
        controls.setSleepSeconds(space, seconds);
        App app = apps.get(space.id());
        if (app != null) {
            app.sleepSeconds = seconds;
        }
    }

    /**
     * The app's lines numbered after {@code after} (of those kept, the last few hundred), oldest first: its run's,
     * or its requirements' {@code build}. {@code app} is what an earlier call answered: when the app was replaced
     * since, its tail is not live any more.
     */
    public synchronized LogTail log(Repo space, @Nullable Object app, long after, boolean build) {
        App running = apps.get(space.id());
        if (running == null || app != null && app != running) {
            return new LogTail(app, List.of(), false);
        }
        Output output = build ? running.buildOutput : running.output;
        return new LogTail(running, output.after(after), !running.stopped
                && (!build || running.stage == Stage.BUILDING));
    }

    /** Stops a deleted or renamed Space's app and removes its files. */
    public void forget(Repo space) {
        stop(space, "the Space was deleted or moved");
        synchronized (snapshots) {
            try {
                snapshots.forget(space);
            } catch (IOException e) {
                LOG.warn("Removing the files of Space {}: {}", space.repoId(), e.toString());
            }
        }
    }

    /**
     * Makes room for one more app within the limit: the least recently used apps stop, but not one that is
     * building or starting, so that visits to many Spaces in turn cannot keep an app from ever finishing its start.
     * Whether there is room now (there is not when all the others are starting).
     */
    private boolean roomForOneMore() {
        List<App> byUse = apps.values().stream()
                .filter(a -> a.stage != Stage.BUILDING && a.stage != Stage.APP_STARTING)
                .sorted(Comparator.comparing((App a) -> a.lastUsed)).toList();
        int over = apps.size() - (settings.running() - 1);
        for (App old : byUse.subList(0, Math.max(0, Math.min(over, byUse.size())))) {
            apps.remove(old.space.id());
            old.stop("other Spaces were used more recently");
        }
        return apps.size() < settings.running();
    }

    /** Stops the apps unused for longer than their sleep time; runs every few seconds, and from tests. */
    synchronized void stopIdle() {
        Instant now = clock.instant();
        // A failure here must not end the schedule: nothing would stop idle apps any more.
        try {
            stopIdleAt(now);
        } catch (RuntimeException e) {
            LOG.warn("Stopping idle Space apps: {}", e.toString());
        }
    }

    private void stopIdleAt(Instant now) {
        apps.values().removeIf(app -> {
            boolean idle = app.sleepSeconds != SpaceControls.NEVER
                    && app.lastUsed.isBefore(now.minusSeconds(app.sleepSeconds));
            if (idle) {
                app.stop("unused for " + app.sleepSeconds + " seconds");
            }
            return idle;
        });
    }

    /**
     * Stops the apps whose home holds more than their hardware's disk: the homes share the hub's own disk, which an
     * app that writes without end would fill. Run every {@link #DISK_CHECK} by the hub's housekeeping, not by the
     * supervisor, which must stay free to start apps however long a walk over a large home takes.
     */
    public void checkDisks() {
        List<App> running;
        synchronized (this) {
            running = List.copyOf(apps.values());
        }
        for (App app : running) {
            try {
                app.checkDisk();
            } catch (RuntimeException e) {
                LOG.warn("Measuring the disk of Space {}: {}", app.space.repoId(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> released;
        synchronized (this) {
            apps.values().forEach(app -> app.stop("the hub stopped"));
            released = apps.values().stream().map(app -> app.released).toList();
            apps.clear();
            supervisor.shutdownNow();
        }
        try {
            CompletableFuture.allOf(released.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Space apps still ending as the hub stops: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        cgroups.close();
    }

    /** The last lines a process wrote (standard output and error together), numbered from 0. */
    private final class Output {
        private final ArrayDeque<LogLine> lines = new ArrayDeque<>();
        private long written;

        /**
         * Reads {@code process}'s output to its end (the process exited or was stopped). Lines are cut at
         * {@link #LINE_LIMIT} characters, so that an app that writes without a newline costs the hub no memory.
         */
        void readAll(Process process) {
            try (InputStreamReader in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)) {
                char[] buffer = new char[8192];
                StringBuilder line = new StringBuilder();
                boolean cut = false;
                for (int n; (n = in.read(buffer)) > 0; ) {
                    for (int i = 0; i < n; i++) {
                        if (buffer[i] == '\n') {
                            add(line.toString());
                            line.setLength(0);
                            cut = false;
                        } else if (line.length() < LINE_LIMIT) {
                            line.append(buffer[i]);
                        } else if (!cut) {
                            line.append('…');
                            cut = true;
                        }
                    }
                }
                if (!line.isEmpty()) {
                    add(line.toString());
                }
            } catch (IOException e) {
                LOG.debug("Reading a Space's output: {}", e.toString());
            }
        }

        private synchronized void add(String line) {
            lines.addLast(new LogLine(written++, clock.instant(), line));
            if (lines.size() > LOG_LINES) {
                lines.removeFirst();
            }
        }

        synchronized List<LogLine> after(long number) {
            return lines.stream().filter(line -> line.number() > number).toList();
        }

    }

    /** One app process: its start, its output and its end. */
    private final class App {
        final Repo space;
        final String commit;
        final String appFile;
        final CompletableFuture<Void> ready = new CompletableFuture<>();
        /** The path the app answers under, known to the hub alone. */
        final String secret = java.util.HexFormat.of().formatHex(randomBytes(16));
        final Output output = new Output();
        /** Counted down when the app's output has been read to its end. */
        private final java.util.concurrent.CountDownLatch outputRead = new java.util.concurrent.CountDownLatch(1);
        final Output buildOutput = new Output();
        volatile Instant lastUsed;
        volatile int port;
        volatile @Nullable Process process;
        volatile Stage stage = Stage.APP_STARTING;
        volatile @Nullable String message;
        volatile boolean stopped;
        volatile long sleepSeconds;
        /** The snapshot and packages folders this app holds (see {@link #hold}). */
        private final List<Path> held = new java.util.ArrayList<>();
        /** The app's own writable folder, its home; gone when the app stops, as a Space's disk is on the Hub. */
        final Path appHome;
        /** What the app and its build may use of the machine. */
        final SpaceHardware hardware;
        /** Holds the app's processes to its hardware: made when it starts, removed when it stops. */
        private volatile SpaceCgroups.@Nullable Group group;
        /** Completed when the app's group and home are gone. */
        final CompletableFuture<Void> released = new CompletableFuture<>();

        App(Repo space, RevCommit head, String appFile) {
            this.space = space;
            this.commit = head.name();
            this.appFile = appFile;
            // Of this start alone: the previous app's home is removed when its process has ended, maybe later.
            this.appHome = home.resolve("homes").resolve(space.id() + "-" + commit + "-"
                    + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()));
            Controls set = controls(space);
            this.sleepSeconds = set.sleepSeconds();
            this.hardware = set.hardware();
            this.lastUsed = clock.instant();
        }

        Status status() {
            return new Status(commit, stage, message);
        }

        void start() {
            try {
                Path files;
                try (Repository git = repoService.openGit(space);
                     org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(git)) {
                    RevCommit head = walk.parseCommit(git.resolve(commit));
                    synchronized (snapshots) {
                        files = snapshots.folder(git, space, head, SpaceProcesses::withinLimit);
                        if (!hold(files)) {
                            return;
                        }
                    }
                }
                Files.createDirectories(appHome);
                if (!openGroup()) {
                    return;
                }
                Optional<SpaceBuilds.Build> build;
                try {
                    build = builds.of(files);
                } catch (SpaceBuilds.Refused e) {
                    fail(Stage.BUILD_ERROR, e.getMessage());
                    return;
                }
                Path packages = build.map(SpaceBuilds.Build::folder).orElse(null);
                // Held before it is looked at, so that no other app's build removes it to make room meanwhile.
                if (packages != null && (!hold(packages) || !build.get().done() && !build(build.get()))) {
                    return;
                }
                SpaceSandbox.View view = new SpaceSandbox.View(files, appHome, packages, false);
                port = freePort();
                Map<String, String> env = new java.util.LinkedHashMap<>(variables.environment(space));
                // huggingface_hub, transformers and datasets in the app use this hub, unless the Space says otherwise.
                env.putIfAbsent("HF_ENDPOINT", hubUrl.get());
                if (!started(sandbox.command(view, appFile, port, secret, space, env))) {
                    return;
                }
                stage = Stage.APP_STARTING;
                // Its exit, not the end of its output (a child of the app's may keep that open), ends the app; the
                // output gets a moment to be read to its end first, so that the run log holds its last words.
                process.onExit().thenAcceptAsync(exited -> {
                    awaitOutput(OUTPUT_DRAIN);
                    if (!stopped) {
                        fail(group.memoryExceeded() ? memoryExceeded() : "The app exited with status "
                                + exited.exitValue() + "; its output is in the run log");
                    }
                    // What the app left running goes with it.
                    group.close();
                });
                daemon("space-output-" + space.id(), this::readOutput);
                awaitHealthy();
            } catch (IOException | RuntimeException e) {
                fail("The Space could not start: " + e.getMessage());
            }
        }

        /** Makes the app's control group, unless the app was stopped meanwhile. */
        private synchronized boolean openGroup() throws IOException {
            if (stopped) {
                return false;
            }
            try {
                group = cgroups.create("app-" + appHome.getFileName(), hardware);
                return true;
            } catch (IOException e) {
                throw new IOException("its control group could not be made (" + e.getMessage() + ")", e);
            }
        }

        /** Stops the app, and frees its home at once, if it wrote more there than its hardware's disk. */
        void checkDisk() {
            Process running = process;
            if (stopped || running == null || !running.isAlive() || Folders.size(appHome) <= hardware.diskBytes()) {
                return;
            }
            fail("Storage limit exceeded (" + hardware.diskGib() + "Gi)");
            stopProcess();
            running.onExit().thenRun(this::release);
        }

        /** The Hub's words for an app the kernel stopped at its memory limit. */
        private String memoryExceeded() {
            return "Memory limit exceeded (" + hardware.memoryLabel() + ")";
        }

        /** Starts {@code builder}'s process in the app's group as this app's, unless the app was stopped meanwhile. */
        private boolean started(ProcessBuilder builder) throws IOException {
            List<String> command = new java.util.ArrayList<>(group.enter());
            command.addAll(builder.command());
            Process launched = launch(builder.command(command).redirectErrorStream(true));
            synchronized (this) {
                process = launched;
                if (stopped) {
                    stopProcess();
                    return false;
                }
            }
            return true;
        }

        /** Installs the app's requirements; whether they are in place (else the app has failed or was stopped). */
        private boolean build(SpaceBuilds.Build build) throws IOException {
            stage = Stage.BUILDING;
            try {
                if (!started(sandbox.build(build.start()))) {
                    return false;
                }
                Process pip = process;
                // Past the build's time, pip is stopped and the reading below ends.
                java.util.concurrent.atomic.AtomicBoolean late = new java.util.concurrent.atomic.AtomicBoolean();
                var watchdog = supervisor.schedule(() -> {
                    late.set(true);
                    stopProcess();
                }, settings.build().toMillis(), TimeUnit.MILLISECONDS);
                buildOutput.readAll(pip);
                watchdog.cancel(false);
                int code = pip.onExit().join().exitValue();
                if (stopped) {
                    return false;
                }
                if (code != 0) {
                    build.abandon();
                    fail(Stage.BUILD_ERROR, late.get() ? "Installing " + SpaceBuilds.REQUIREMENTS + " took longer"
                            + " than " + settings.build().toMinutes() + " minutes"
                            : group.memoryExceeded() ? memoryExceeded() + " while installing "
                            + SpaceBuilds.REQUIREMENTS : "Installing " + SpaceBuilds.REQUIREMENTS + " failed (pip"
                            + " exited with " + code + "); its output is in the build log");
                    return false;
                }
                build.commit();
                builds.removeBeyond(BUILDS_KEPT, inUse::containsKey);
                return true;
            } finally {
                build.abandon();
            }
        }

        private void readOutput() {
            try {
                output.readAll(process);
            } finally {
                outputRead.countDown();
            }
        }

        private void awaitOutput(Duration atMost) {
            try {
                outputRead.await(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void awaitHealthy() {
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + secret
                            + "/_stcore/health"))
                    .timeout(Duration.ofSeconds(2)).build();
            Instant deadline = clock.instant().plus(settings.start());
            while (!stopped && process.isAlive() && clock.instant().isBefore(deadline)) {
                try {
                    if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        if (!ListeningSockets.ownedBy(port, process.toHandle()).orElse(true)) {
                            fail("Another program took the app's port; restart the Space");
                            stopProcess();
                            return;
                        }
                        stage = Stage.RUNNING;
                        ready.complete(null);
                        LOG.info("Space {} runs at commit {} on port {}", space.repoId(), commit, port);
                        return;
                    }
                } catch (IOException e) {
                    // Not listening yet.
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (!stopped && process.isAlive()) {
                fail("The app did not answer within " + settings.start().toSeconds() + " seconds");
                stopProcess();
            }
        }

        private void fail(String why) {
            fail(Stage.RUNTIME_ERROR, why);
        }

        /**
         * Records why the app ended; the first reason stays (a timeout's kill also ends the process). The reason is
         * the hub's words only, shown to whoever may see the Space: the app's output, which may hold what its
         * secrets opened, is for its writers (the logs, the settings page).
         */
        private synchronized void fail(Stage failed, String why) {
            if (stage == Stage.RUNTIME_ERROR || stage == Stage.BUILD_ERROR) {
                return;
            }
            message = why;
            stage = failed;
            ready.completeExceptionally(new IOException(message));
            LOG.warn("Space {} at {}: {}", space.repoId(), commit, why);
        }


        /** Holds {@code folder} for this app until it stops; false if it has stopped already. */
        private synchronized boolean hold(Path folder) {
            if (stopped) {
                return false;
            }
            inUse.merge(folder, 1, Integer::sum);
            held.add(folder);
            return true;
        }

        synchronized void stop(String why) {
            stopped = true;
            for (Path folder : held) {
                inUse.computeIfPresent(folder, (f, n) -> n > 1 ? n - 1 : null);
            }
            held.clear();
            ready.completeExceptionally(new IOException("The app was stopped: " + why));
            stopProcess();
            LOG.info("Space {} stopped: {}", space.repoId(), why);
        }

        private void stopProcess() {
            Process p = process;
            if (p == null) {
                if (stopped) {
                    release();
                }
                return;
            }
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            if (stopped) {
                p.onExit().thenRun(this::release);
            }
        }

        /** Removes what the app had of the machine once its process has ended: its group, its home. */
        private void release() {
            SpaceCgroups.Group made = group;
            if (made != null) {
                made.close();
            }
            try {
                Folders.deleteTree(appHome);
            } catch (IOException e) {
                LOG.warn("Removing the home folder of Space {}: {}", space.repoId(), e.toString());
            } finally {
                released.complete(null);
            }
        }
    }

    private Process launch(ProcessBuilder builder) throws IOException {
        try {
            return supervisor.submit(builder::start).get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the app", e);
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** A Space's files, unless they are more than an app should be run from: every file is written out. */
    private static List<dev.atrium.repo.FileEntry> withinLimit(List<dev.atrium.repo.FileEntry> files) {
        long bytes = files.stream().mapToLong(dev.atrium.repo.FileEntry::size).sum();
        if (bytes > FILES_LIMIT) {
            throw new IllegalStateException("the Space's files hold " + bytes + " bytes; an app runs from at most "
                    + FILES_LIMIT + " (keep large files in a model or dataset repo and download them)");
        }
        return files;
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
