package dev.atrium.webhook;

import dev.atrium.http.OutboundTargets;
import dev.atrium.http.OutboundTargetRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The sender against a real HTTP server on loopback, with names resolved by the test (no DNS). */
class WebhookSenderTest {
    private record Received(String host, String secret, String contentType, String body) {}

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private HttpServer receiver;
    private int port;
    private volatile int answer = 204;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            received.add(new Received(exchange.getRequestHeaders().getFirst("Host"),
                    exchange.getRequestHeaders().getFirst("X-Webhook-Secret"),
                    exchange.getRequestHeaders().getFirst("Content-Type"), body));
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + port + "/elsewhere");
            exchange.sendResponseHeaders(answer, -1);
            exchange.close();
        });
        receiver.start();
        port = receiver.getAddress().getPort();
    }

    @AfterEach
    void stopReceiver() {
        receiver.stop(0);
    }

    /** "hooks.test" resolves to the loopback receiver, IPv4 literals to themselves, other names to nothing. */
    private static OutboundTargets targets(String allowedNetworks) {
        return new OutboundTargets(OutboundTargets.parseNetworks(allowedNetworks), host -> {
            if (host.equals("hooks.test")) {
                return new InetAddress[] {InetAddress.getByName("127.0.0.1")};
            }
            if (host.matches("[0-9.]+")) {
                return new InetAddress[] {InetAddress.getByName(host)};
            }
            throw new UnknownHostException(host);
        }, "--webhook-allowed-networks");
    }

    @Test
    void send_connectsToTheCheckedAddress_keepingTheNameInTheHostHeader() throws Exception {
        try (WebhookSender sender = new WebhookSender(targets("127.0.0.0/8"), Duration.ofSeconds(10))) {
            int status = post(sender, URI.create("http://hooks.test:" + port + "/hook"), "s3cret", "{\"a\":1}");
            assertEquals(204, status);
            Received got = received.poll(5, TimeUnit.SECONDS);
            assertEquals(new Received("hooks.test:" + port, "s3cret", "application/json", "{\"a\":1}"), got);
        }
    }

    @Test
    void send_toARefusedAddress_sendsNothing() throws Exception {
        try (WebhookSender sender = new WebhookSender(targets(""), Duration.ofSeconds(10))) {
            OutboundTargetRefused refused = assertThrows(OutboundTargetRefused.class,
                    () -> post(sender, URI.create("http://hooks.test:" + port + "/hook"), null, "{}"));
            assertTrue(refused.getMessage().startsWith("hooks.test (127.0.0.1) is not a public address (loopback)"),
                    refused.getMessage());
            assertThrows(OutboundTargetRefused.class,
                    () -> post(sender, URI.create("http://127.0.0.1:" + port + "/hook"), null, "{}"));
            assertEquals(null, received.poll(500, TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void send_doesNotFollowRedirects_andReportsUnknownHosts() throws Exception {
        answer = 302;
        try (WebhookSender sender = new WebhookSender(targets("127.0.0.0/8"), Duration.ofSeconds(10))) {
            assertEquals(302, post(sender, URI.create("http://hooks.test:" + port + "/hook"), null, "{}"));
            assertEquals(1, drain().size());
            assertThrows(IOException.class, () -> post(sender, URI.create("http://nowhere.test/hook"), null, "{}"));
        }
    }

    @Test
    void send_toAReceiverThatNeverAnswers_failsAfterTheTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             WebhookSender sender = new WebhookSender(targets("127.0.0.0/8"), Duration.ofSeconds(1))) {
            long start = System.nanoTime();
            IOException failed = assertThrows(IOException.class,
                    () -> post(sender, URI.create("http://hooks.test:" + silent.getLocalPort() + "/hook"), null, "{}"));
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited >= 900 && waited < 5000, "gave up after " + waited + " ms: " + failed);
        }
    }

    /** The sender's answer, waited for as a caller that blocks would. */
    private static int post(WebhookSender sender, URI url, String secret, String json)
            throws IOException, OutboundTargetRefused, InterruptedException {
        try {
            return sender.send(url, secret, json).get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof OutboundTargetRefused refused) {
                throw refused;
            }
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new AssertionError("neither refused nor an I/O failure", e.getCause());
        }
    }

    private List<Received> drain() throws InterruptedException {
        Thread.sleep(300);
        List<Received> all = new java.util.ArrayList<>();
        received.drainTo(all);
        return all;
    }
}
