package dev.atrium.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway PostgreSQL cluster from the machine's own binaries (Debian's {@code postgresql} package, which
 * {@code .ci/run} installs): {@code initdb} in a temp directory, a random port on 127.0.0.1, one database owned by
 * one user, stopped and deleted on close. PostgreSQL refuses to run as root, so as root it runs as the
 * {@code postgres} user the package creates. Where no binaries are found, the calling test is skipped, loudly.
 */
public final class PostgresServer implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgresUser;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgresUser) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgresUser = asPostgresUser;
    }

    public static PostgresServer start() {
        Optional<Path> bin = binaries();
        Assumptions.assumeTrue(bin.isPresent(),
                "SKIPPED: no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)");
        boolean root = "root".equals(System.getProperty("user.name"));
        try {
            // Under /tmp rather than the build tree: the postgres user must be able to reach it, and a checkout may
            // sit in a directory only root can enter.
            Path dir = Files.createTempDirectory("atrium-it-postgres-");
            Path data = dir.resolve("data");
            Path sockets = dir.resolve("sockets");
            Files.createDirectories(sockets);
            if (root) {
                Proc.of("chown", "-R", "postgres", dir.toString()).runChecked();
            }
            PostgresServer server = new PostgresServer(bin.get(), dir, freePort(), root);
            server.run(List.of("initdb", "-D", data.toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8"));
            server.run(List.of("pg_ctl", "-D", data.toString(), "-w", "-l", dir.resolve("server.log").toString(),
                    "-o", "-p " + server.port + " -k " + sockets + " -c listen_addresses=127.0.0.1 -c fsync=off",
                    "start"));
            server.run(List.of("psql", "-h", "127.0.0.1", "-p", String.valueOf(server.port), "-U", "postgres", "-q",
                    "-c", "CREATE USER atrium PASSWORD 'atrium'", "-c", "CREATE DATABASE atrium OWNER atrium"));
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The newest installed major version's bin directory. */
    private static Optional<Path> binaries() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(b -> versionOf(b.getParent())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(Path dir) {
        try {
            return Integer.parseInt(dir.getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asPostgresUser) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.add(bin.resolve(command.get(0)).toString());
        full.addAll(command.subList(1, command.size()));
        Proc.of(full).timeout(TIMEOUT).runChecked();
    }

    /** Stops the server, keeping its data: what a database that went away looks like to the hub. */
    public void stop() {
        run(List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-m", "fast", "stop"));
    }

    /** Starts the server stopped by {@link #stop}, on the same port. */
    public void restart() {
        run(List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + port + " -k " + dir.resolve("sockets") + " -c listen_addresses=127.0.0.1 -c fsync=off",
                "start"));
    }

    /** Runs one SQL statement in Atrium's database; returns its output, unaligned and without headers. */
    public String query(String sql) {
        List<String> command = new ArrayList<>(asPostgresUser ? List.of("runuser", "-u", "postgres", "--") : List.of());
        command.addAll(List.of(bin.resolve("psql").toString(), "-h", "127.0.0.1", "-p", String.valueOf(port), "-U",
                "atrium", "-d", "atrium", "-tA", "-c", sql));
        return Proc.of(command).timeout(TIMEOUT).runChecked().stdout().strip();
    }

    /** The URL to pass as {@code --database}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/atrium?user=atrium&password=atrium";
    }

    @Override
    public void close() {
        try {
            run(List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "stop"));
        } finally {
            Proc.of("rm", "-rf", dir.toString()).run();
        }
    }
}
