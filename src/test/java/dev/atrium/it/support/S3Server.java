package dev.atrium.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway S3 API server: S3Proxy (org.gaul:s3proxy, which the build copies to {@code target/s3proxy}) in a
 * process of its own, with its filesystem back end in a temp directory, SigV4 authentication and one bucket. It is
 * a full implementation of the S3 REST API (multipart uploads, ranged GETs, copies, listings) used to test S3
 * clients, not a mock; each object is a plain file under {@link #bucketDir()}, so tests can count what is stored.
 */
public final class S3Server implements AutoCloseable {
    public static final String BUCKET = "atrium-test";
    public static final String ACCESS_KEY = "atrium-test-key";
    public static final String SECRET_KEY = "atrium-test-secret-0123456789";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path dir;
    private final int port;

    private S3Server(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    public static S3Server start() {
        Path jar = Path.of("target", "s3proxy", "s3proxy.jar").toAbsolutePath();
        Assumptions.assumeTrue(Files.isRegularFile(jar),
                "SKIPPED: no " + jar + " (mvn generate-test-resources copies S3Proxy there)");
        try {
            Path dir = Files.createTempDirectory("atrium-s3-");
            Files.createDirectories(dir.resolve("data").resolve(BUCKET)); // a bucket is a folder to this back end
            int port = freePort();
            Path properties = dir.resolve("s3proxy.conf");
            Files.writeString(properties, String.join("\n",
                    "s3proxy.endpoint=http://127.0.0.1:" + port,
                    "s3proxy.authorization=aws-v4",
                    "s3proxy.identity=" + ACCESS_KEY,
                    "s3proxy.credential=" + SECRET_KEY,
                    "jclouds.provider=filesystem-nio2",
                    "jclouds.filesystem.basedir=" + dir.resolve("data"),
                    ""));
            Process process = new ProcessBuilder(ItPaths.javaExecutable().toString(), "-Xmx256m", "-jar",
                    jar.toString(), "--properties", properties.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("s3proxy.log").toFile())
                    .start();
            process.getOutputStream().close();
            S3Server server = new S3Server(process, dir, port);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() {
        Daemons.awaitListening("S3Proxy", process, this::log, START_TIMEOUT, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            }
        });
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("s3proxy.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** The credentials as the AWS SDK reads them from the environment. */
    public Map<String, String> credentialsEnvironment() {
        return Map.of("AWS_ACCESS_KEY_ID", ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    }

    /** {@code serve} options that keep large files here, under {@code folder}. */
    public List<String> serveArgs(String folder) {
        return List.of("--blob-store", "s3://" + BUCKET + "/" + folder, "--s3-endpoint", endpoint());
    }

    /** Where the objects of the bucket are files. */
    public Path bucketDir() {
        return dir.resolve("data").resolve(BUCKET);
    }

    /** Total size of the objects under {@code folder} of the bucket. */
    public long bytesUnder(String folder) {
        Path root = bucketDir().resolve(folder);
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        Daemons.stop(process, dir);
    }
}
