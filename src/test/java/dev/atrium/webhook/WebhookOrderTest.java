package dev.atrium.webhook;

import dev.atrium.http.OutboundTargets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.PasswordHasher;
import dev.atrium.auth.Users;
import dev.atrium.db.Database;
import dev.atrium.org.Organizations;
import dev.atrium.repo.GitRepos;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import dev.atrium.testing.NotGated;
import dev.atrium.testing.SettableClock;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real delivery path, database, git and HTTP included, with events fired faster than a client can make them. */
class WebhookOrderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Jdbi jdbi;
    private Webhooks webhooks;
    private Users users;
    private Organizations orgs;
    private OutboundTargets targets;
    private RepoService repoService;
    private Repo repo;
    private String aliceId;
    private final List<HttpServer> receivers = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Clock clock = Clock.systemUTC();
        users = new Users(jdbi, new PasswordHasher(), clock);
        orgs = new Organizations(jdbi, clock);
        targets = OutboundTargets.allowing("127.0.0.0/8", "--webhook-allowed-networks");
        webhooks = new Webhooks(jdbi, clock, users, orgs, targets);
        aliceId = users.create("alice", "alice@example.com", "correct horse battery", false).id();
        repoService = new RepoService(jdbi, new Repos(jdbi), new GitRepos(dir.resolve("git")), clock);
        repo = repoService.create(RepoType.MODEL, new RepoId("alice", "watched"), false, null,
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"));
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(r -> r.stop(0));
    }

    private WebhookDelivery delivery() {
        AccessPolicy policy = new AccessPolicy((namespace, user) -> Optional.empty(), NotGated.INSTANCE);
        return new WebhookDelivery(webhooks, new WebhookOutbox(jdbi, Clock.systemUTC()), repoService, policy, users,
                orgs, targets);
    }

    /**
     * A receiver that records each payload's new commit and answers {@code status} after up to {@code jitter} ms;
     * returns its webhook's URL.
     */
    private String receiver(BlockingQueue<String> arrived, int status, int jitterMillis) throws Exception {
        return receiver(arrived, () -> status, jitterMillis);
    }

    private String receiver(BlockingQueue<String> arrived, java.util.function.IntSupplier status, int jitterMillis)
            throws Exception {
        Random jitter = new Random(1);
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            JsonNode payload = JSON.readTree(exchange.getRequestBody());
            arrived.add(payload.get("updatedRefs").get(0).get("newSha").asText());
            try {
                Thread.sleep(jitterMillis == 0 ? 0 : jitter.nextInt(jitterMillis)); // as receivers take their time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(status.getAsInt(), -1);
            exchange.close();
        });
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.start();
        receivers.add(receiver);
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        webhooks.create(aliceId, "http://hub.test", WebhookSpec.checked(url, null,
                List.of(new Webhooks.Watched("model", "alice/watched")), null));
        return url;
    }

    private List<String> fire(WebhookDelivery delivery, int events) {
        List<String> fired = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String sha = String.format("%040x", i + 1);
            fired.add(sha);
            delivery.repoContentChanged(repo, List.of(new Repos.RefChange("refs/heads/main", null, sha)));
        }
        return fired;
    }

    private static List<String> take(BlockingQueue<String> arrived, int count, long waitMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        List<String> got = new ArrayList<>();
        while (got.size() < count) {
            String next = arrived.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            got.add(next);
        }
        return got;
    }

    @Test
    void eventsInQuickSuccession_reachAReceiverInTheirOrder() throws Exception {
        BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
        receiver(arrived, 204, 5);
        try (WebhookDelivery delivery = delivery()) {
            List<String> fired = fire(delivery, 40);
            assertEquals(fired, take(arrived, fired.size(), 30_000));
        }
    }

    /**
     * A receiver that is down (503 to every try: three tries over five seconds per payload) delays its own webhook's
     * payloads only: six other webhooks get every payload at once, in order, while it is still being retried.
     */
    @Test
    void aFailingReceiver_delaysNoOtherWebhook() throws Exception {
        BlockingQueue<String> failing = new LinkedBlockingQueue<>();
        String failingUrl = receiver(failing, 503, 0);
        List<BlockingQueue<String>> healthy = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
            receiver(arrived, 204, 0);
            healthy.add(arrived);
        }
        try (WebhookDelivery delivery = delivery()) {
            List<String> fired = fire(delivery, 3);
            for (BlockingQueue<String> arrived : healthy) {
                // A lane shared with the failing webhook would hold these for 15 s (3 payloads x 5 s of retries).
                assertEquals(fired, take(arrived, fired.size(), 3_000));
            }
            assertEquals(List.of(fired.get(0), fired.get(0)), take(failing, 2, 3_000),
                    "the failing receiver's first payload, tried again a second later, and only that payload so far");
            assertTrue(failing.isEmpty(), "its later payloads wait for the first: " + failing);
            assertEquals(List.of(), webhooks.deliveries(webhookId(failingUrl)), "no outcome yet: still being tried");
        }
    }

    private String webhookId(String url) {
        return webhooks.ofUser(aliceId).stream().filter(w -> w.url().equals(url)).findFirst().orElseThrow().id();
    }

    private int kept() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_outbox").mapTo(Integer.class).one());
    }

    /** Waits until every kept payload has its outcome, as the receiver's answers reach the database. */
    private void awaitNothingKept() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (kept() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(0, kept(), "payloads with their outcome are not kept");
    }

    /**
     * A node stopped while its receiver was down: the payloads it had not delivered are sent, in order, by the next
     * start (here, at once: a stopping node gives its claims back).
     */
    @Test
    void payloadsUndeliveredWhenANodeStops_areSentByTheNextStart() throws Exception {
        DownReceiver down = downReceiver();
        List<String> fired;
        try (WebhookDelivery delivery = delivery()) {
            fired = fire(delivery, 3);
            assertEquals(List.of(fired.get(0)), take(down.arrived(), 1, 5_000), "the first payload's first try");
        }
        assertEquals(3, kept(), "none has its outcome");
        assertTheNextStartSendsThem(fired, down);
    }

    /** A receiver that answers 503 until told otherwise, and what reached it. */
    private record DownReceiver(BlockingQueue<String> arrived, AtomicInteger status) {}

    private DownReceiver downReceiver() throws Exception {
        DownReceiver down = new DownReceiver(new LinkedBlockingQueue<>(), new AtomicInteger(503));
        receiver(down.arrived(), down.status()::get, 0);
        return down;
    }

    /** The receiver now answers, and a new node sends every kept payload at once (none waits for a lapse), in order. */
    private void assertTheNextStartSendsThem(List<String> fired, DownReceiver down) throws Exception {
        down.arrived().clear(); // a second try may have come in while the node stopped: the next start's are what count
        down.status().set(204);
        try (WebhookDelivery restarted = delivery()) {
            assertEquals(fired, take(down.arrived(), fired.size(), 10_000));
            awaitNothingKept();
        }
    }

    /**
     * A node stopped right after a burst of events keeps every one of them (events already taken are kept before the
     * node gives its claims back) and the next start sends them all, in order.
     */
    @Test
    void aNodeStoppedRightAfterABurst_losesNoneOfItsEvents() throws Exception {
        DownReceiver down = downReceiver();
        List<String> fired;
        try (WebhookDelivery delivery = delivery()) {
            fired = fire(delivery, 20);
        }
        assertEquals(20, kept(), "every event taken is kept");
        assertTheNextStartSendsThem(fired, down);
    }

    /**
     * Payloads a node left when it died (claims not renewed for three minutes) are adopted by a running one; those of
     * a node that is alive (its claim fresh) are not.
     */
    @Test
    void aDeadNodesPayloads_areAdopted_aLiveNodesAreNot() throws Exception {
        BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
        String id = webhookId(receiver(arrived, 204, 0));
        SettableClock tenMinutesAgo = new SettableClock(System.currentTimeMillis() - 600_000);
        WebhookOutbox dead = new WebhookOutbox(jdbi, tenMinutesAgo);
        WebhookOutbox alive = new WebhookOutbox(jdbi, Clock.systemUTC());
        String payload = "{\"updatedRefs\":[{\"ref\":\"refs/heads/main\",\"newSha\":\"%s\"}]}";
        dead.add(id, "repo.content update", payload.formatted("dead-1"));
        dead.add(id, "repo.content update", payload.formatted("dead-2"));
        alive.add(id, "repo.content update", payload.formatted("alive"));
        try (WebhookDelivery delivery = delivery()) {
            assertEquals(List.of("dead-1", "dead-2"), take(arrived, 2, 5_000));
            assertEquals(List.of(), take(arrived, 1, 500), "the live node's payload is its own to send");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (kept() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(1, kept());
            assertEquals(List.of("HTTP 204", "HTTP 204"), webhooks.deliveries(id).stream()
                    .map(Webhooks.Delivery::outcome).toList());
        }
    }
}
