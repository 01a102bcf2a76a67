package dev.atrium.webhook;

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

    private Webhooks webhooks;
    private Users users;
    private Organizations orgs;
    private WebhookTargets targets;
    private RepoService repoService;
    private Repo repo;
    private String aliceId;
    private final List<HttpServer> receivers = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Clock clock = Clock.systemUTC();
        users = new Users(jdbi, new PasswordHasher(), clock);
        orgs = new Organizations(jdbi, clock);
        targets = WebhookTargets.allowing("127.0.0.0/8");
        webhooks = new Webhooks(jdbi, clock, users, orgs, targets);
        aliceId = users.create("alice", "alice@example.com", "correct horse battery", false).id();
        repoService = new RepoService(jdbi, new Repos(jdbi), new GitRepos(dir.resolve("git")), clock);
        repo = repoService.create(RepoType.MODEL, new RepoId("alice", "watched"), false, null);
    }

    @AfterEach
    void stopReceivers() {
        receivers.forEach(r -> r.stop(0));
    }

    private WebhookDelivery delivery() {
        AccessPolicy policy = new AccessPolicy((namespace, user) -> Optional.empty(), NotGated.INSTANCE);
        return new WebhookDelivery(webhooks, repoService, policy, users, orgs, targets);
    }

    /** A receiver that records each payload's new commit and answers {@code status} after up to {@code jitter} ms. */
    private String receiver(BlockingQueue<String> arrived, int status, int jitterMillis) throws Exception {
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
            exchange.sendResponseHeaders(status, -1);
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
            String failingId = webhooks.ofUser(aliceId).stream().filter(w -> w.url().equals(failingUrl)).findFirst()
                    .orElseThrow().id();
            assertEquals(List.of(), webhooks.deliveries(failingId), "no outcome yet: still being tried");
        }
    }
}
