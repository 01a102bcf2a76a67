package dev.atrium.scan;

import dev.atrium.DaemonThreads;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client of ClamAV's daemon, {@code clamd}, over its socket protocol (a Unix socket or TCP): files are streamed to
 * it with {@code INSTREAM}, so clamd needs no access to Atrium's files and may run on another machine. One connection
 * per command, as clamd closes it after each answer.
 */
public final class Clamd implements AutoCloseable {
    /** Bytes per INSTREAM chunk; clamd reads each into memory before scanning on. */
    private static final int CHUNK = 256 << 10;
    private static final int MAX_ANSWER = 64 << 10;
    /** The names clamd gives files it stopped scanning at one of its limits (with {@code AlertExceedsMax yes}). */
    private static final String LIMITS_EXCEEDED = "Heuristics.Limits.Exceeded";

    /** What clamd said of a stream. */
    public sealed interface Verdict {
        record Clean() implements Verdict {}

        /** {@code names}: the signatures that matched, as clamd names them. */
        record Infected(List<String> names) implements Verdict {}

        /**
         * Past one of clamd's limits: {@code StreamMaxLength} (it stopped reading), or {@code MaxFileSize} /
         * {@code MaxScanSize} reported with {@code AlertExceedsMax yes}. Not (wholly) scanned.
         */
        record TooLarge() implements Verdict {}
    }

    /** clamd could not be reached, or answered with an error. */
    public static final class ClamdException extends IOException {
        ClamdException(String message) {
            super(message);
        }

        ClamdException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final SocketAddress address;
    private final String shown;
    private final Duration timeout;
    /** Closes a connection whose command outlives the timeout: blocking channels have no read timeout of their own. */
    private final ScheduledExecutorService watchdog;

    private Clamd(SocketAddress address, String shown, Duration timeout) {
        this.address = address;
        this.shown = shown;
        this.timeout = timeout;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                DaemonThreads.named("clamd-watchdog"));
        executor.setRemoveOnCancelPolicy(true);
        this.watchdog = executor;
    }

    /** {@code timeout} bounds one command, connection and scan included. */
    public static Clamd at(ClamdSettings settings, Duration timeout) {
        Target target = Target.parse(settings.address());
        return new Clamd(target.address(), target.shown(), timeout);
    }

