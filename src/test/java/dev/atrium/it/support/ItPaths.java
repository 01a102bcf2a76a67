package dev.atrium.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Where integration tests find the build and put their scratch files. Everything lives under {@code target/}
 * so that {@code mvn clean} removes it and a failed run leaves its logs next to the build that produced them.
 */
public final class ItPaths {

    private ItPaths() {}

    /** The checkout root: the nearest directory upwards from the working directory that holds pom.xml. */
    public static Path repoRoot() {
        String configured = System.getProperty("atrium.root");
        if (configured != null) {
            return Path.of(configured).toAbsolutePath();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("no pom.xml above " + Path.of("").toAbsolutePath());
    }

    /** The shaded server jar; failsafe passes it as system property {@code atrium.jar}. */
    public static Path jar() {
        String configured = System.getProperty("atrium.jar");
        Path jar = configured != null ? Path.of(configured) : repoRoot().resolve("target/atrium.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("server jar " + jar + " is missing: run the ITs with 'mvn verify' "
                    + "(the jar is built in the package phase) or pass -Datrium.jar=...");
        }
        return jar.toAbsolutePath();
    }

    /** The java launcher of the JVM running the tests, so server and tests agree on the JDK. */
    public static Path javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static @org.jspecify.annotations.Nullable List<String> sharing;

    /**
     * The options that let a server or admin command started by the tests map the jar's classes from a class-data
     * archive instead of loading them (a start takes a third less time, on a suite that keeps both cores busy with
     * about two hundred of them). The archive is made on first use, by one fork for both, from a server started and
     * stopped; named by the jar's size and time, so a rebuilt jar gets its own. Without one (it could not be made),
     * the options are none: the JVM then loads classes as usual.
     */
    public static synchronized List<String> classDataSharing() {
        if (sharing == null) {
            sharing = makeSharing();
        }
        return sharing;
    }

    private static List<String> makeSharing() {
        try {
            Path jar = jar();
            Path dir = createDirectories(repoRoot().resolve("target/it-cds"));
            Path archive = dir.resolve("atrium-" + Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis()
                    + ".jsa");
            try (FileChannel lock = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock held = lock.lock()) {
                if (!Files.exists(archive)) {
                    try (Stream<Path> older = Files.list(dir)) { // of jars since rebuilt, 37 MB each
                        for (Path old : older.filter(p -> p.toString().endsWith(".jsa")).toList()) {
                            Files.delete(old);
                        }
                    }
                    dumpArchive(jar, dir, archive);
                }
            }
            return List.of("-XX:SharedArchiveFile=" + archive);
        } catch (IOException | RuntimeException e) {
            System.err.println("WARNING: no class-data archive for the ITs' JVMs, they start slower: " + e);
            return List.of();
        }
    }

    private static void dumpArchive(Path jar, Path dir, Path archive) throws IOException {
        Path partial = dir.resolve(archive.getFileName() + ".part");
        Path data = Files.createTempDirectory(dir, "data-");
        Path log = dir.resolve("dump.log");
        Process server = new ProcessBuilder(javaExecutable().toString(), "-XX:ArchiveClassesAtExit=" + partial,
                "-Xmx512m", "--add-modules", "jdk.incubator.vector", "-jar", jar.toString(), "serve", "--host",
                "127.0.0.1", "--port", "0", "--data", data.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(log).contains("Atrium listening on")) {
                if (!server.isAlive() || System.nanoTime() > deadline) {
                    throw new IOException("the server that makes the archive did not start; see " + log);
                }
                Thread.sleep(50);
            }
            server.destroy(); // the archive is written as the JVM exits
            if (!server.waitFor(60, TimeUnit.SECONDS) || !Files.exists(partial)) {
                throw new IOException("the server wrote no archive; see " + log);
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the archive", e);
        } finally {
            server.destroyForcibly();
            deleteRecursively(data);
        }
    }

    public static Path logsDir() {
        return createDirectories(repoRoot().resolve("target/it-logs"));
    }

    /** Whether this test JVM has emptied target/it-tmp yet. */
    private static final AtomicBoolean CLEARED = new AtomicBoolean();

    /**
     * A fresh, empty directory under target/it-tmp/PID, PID being this JVM's (failsafe runs the ITs in two). The
     * first call in a JVM removes the folders of JVMs no longer running: the previous run's client files stay for a
     * post-mortem until the next run, and do not pile up (the Xet tests write over a gigabyte each), while the
     * other fork's, in use, are not touched.
     */
    public static Path newTempDir(String prefix) {
        Path all = repoRoot().resolve("target/it-tmp");
        if (CLEARED.compareAndSet(false, true)) {
            removeFoldersOfEndedRuns(all);
        }
        try {
            Path mine = createDirectories(all.resolve(String.valueOf(ProcessHandle.current().pid())));
            return Files.createTempDirectory(mine, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The TMPDIR (and java.io.tmpdir) of the commands and servers the tests start: the client scripts make temp
     * folders of their own (a cache, a clone) and do not all remove them; here they go with this JVM's folder
     * instead of piling up in /tmp.
     */
    public static Path childTempDir() {
        Path all = repoRoot().resolve("target/it-tmp");
        if (CLEARED.compareAndSet(false, true)) {
            removeFoldersOfEndedRuns(all);
        }
        return createDirectories(all.resolve(ProcessHandle.current().pid() + "/tmp"));
    }

    private static void removeFoldersOfEndedRuns(Path all) {
        if (!Files.isDirectory(all)) {
            return;
        }
        try (var folders = Files.list(all)) {
            for (Path folder : folders.toList()) {
                String name = folder.getFileName().toString();
                boolean running = name.matches("\\d{1,19}") && ProcessHandle.of(Long.parseLong(name)).isPresent();
                if (!running) {
                    try {
                        deleteRecursively(folder);
                    } catch (UncheckedIOException e) {
                        // Best effort (e.g. a tmpfs a killed run left mounted); the other fork may be removing it too.
                        if (Files.exists(folder)) {
                            System.err.println("could not remove " + folder + ": " + e.getCause());
                        }
                    }
                }
            }
        } catch (IOException e) {
            System.err.println("could not list " + all + ": " + e);
        }
    }

    public static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path createDirectories(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SHA-256 of a file's bytes, in lowercase hex: what a round trip compares. */
    public static String sha256(Path file) {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
