package dev.atrium.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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

    public static Path logsDir() {
        return createDirectories(repoRoot().resolve("target/it-logs"));
    }

    /** Whether this test JVM has emptied target/it-tmp yet. */
    private static final AtomicBoolean CLEARED = new AtomicBoolean();

    /**
     * A fresh, empty directory under target/it-tmp. The first call of a run empties it-tmp: the previous run's
     * client files stay for a post-mortem until the next run, and do not pile up (the Xet tests write over a
     * gigabyte each). Failsafe runs the ITs in one JVM, so no other run is using them.
     */
    public static Path newTempDir(String prefix) {
        Path root = repoRoot().resolve("target/it-tmp");
        if (CLEARED.compareAndSet(false, true)) {
            try {
                deleteRecursively(root);
            } catch (UncheckedIOException e) { // e.g. a tmpfs a killed run left mounted: clearing is best effort
                System.err.println("could not empty " + root + ": " + e.getCause());
            }
        }
        try {
            return Files.createTempDirectory(createDirectories(root), prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
