package dev.atrium.mirror;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.atrium.http.OutboundTargets;
import dev.atrium.lfs.LfsPointer;
import dev.atrium.storage.BlobMismatchException;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The source hub's LFS side against a stand-in served by the JDK's HTTP server: what the batch answer says is
 * followed, its headers go to its own host only, every redirect's host is checked, a source that stops sending
 * fails the sync instead of holding it, and bytes that are not the object are refused.
 */
class SourceHubTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CONTENT = "the weights of a tiny model".getBytes(StandardCharsets.UTF_8);
    private static final LfsPointer POINTER = new LfsPointer(Sha256.of(CONTENT), CONTENT.length);

    private HttpServer server;
    private int port;
    /** Where the batch answer sends the download, and what the download path does. */
    private volatile String href;
    private final Map<String, String> seenAuthorization = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        port = server.getAddress().getPort();
        server.createContext("/alice/model.git/info/lfs/objects/batch", ex -> {
            ex.getRequestBody().readAllBytes();
            send(ex, 200, Map.of("objects", List.of(Map.of("oid", POINTER.oid().hex(), "size", POINTER.size(),
                    "actions", Map.of("download", Map.of("href", href,
                            "header", Map.of("Authorization", "Bearer signed-for-the-store")))))));
        });
        server.createContext("/object", ex -> {
            remember(ex, "object");
            ex.sendResponseHeaders(200, CONTENT.length);
            ex.getResponseBody().write(CONTENT);
            ex.close();
        });
        server.createContext("/redirect", ex -> {
            remember(ex, "redirect");
            ex.getResponseHeaders().add("Location", "http://localhost:" + port + "/object");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/wrong", ex -> {
            byte[] other = "other bytes of the same len".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, other.length);
            ex.getResponseBody().write(other);
            ex.close();
        });
        server.createContext("/stall", ex -> {
            ex.sendResponseHeaders(200, CONTENT.length);
            ex.getResponseBody().write(CONTENT, 0, 4);
            ex.getResponseBody().flush();
            try {
                Thread.sleep(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void remember(HttpExchange ex, String where) throws IOException {
        ex.getRequestBody().readAllBytes();
        String authorization = ex.getRequestHeaders().getFirst("Authorization");
        seenAuthorization.put(where + "@" + ex.getRequestHeaders().getFirst("Host").split(":")[0],
                authorization == null ? "none" : authorization);
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/vnd.git-lfs+json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    /** Loopback allowed; {@code localhost} resolves to {@code localhostIs} for the check. */
    private static SourceHub hub(String allowed, String localhostIs, Duration timeout) {
        OutboundTargets targets = new OutboundTargets(OutboundTargets.parseNetworks(allowed), host -> new InetAddress[] {
                InetAddress.getByName(host.equals("localhost") ? localhostIs : host)}, MirrorSettings.ALLOWED_NETWORKS);
        return new SourceHub(targets, timeout);
    }

    private MirrorSource source() {
        return MirrorSource.parse("http://127.0.0.1:" + port + "/alice/model");
    }

    /** The bytes the sink was given, checked against the pointer as the blob store checks them. */
    private static List<byte[]> download(SourceHub hub, MirrorSource source) throws Exception {
        List<byte[]> received = new ArrayList<>();
        hub.download(source, "hf_source_token", List.of(POINTER), (pointer, in) -> {
            byte[] bytes = in.readAllBytes();
            if (!Sha256.of(bytes).equals(pointer.oid())) {
                throw new BlobMismatchException("expected " + pointer.oid() + ", got " + Sha256.of(bytes));
            }
            received.add(bytes);
        });
        return received;
    }

    @Test
    void theBatchAnswersHref_isDownloaded_withItsHeadersOnItsOwnHostOnly() throws Exception {
        href = "http://127.0.0.1:" + port + "/redirect";
        List<byte[]> received = download(hub("127.0.0.0/8", "127.0.0.1", Duration.ofSeconds(10)), source());
        assertEquals(1, received.size());
        assertArrayEquals(CONTENT, received.get(0));
        assertEquals("Bearer signed-for-the-store", seenAuthorization.get("redirect@127.0.0.1"),
                "the batch answer's header goes to its href");
        assertEquals("none", seenAuthorization.get("object@localhost"),
                "not to the host a redirect leads to, nor the source's token");
    }

    @Test
    void aRedirectToAnAddressTheHubMayNotReach_isNotFollowed() {
        href = "http://127.0.0.1:" + port + "/redirect";
        MirrorFailure refused = assertThrows(MirrorFailure.class,
                () -> download(hub("127.0.0.1/32", "10.1.2.3", Duration.ofSeconds(10)), source()));
        assertTrue(refused.getMessage().contains("localhost (10.1.2.3) is not a public address (private)"),
                refused.getMessage());
        assertNull(seenAuthorization.get("object@localhost"), "nothing was asked of it");
    }

    @Test
    void otherBytes_orASourceThatStopsSending_failTheSync() {
        href = "http://127.0.0.1:" + port + "/wrong";
        SourceHub hub = hub("127.0.0.0/8", "127.0.0.1", Duration.ofSeconds(1));
        MirrorFailure wrong = assertThrows(MirrorFailure.class, () -> download(hub, source()));
        assertTrue(wrong.getMessage().startsWith("The source sent other bytes than large file " + POINTER.oid()),
                wrong.getMessage());

        href = "http://127.0.0.1:" + port + "/stall";
        long started = System.nanoTime();
        MirrorFailure stalled = assertThrows(MirrorFailure.class, () -> download(hub, source()));
        assertTrue(stalled.getMessage().startsWith("The source stopped sending large file"), stalled.getMessage());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(4).toNanos(), "it did not wait for the source");
    }

    @Test
    void aSourceOnTheHubsOwnNetwork_isRefusedBeforeAnyRequest() {
        SourceHub publicOnly = new SourceHub(OutboundTargets.publicOnly(MirrorSettings.ALLOWED_NETWORKS),
                Duration.ofSeconds(5));
        MirrorFailure refused = assertThrows(MirrorFailure.class, () -> publicOnly.requireReadable(source(), null));
        assertTrue(refused.getMessage().contains("127.0.0.1 is not a public address (loopback)")
                && refused.getMessage().contains("--mirror-allowed-networks"), refused.getMessage());
    }
}
