package dev.atrium.it.support;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A real Atrium server started from the shaded jar on a random port with its own data directory.
 *
 * <p>Server output (stdout and stderr) goes to {@code target/it-logs/<TestClass>-<n>.log}; restarts append to
 * the same file so a crash test reads as one story. {@link #kill()} and {@link #restart()} exist for crash
 * tests: they keep the data directory and reuse the port, so clients configured with {@link #baseUrl()} keep
 * working.
 */
public final class AtriumProcess implements AutoCloseable {

    // The newline matters: without it a half-written line could yield a truncated port.
    private static final Pattern LISTENING = Pattern.compile("^Atrium listening on (https?://\\S+?)/?\\r?\\n",
            Pattern.MULTILINE);
    private static final Pattern SSH_LISTENING = Pattern.compile("^git over SSH on ssh://git@\\S+?:(\\d+)/",
            Pattern.MULTILINE);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    /** How the server's access logger ({@code atrium.access}, short name shown) starts each line. */
    private static final String ACCESS_MARKER = " INFO access - ";
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final Path dataDir;
    private final boolean ownsDataDir;
    private final List<String> extraArgs;
    private final Map<String, String> environment;
    private final Path logFile;
    private @Nullable Process process;
    private boolean exitRequested;
    private String listenUrl = "";
    private int port;
    /** Where the latest start's output begins in the log: a restart's lines come after the last one's. */
    private long startOffset;

    private AtriumProcess(Path dataDir, boolean ownsDataDir, List<String> extraArgs, Map<String, String> environment,
                          Path logFile) {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.extraArgs = List.copyOf(extraArgs);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
    }

    /** Starts a server on a fresh data directory; the log is named after the calling test class. */
    public static AtriumProcess start(String... extraServeArgs) {
        return launch(ItPaths.newTempDir("data"), true, callerLabel(), Map.of(), extraServeArgs);
    }

    /** {@link #start} with environment variables (credentials a server reads from there); admin commands get them too. */
    public static AtriumProcess startWithEnvironment(Map<String, String> environment, String... extraServeArgs) {
        return launch(ItPaths.newTempDir("data"), true, callerLabel(), environment, extraServeArgs);
    }

    /**
     * Starts a server on a free port chosen before it starts, at {@code --base-url http://127.0.0.1:PORT}: for
     * what needs the hub's URL configured (mail links).
     */
    public static AtriumProcess startWithBaseUrl(String... extraServeArgs) {
        return startWithBaseUrl(freePort(), Map.of(), extraServeArgs);
    }

    /**
     * {@link #startWithBaseUrl(String...)} on a port chosen by the caller (from {@link #freePort}), for what must
     * know the hub's URL before it starts (an identity provider's redirect URI), with environment variables.
     */
    public static AtriumProcess startWithBaseUrl(int port, Map<String, String> environment,
                                                 String... extraServeArgs) {
        List<String> args = new ArrayList<>(Arrays.asList(extraServeArgs));
        args.addAll(List.of("--base-url", "http://127.0.0.1:" + port));
        AtriumProcess server = new AtriumProcess(ItPaths.newTempDir("data"), true, args, environment,
                ItPaths.logsDir().resolve(callerLabel() + "-" + SEQUENCE.incrementAndGet() + ".log"));
        server.launchOnPort(port);
        return server;
    }

    /** A port free now on the loopback (it may be taken again before it is used: tests only). */
    public static int freePort() {
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            return free.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server on an existing data directory, which {@link #close()} leaves in place. */
    public static AtriumProcess startOn(Path dataDir, String... extraServeArgs) {
        return startOn(dataDir, Map.of(), extraServeArgs);
    }

    /** {@link #startOn(Path, String...)} with environment variables, as {@link #startWithEnvironment}. */
    public static AtriumProcess startOn(Path dataDir, Map<String, String> environment, String... extraServeArgs) {
        return launch(dataDir, false, callerLabel(), environment, extraServeArgs);
    }

    private static AtriumProcess launch(Path dataDir, boolean owned, String label, Map<String, String> environment,
                                        String... extraServeArgs) {
        Path log = ItPaths.logsDir().resolve(label + "-" + SEQUENCE.incrementAndGet() + ".log");
        try {
            // A log left by an earlier build would otherwise be appended to, and accessLog() would read it.
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtriumProcess server = new AtriumProcess(dataDir, owned, Arrays.asList(extraServeArgs), environment, log);
        server.launchOnPort(0);
        return server;
    }

    /** The URL clients use: {@code --base-url} when given, otherwise the address the server bound. */
    public String baseUrl() {
        int index = extraArgs.indexOf("--base-url");
        return index >= 0 && index + 1 < extraArgs.size() ? stripSlash(extraArgs.get(index + 1)) : listenUrl;
    }

    /** The address from the server's "Atrium listening on ..." line. */
    public String listenUrl() {
        return listenUrl;
    }

    public int port() {
        return port;
    }

    /**
     * The port of git over SSH (a server started with {@code --ssh-port}), from its latest start's line; waited for,
     * as the line follows the HTTP one (right after a restart, the previous start's line names a closed port).
     */
    public int sshPort() {
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            Matcher matcher = SSH_LISTENING.matcher(readFrom(startOffset));
            String last = null;
            while (matcher.find()) {
                last = matcher.group(1);
            }
            if (last != null) {
                return Integer.parseInt(last);
            }
            sleep(50);
        }
        throw new AssertionError("Atrium printed no 'git over SSH on ...' line; log " + logFile);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** The server's access-log lines so far ({@code METHOD /path STATUS Nms}), to assert which protocol a client used. */
    public List<String> accessLog() {
        try {
            return Files.readAllLines(logFile, StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains(ACCESS_MARKER))
                    .map(line -> line.substring(line.indexOf(ACCESS_MARKER) + ACCESS_MARKER.length()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when some access-log line matches {@code regex} (e.g. {@code "PUT /alice/m.git/info/lfs/objects/.* 200 .*"}). */
    public boolean served(String regex) {
        return accessLog().stream().anyMatch(line -> line.matches(regex));
    }

    public AdminCli admin() {
        List<String> storeArgs = new ArrayList<>();
        for (String option : List.of("--database", "--blob-store", "--s3-endpoint", "--s3-region", "--repos")) {
            int at = extraArgs.indexOf(option);
            if (at >= 0) {
                storeArgs.addAll(extraArgs.subList(at, at + 2));
            }
        }
        return new AdminCli(dataDir, storeArgs, environment);
    }

    public boolean isAlive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    /** SIGKILL, as a crash would: no shutdown hooks, no flushing. */
    public void kill() {
        Process p = process;
        if (p != null) {
            exitRequested = true;
            Proc.killTree(p);
            note("killed with SIGKILL (exit " + exitCodeOf(p) + ")");
        }
    }

    /** SIGTERM and wait for a clean exit; escalates to SIGKILL after a grace period. */
    public void stop() {
        Process p = process;
        if (p == null || !p.isAlive()) {
            return;
        }
        exitRequested = true;
        // Children (e.g. git helpers) are reparented once the server exits, so remember them now.
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                note("did not stop within " + STOP_GRACE.toSeconds() + " s of SIGTERM; killing");
                Proc.killTree(p);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            Proc.killTree(p);
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(child -> {
            note("killing leftover child process " + child.pid());
            child.destroyForcibly();
        });
        note("stopped (exit " + exitCodeOf(p) + ")");
    }

    /**
     * Starts the server again on the same data directory (stopping it first if it still runs). Reuses the old
     * port so that {@link #baseUrl()} stays valid; falls back to a random port if the old one cannot be bound.
     */
    public void restart() {
        stop();
        int previousPort = port;
        note("restarting on port " + previousPort);
        try {
            launchOnPort(previousPort);
        } catch (AssertionError | RuntimeException e) {
            note("restart on port " + previousPort + " failed (" + e.getMessage().lines().findFirst().orElse("")
                    + "); retrying on a random port");
            launchOnPort(0);
        }
    }

    /** Stops the server and deletes the data directory it created (keep it with -Datrium.it.keepData=true). */
    @Override
    public void close() {
        Process p = process;
        if (p != null && !p.isAlive() && !exitRequested) {
            System.err.println("WARNING: Atrium exited on its own with code " + exitCodeOf(p) + " during the test; log: "
                    + logFile);
        }
        stop();
        if (ownsDataDir && !Boolean.getBoolean("atrium.it.keepData")) {
            ItPaths.deleteRecursively(dataDir);
        }
    }

    private void launchOnPort(int requestedPort) {
        List<String> command = new ArrayList<>();
        command.add(ItPaths.javaExecutable().toString());
        command.addAll(ItPaths.classDataSharing());
        command.add("-Xmx512m");
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.add("-Djava.io.tmpdir=" + ItPaths.childTempDir()); // SQLite's native library, unpacked per start
        command.addAll(List.of("--add-modules", "jdk.incubator.vector")); // as ./atrium starts it
        command.addAll(jvmArgsFromProperty());
        command.addAll(List.of("-jar", ItPaths.jar().toString(), "serve", "--host", "127.0.0.1",
                "--port", Integer.toString(requestedPort), "--data", dataDir.toString()));
        command.addAll(extraArgs);

        note("starting: " + String.join(" ", command));
        long logOffset = sizeOf(logFile);
        startOffset = logOffset;
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().put("TMPDIR", ItPaths.childTempDir().toString());
        builder.environment().putAll(environment);
        try {
            exitRequested = false;
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        listenUrl = awaitListening(process, logOffset);
        port = URI.create(listenUrl).getPort();
    }

    private String awaitListening(Process p, long fromOffset) {
        Duration timeout = Duration.ofSeconds(Long.getLong("atrium.it.startTimeoutSeconds", 90));
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            Matcher matcher = LISTENING.matcher(readFrom(fromOffset));
            if (matcher.find()) {
                return matcher.group(1);
            }
            if (!p.isAlive()) {
                throw new AssertionError("Atrium exited with code " + p.exitValue() + " before it was listening; log "
                        + logFile + ":\n" + tail(readFrom(fromOffset)));
            }
            sleep(50);
        }
        Proc.killTree(p);
        throw new AssertionError("Atrium did not print 'Atrium listening on ...' within " + timeout.toSeconds()
                + " s; log " + logFile + ":\n" + tail(readFrom(fromOffset)));
    }

    private static List<String> jvmArgsFromProperty() {
        String value = System.getProperty("atrium.it.jvmArgs", "").trim();
        return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
    }

    /** Lines written by the harness itself, so the log shows what the test did to the server and when. */
    private void note(String message) {
        try {
            Files.writeString(logFile, "### [it-harness " + Instant.now() + "] " + message + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readFrom(long offset) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            if (length <= offset) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 4 << 20)];
            file.seek(offset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
    }

    private static String exitCodeOf(Process p) {
        return p.isAlive() ? "still running" : Integer.toString(p.exitValue());
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Atrium", e);
        }
    }

    /** Simple name of the first caller outside this package: the test class, for the log file name. */
    private static String callerLabel() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .walk(frames -> frames
                        .map(StackWalker.StackFrame::getDeclaringClass)
                        .filter(c -> !c.getPackageName().equals(AtriumProcess.class.getPackageName()))
                        .findFirst()
                        .map(c -> c.getSimpleName().isEmpty() ? c.getName() : c.getSimpleName())
                        .orElse("atrium"));
    }
}