    /**
     * Where clamd listens: {@code unix:/run/clamav/clamd.ctl} (or a bare absolute path) for a Unix socket,
     * {@code tcp://host:3310} for TCP.
     */
    record Target(SocketAddress address, String shown) {
        static Target parse(String address) {
            String value = address.strip();
            if (value.startsWith("unix:") || value.startsWith("/")) {
                Path socket = Path.of(value.startsWith("unix:") ? value.substring("unix:".length()) : value);
                if (!socket.isAbsolute()) {
                    throw new IllegalArgumentException("--clamd " + address + ": the socket path must be absolute");
                }
                return new Target(UnixDomainSocketAddress.of(socket), "unix:" + socket);
            }
            if (value.startsWith("tcp://")) {
                URI uri;
                try {
                    uri = new URI(value);
                } catch (java.net.URISyntaxException e) {
                    throw new IllegalArgumentException("--clamd " + address + ": say tcp://HOST:PORT");
                }
                if (uri.getHost() == null || uri.getPort() < 0 || (uri.getPath() != null && !uri.getPath().isEmpty())
                        || uri.getUserInfo() != null) {
                    throw new IllegalArgumentException("--clamd " + address + ": say tcp://HOST:PORT");
                }
                return new Target(InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort()), value);
            }
            throw new IllegalArgumentException("--clamd " + address
                    + ": say unix:/path/to/clamd.socket or tcp://HOST:PORT");
        }
    }

    /** clamd's version and that of its signatures, as {@code VERSION} answers: "ClamAV 1.4.6/27123/...". */
    public String version() throws IOException {
        try (Connection c = connect()) {
            c.send("zVERSION\0".getBytes(StandardCharsets.US_ASCII));
            return c.answer().strip();
        }
    }

    /** Streams {@code in} to clamd and returns its verdict; {@code in} is read to its end unless clamd stops early. */
    public Verdict scan(InputStream in) throws IOException {
        try (Connection c = connect()) {
            c.send("zINSTREAM\0".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[CHUNK];
            ByteBuffer length = ByteBuffer.allocate(4);
            boolean sending = true;
            for (int n; sending && (n = in.readNBytes(chunk, 0, CHUNK)) > 0; ) {
                sending = c.sendWhileReading(length.clear().putInt(n).flip(), ByteBuffer.wrap(chunk, 0, n));
            }
            if (sending) {
                c.send(length.clear().putInt(0).flip());
            }
            return verdict(c.answer());
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }

    @Override
    public String toString() {
        return shown;
    }

    /** Parses an INSTREAM answer: "stream: OK", "stream: NAME FOUND" (one per match), or "... ERROR". */
    static Verdict verdict(String answer) throws ClamdException {
        List<String> found = new ArrayList<>();
        boolean ok = false;
        for (String line : answer.split("\0")) {
            String text = line.strip();
            if (text.isEmpty()) {
                continue;
            }
            if (text.startsWith("INSTREAM size limit exceeded")) {
                return new Verdict.TooLarge();
            }
            if (text.endsWith(" ERROR")) {
                throw new ClamdException("clamd: " + text);
            }
            String result = text.startsWith("stream: ") ? text.substring("stream: ".length()) : text;
            if (result.endsWith(" FOUND")) {
                found.add(result.substring(0, result.length() - " FOUND".length()));
            } else if (result.equals("OK")) {
                ok = true;
            } else {
                throw new ClamdException("clamd answered something unexpected: " + text);
            }
        }
        if (found.isEmpty() && !ok) {
            throw new ClamdException("clamd closed the connection without a verdict");
        }
        // With AlertExceedsMax, a file past MaxFileSize or MaxScanSize is reported, not silently passed as OK.
        List<String> malware = found.stream().filter(name -> !name.startsWith(LIMITS_EXCEEDED)).toList();
        if (malware.isEmpty() && !found.isEmpty()) {
            return new Verdict.TooLarge();
        }
        return malware.isEmpty() ? new Verdict.Clean() : new Verdict.Infected(malware);
    }

    private Connection connect() throws ClamdException {
        SocketChannel channel = null;
        Connection connection = null;
        try {
            channel = address instanceof UnixDomainSocketAddress
                    ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
            connection = new Connection(channel);
            SocketAddress target = address instanceof InetSocketAddress inet && inet.isUnresolved()
                    ? new InetSocketAddress(inet.getHostString(), inet.getPort()) : address;
            if (target instanceof InetSocketAddress inet && inet.isUnresolved()) {
                throw new ClamdException("clamd at " + shown + " is not reachable: unknown host " + inet.getHostString());
            }
            channel.connect(target);
            return connection;
        } catch (IOException | RejectedExecutionException e) {
            if (connection != null) {
                connection.close();
            } else {
                closeQuietly(channel);
            }
            throw e instanceof ClamdException c ? c : new ClamdException(
                    e instanceof RejectedExecutionException ? "the clamd client is closed"
                            : "clamd at " + shown + " is not reachable: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is all that was left to do
            }
        }
    }

    /** One command's connection, closed by the watchdog if it outlives the timeout. */
    private final class Connection implements AutoCloseable {
        private final SocketChannel channel;
        /** Set by the watchdog before it closes the channel, so the failure it causes reads as the timeout. */
        private final AtomicBoolean expired = new AtomicBoolean();
        private final ScheduledFuture<?> deadline;

        Connection(SocketChannel channel) {
            this.channel = channel;
            this.deadline = watchdog.schedule(() -> {
                expired.set(true);
                closeQuietly(channel);
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        void send(ByteBuffer... buffers) throws IOException {
            try {
                long left = 0;
                for (ByteBuffer b : buffers) {
                    left += b.remaining();
                }
                while (left > 0) {
                    left -= channel.write(buffers);
                }
            } catch (IOException e) {
                throw timedOut(e);
            }
        }

        void send(byte[] bytes) throws IOException {
            send(ByteBuffer.wrap(bytes));
        }

        /**
         * Sends part of a stream; false when clamd stopped reading it, as it does once a stream passes its
         * {@code StreamMaxLength}: it then answers and hangs up, and the write fails first.
         */
        boolean sendWhileReading(ByteBuffer... buffers) throws IOException {
            try {
                send(buffers);
                return true;
            } catch (ClamdException e) {
                throw e;
            } catch (IOException e) {
                return false;
            }
        }

        /** Everything clamd sends until it closes the connection. */
        String answer() throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(MAX_ANSWER);
            try {
                while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                    // read on: clamd closes the connection after its answer
                }
            } catch (IOException e) {
                throw timedOut(e);
            }
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
        }

        private IOException timedOut(IOException e) {
            return expired.get()
                    ? new ClamdException("clamd at " + shown + " did not answer within " + timeout.toSeconds() + " s", e)
                    : e;
        }

        @Override
        public void close() {
            deadline.cancel(false);
            closeQuietly(channel);
        }
    }
}
