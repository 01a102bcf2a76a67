package dev.atrium.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One external command: environment, working directory and a hard timeout. Output goes to temp files rather
 * than pipes so that a chatty child can never block on a full pipe while we wait for it.
 */
public final class Proc {

    /** What a finished command left behind. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr, Duration elapsed) {

        public boolean succeeded() {
            return exitCode == 0;
        }

        /** Throws an AssertionError carrying the full output unless the command exited 0. */
        public Result requireSuccess() {
            if (!succeeded()) {
                throw new AssertionError("command failed (exit " + exitCode + "): " + describe());
            }
            return this;
        }

        /** Command line, exit code and both streams, for failure messages. */
        public String describe() {
            return String.join(" ", command) + "\n  exit code: " + exitCode + " after " + elapsed.toMillis() + " ms"
                    + "\n--- stdout ---\n" + stdout + "\n--- stderr ---\n" + stderr + "\n--- end ---";
        }
    }

    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Set<String> removedEnv = new HashSet<>();
    private @Nullable Path cwd;
    private Duration timeout = DEFAULT_TIMEOUT;
    private @Nullable String stdin;

    private Proc(List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        this.command = List.copyOf(command);
    }

    public static Proc of(String... command) {
        return new Proc(List.of(command));
    }

    public static Proc of(List<String> command) {
        return new Proc(command);
    }

    public Proc env(String name, String value) {
        env.put(name, value);
        removedEnv.remove(name);
        return this;
    }

    public Proc env(Map<String, String> variables) {
        variables.forEach(this::env);
        return this;
    }

    /** Drops a variable inherited from the test JVM (e.g. a developer's HF_TOKEN or GIT_DIR). */
    public Proc removeEnv(String... names) {
        for (String name : names) {
            env.remove(name);
            removedEnv.add(name);
        }
        return this;
    }

    public Proc cwd(Path directory) {
        this.cwd = directory;
        return this;
    }

    public Proc timeout(Duration value) {
        this.timeout = value;
        return this;
    }

    public Proc stdin(String text) {
        this.stdin = text;
        return this;
    }

    /** Runs to completion whatever the exit code; throws only on timeout or if the command cannot start. */
    public Result run() {
        Path out = null;
        Path err = null;
        Path in = null;
        try {
            out = Files.createTempFile("atrium-proc-", ".out");
            err = Files.createTempFile("atrium-proc-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (stdin != null) {
                in = Files.createTempFile("atrium-proc-", ".in");
                Files.writeString(in, stdin);
                builder.redirectInput(in.toFile());
            }
            if (cwd != null) {
                builder.directory(cwd.toFile());
            }
            builder.environment().put("TMPDIR", ItPaths.childTempDir().toString());
            removedEnv.forEach(builder.environment()::remove);
            builder.environment().putAll(env);

            long started = System.nanoTime();
            Process process = builder.start();
            if (stdin == null) {
                process.getOutputStream().close(); // a child that reads stdin sees EOF instead of hanging
            }
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                killTree(process);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            Result result = new Result(command, finished ? process.exitValue() : -1, read(out), read(err), elapsed);
            if (!finished) {
                throw new AssertionError("command timed out after " + timeout.toSeconds() + " s: " + result.describe());
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
            deleteQuietly(in);
        }
    }

    /** Runs and requires exit code 0; the AssertionError carries the full output otherwise. */
    public Result runChecked() {
        return run().requireSuccess();
    }

    /** Kills the process and everything it spawned (npm, git-lfs and Python helpers fork). */
    static void killTree(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) throws IOException {
        // Lenient decoding: a tool printing invalid UTF-8 must not hide its output from the failure message.
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(@Nullable Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a leftover temp file is harmless
        }
    }

    @Override
    public String toString() {
        return "Proc" + new ArrayList<>(command);
    }
}
