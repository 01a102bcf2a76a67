package dev.atrium.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Assumptions;

/**
 * A throwaway ClamAV daemon: Debian's {@code clamd} in a process of its own, on a Unix socket and a TCP port, with a
 * signature database written here, since the official signatures are a download this machine cannot make. The
 * scanning engine is ClamAV's own (archives unpacked, hashes and byte patterns matched); only the signatures are
 * ours: the EICAR test file by its hash, as ClamAV's official database names it, and a byte pattern ({@link #MARKER})
 * anywhere in a file of any size.
 */
public final class ClamdServer implements AutoCloseable {
    /** The antivirus test file every scanner knows (eicar.org), assembled so this source is not itself detected. */
    public static final byte[] EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*")
            .getBytes(StandardCharsets.US_ASCII);
    public static final String EICAR_NAME = "Eicar-Test-Signature";
    /** Bytes the test database detects wherever they are in a file. */
    public static final byte[] MARKER = "ATRIUM-TEST-MALWARE-MARKER-5c1e9a".getBytes(StandardCharsets.US_ASCII);
    public static final String MARKER_NAME = "Atrium-Test-Marker";
    private static final Path CLAMD = Path.of("/usr/sbin/clamd");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path dir;
    private final int port;

    private ClamdServer(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /**
     * {@code streamMaxLength}: clamd's limit on one INSTREAM, in bytes; {@code maxFileSize}: the largest file it
     * scans, reported as {@code Heuristics.Limits.Exceeded} beyond (AlertExceedsMax), as Atrium's docs advise.
     */
    public static ClamdServer start(long streamMaxLength, long maxFileSize) {
        Assumptions.assumeTrue(Files.isExecutable(CLAMD), "SKIPPED: no " + CLAMD + " (apt-get install clamav-daemon)");
        try {
            // A short path: a Unix socket's path must fit in 108 bytes.
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "clamd-");
            Path db = Files.createDirectories(dir.resolve("db"));
            Files.writeString(db.resolve("atrium-test.hdb"),
                    md5(EICAR) + ":" + EICAR.length + ":" + EICAR_NAME + "\n");
            Files.writeString(db.resolve("atrium-test.ndb"),
                    MARKER_NAME + ":0:*:" + HexFormat.of().formatHex(MARKER) + "\n");
            int port = freePort();
            Files.writeString(dir.resolve("clamd.conf"), String.join("\n",
                    "Foreground yes",
                    "LocalSocket " + dir.resolve("clamd.sock"),
                    "TCPSocket " + port,
                    "TCPAddr 127.0.0.1",
                    "DatabaseDirectory " + db,
                    "TemporaryDirectory " + dir,
                    "PidFile " + dir.resolve("clamd.pid"),
                    "StreamMaxLength " + streamMaxLength,
                    "MaxFileSize " + maxFileSize,
                    "MaxScanSize " + Math.max(maxFileSize, 100L << 20),
                    "AlertExceedsMax yes",
                    "SelfCheck 0",
                    ""));
            Process process = new ProcessBuilder(CLAMD.toString(), "--config-file=" + dir.resolve("clamd.conf"))
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("clamd.log").toFile())
                    .start();
            process.getOutputStream().close();
            ClamdServer server = new ClamdServer(process, dir, port);
            server.awaitListening();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code --clamd} for its Unix socket. */
    public String unixAddress() {
        return "unix:" + dir.resolve("clamd.sock");
    }

    /** {@code --clamd} for its TCP port. */
    public String tcpAddress() {
        return "tcp://127.0.0.1:" + port;
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("clamd.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private void awaitListening() {
        Daemons.awaitListening("clamd", process, this::log, START_TIMEOUT, () -> {
            try (SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX);
                 SocketChannel tcp = SocketChannel.open()) {
                unix.connect(UnixDomainSocketAddress.of(dir.resolve("clamd.sock")));
                tcp.connect(new InetSocketAddress("127.0.0.1", port));
            }
        });
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        Daemons.stop(process, dir);
    }
}
