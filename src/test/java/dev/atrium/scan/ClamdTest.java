package dev.atrium.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.ClamdServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The clamd client against a real clamd ({@link ClamdServer}: ClamAV's engine with a test signature database). */
class ClamdTest {
    private static final long STREAM_LIMIT = 8L << 20;
    private static final long FILE_LIMIT = 6L << 20;
    private static ClamdServer server;

    @BeforeAll
    static void start() {
        server = ClamdServer.start(STREAM_LIMIT, FILE_LIMIT);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Clamd clamd(String address) {
        return Clamd.at(new ClamdSettings(address, ClamdSettings.DEFAULT_MAX_SIZE), Duration.ofSeconds(30));
    }

    @Test
    void cleanBytes_areClean_andTheVersionNamesClamAv() throws IOException {
        try (Clamd clamd = clamd(server.unixAddress())) {
            assertInstanceOf(Clamd.Verdict.Clean.class, clamd.scan(new ByteArrayInputStream(random(3 << 20, 1))));
            assertInstanceOf(Clamd.Verdict.Clean.class, clamd.scan(InputStream.nullInputStream()), "an empty file");
            assertTrue(clamd.version().startsWith("ClamAV "), clamd.version());
        }
    }

    @Test
    void theEicarFile_isFound_alsoInsideAZip_overBothSockets() throws IOException {
        for (String address : List.of(server.unixAddress(), server.tcpAddress())) {
            try (Clamd clamd = clamd(address)) {
                assertEquals(List.of(ClamdServer.EICAR_NAME), names(clamd.scan(
                        new ByteArrayInputStream(ClamdServer.EICAR))), address);
                ByteArrayOutputStream zip = new ByteArrayOutputStream();
                try (ZipOutputStream out = new ZipOutputStream(zip)) {
                    out.putNextEntry(new ZipEntry("weights.bin"));
                    out.write(random(1 << 20, 2));
                    out.putNextEntry(new ZipEntry("tools/setup.com"));
                    out.write(ClamdServer.EICAR);
                }
                assertEquals(List.of(ClamdServer.EICAR_NAME),
                        names(clamd.scan(new ByteArrayInputStream(zip.toByteArray()))), "in a zip, " + address);
            }
        }
    }

    @Test
    void aPatternDeepInALargeFile_isFound_acrossChunkBoundaries() throws IOException {
        byte[] file = random(3 << 20, 3);
        int at = (256 << 10) - 10; // straddles the client's first two INSTREAM chunks
        System.arraycopy(ClamdServer.MARKER, 0, file, at, ClamdServer.MARKER.length);
        try (Clamd clamd = clamd(server.tcpAddress())) {
            Clamd.Verdict verdict = clamd.scan(new ByteArrayInputStream(file));
            assertTrue(names(verdict).get(0).startsWith(ClamdServer.MARKER_NAME), verdict.toString());
        }
    }

    @Test
    void aStreamPastClamdsLimit_isTooLarge_andClamdStoppedReadingIt() throws IOException {
        AtomicLong read = new AtomicLong();
        InputStream big = new InputStream() { // 64 MiB of zeros, counted as clamd takes them
            private final long size = 64L << 20;

            @Override
            public int read() {
                if (read.get() >= size) {
                    return -1;
                }
                read.incrementAndGet();
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = (int) Math.min(len, size - read.get());
                if (n <= 0) {
                    return -1;
                }
                read.addAndGet(n);
                java.util.Arrays.fill(b, off, off + n, (byte) 0);
                return n;
            }
        };
        try (Clamd clamd = clamd(server.unixAddress())) {
            assertInstanceOf(Clamd.Verdict.TooLarge.class, clamd.scan(big));
        }
        assertTrue(read.get() < 32L << 20, "stopped soon after clamd's limit: read " + read.get());
    }

    @Test
    void aFilePastClamdsFileSizeLimit_isTooLarge_notClean() throws IOException {
        try (Clamd clamd = clamd(server.tcpAddress())) {
            assertInstanceOf(Clamd.Verdict.TooLarge.class, clamd.scan(new ByteArrayInputStream(random(7 << 20, 4))));
        }
    }

    @Test
    void noClamd_isAClearError() {
        try (Clamd clamd = clamd("unix:/tmp/no-such-clamd.sock")) {
            Clamd.ClamdException e = assertThrows(Clamd.ClamdException.class,
                    () -> clamd.scan(new ByteArrayInputStream(new byte[10])));
            assertTrue(e.getMessage().contains("not reachable"), e.getMessage());
        }
        try (Clamd clamd = clamd("tcp://no-such-clamd.invalid:3310")) {
            Clamd.ClamdException e = assertThrows(Clamd.ClamdException.class, clamd::version);
            assertTrue(e.getMessage().contains("unknown host"), e.getMessage());
        }
        Clamd closed = clamd(server.unixAddress());
        closed.close();
        assertThrows(Clamd.ClamdException.class, closed::version, "a closed client refuses, as an IOException");
    }

    @Test
    void aClamdThatNeverAnswers_timesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0);
             Clamd clamd = Clamd.at(new ClamdSettings("tcp://127.0.0.1:" + silent.getLocalPort(), 1),
                     Duration.ofMillis(500))) {
            Thread accept = new Thread(() -> {
                try (Socket s = silent.accept()) {
                    s.getInputStream().readAllBytes(); // reads all, answers nothing
                } catch (IOException ignored) {
                    // the client hung up
                }
            });
            accept.start();
            Clamd.ClamdException e = assertThrows(Clamd.ClamdException.class, clamd::version);
            assertTrue(e.getMessage().contains("did not answer within"), e.getMessage());
            accept.join(5_000);
        }
    }

    @Test
    void answers_areReadAsClamdWritesThem() throws IOException {
        assertInstanceOf(Clamd.Verdict.Clean.class, Clamd.verdict("stream: OK\0"));
        assertEquals(List.of("A.B", "C D"), names(Clamd.verdict("stream: A.B FOUND\0stream: C D FOUND\0")));
        assertInstanceOf(Clamd.Verdict.TooLarge.class, Clamd.verdict("INSTREAM size limit exceeded. ERROR\0"));
        assertInstanceOf(Clamd.Verdict.TooLarge.class,
                Clamd.verdict("stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND\0"));
        assertEquals(List.of("Real.Malware"), names(Clamd.verdict(
                "stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND\0stream: Real.Malware FOUND\0")));
        assertThrows(Clamd.ClamdException.class, () -> Clamd.verdict("stream: lstat() failed. ERROR\0"));
        assertThrows(Clamd.ClamdException.class, () -> Clamd.verdict(""), "hung up without a verdict");
        assertThrows(Clamd.ClamdException.class, () -> Clamd.verdict("PONG\0"));
    }

    @Test
    void addresses_areUnixSocketsOrTcp() {
        for (String bad : List.of("clamd.sock", "unix:relative.sock", "tcp://host", "tcp://u:p@host:3310",
                "http://host:3310", "tcp://host:3310/x")) {
            assertThrows(IllegalArgumentException.class, () -> new ClamdSettings(bad, 1), bad);
        }
        new ClamdSettings("/run/clamav/clamd.ctl", 1);
        new ClamdSettings("tcp://[::1]:3310", 1);
        assertThrows(IllegalArgumentException.class, () -> new ClamdSettings("tcp://h:3310", 0));
    }

    private static List<String> names(Clamd.Verdict verdict) {
        assertInstanceOf(Clamd.Verdict.Infected.class, verdict);
        return ((Clamd.Verdict.Infected) verdict).names().stream()
                .map(n -> n.endsWith(".UNOFFICIAL") ? n.substring(0, n.length() - ".UNOFFICIAL".length()) : n)
                .toList();
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
