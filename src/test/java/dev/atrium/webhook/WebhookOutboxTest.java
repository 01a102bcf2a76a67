package dev.atrium.webhook;

import dev.atrium.http.OutboundTargets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.PasswordHasher;
import dev.atrium.auth.Users;
import dev.atrium.db.Database;
import dev.atrium.org.Organizations;
import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox's claims between nodes: each {@link WebhookOutbox} is one node. */
class WebhookOutboxTest {
    private static final Duration LAPSE = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private Jdbi jdbi;
    private final SettableClock clock = new SettableClock(1_800_000_000_000L);
    private String webhookId;

    protected Jdbi openDatabase() {
        return Database.openSqlite(dir.resolve("atrium.db"));
    }

    @BeforeEach
    void setUp() throws Exception {
        jdbi = openDatabase();
        Clock real = Clock.systemUTC();
        Users users = new Users(jdbi, new PasswordHasher(), real);
        Organizations orgs = new Organizations(jdbi, real);
        OutboundTargets targets = OutboundTargets.allowing("127.0.0.0/8", "--webhook-allowed-networks");
        String alice = users.create("alice", "alice@example.com", "correct horse battery", false).id();
        webhookId = new Webhooks(jdbi, real, users, orgs, targets).create(alice, "http://hub.test",
                WebhookSpec.checked("http://127.0.0.1:9/hook", null,
                        List.of(new Webhooks.Watched("model", "alice/m")), null)).id();
    }

    private static List<String> payloads(List<WebhookOutbox.Pending> pending) {
        return pending.stream().map(WebhookOutbox.Pending::payload).toList();
    }

    @Test
    void aLiveNodesPayloads_stayItsOwn_aStoppedNodesAreAdoptedAtOnce_inTheirOrder() {
        WebhookOutbox stopping = new WebhookOutbox(jdbi, clock);
        WebhookOutbox live = new WebhookOutbox(jdbi, clock);
        WebhookOutbox next = new WebhookOutbox(jdbi, clock);
        for (int i = 1; i <= 3; i++) {
            stopping.add(webhookId, "e", "{\"n\":" + i + "}");
        }
        live.add(webhookId, "e", "{\"live\":true}");
        assertEquals(List.of(), next.adopt(LAPSE), "claims just made are held");
        stopping.release();
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}", "{\"n\":3}"), payloads(next.adopt(LAPSE)));
        assertEquals(List.of(), live.adopt(LAPSE), "adopted ones are claimed anew");
    }

    @Test
    void aDeadNodesClaims_lapse_aRenewingNodesDoNot() {
        WebhookOutbox dead = new WebhookOutbox(jdbi, clock);
        WebhookOutbox renewing = new WebhookOutbox(jdbi, clock);
        WebhookOutbox adopter = new WebhookOutbox(jdbi, clock);
        dead.add(webhookId, "e", "{\"dead\":true}");
        renewing.add(webhookId, "e", "{\"renewing\":true}");
        clock.advance(Duration.ofMinutes(2));
        renewing.renew();
        clock.advance(Duration.ofMinutes(2));
        assertEquals(List.of("{\"dead\":true}"), payloads(adopter.adopt(LAPSE)));
        assertEquals(List.of(), renewing.adopt(LAPSE), "a node never adopts its own rows");
        clock.advance(Duration.ofMinutes(4));
        assertEquals(List.of("{\"renewing\":true}"), payloads(adopter.adopt(LAPSE)), "once it stops renewing");
    }

    @Test
    void done_removesThePayload() {
        WebhookOutbox node = new WebhookOutbox(jdbi, clock);
        WebhookOutbox.Pending kept = node.add(webhookId, "e", "{}");
        node.done(kept.id());
        node.release();
        assertEquals(List.of(), new WebhookOutbox(jdbi, clock).adopt(LAPSE));
    }

    @Test
    void nodesAdoptingAtOnce_shareTheRowsOut() throws Exception {
        WebhookOutbox dead = new WebhookOutbox(jdbi, clock);
        for (int i = 0; i < 200; i++) {
            dead.add(webhookId, "e", "{\"n\":" + i + "}");
        }
        dead.release();
        int nodes = 4;
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<WebhookOutbox.Pending>>> adopted = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                WebhookOutbox node = new WebhookOutbox(jdbi, clock);
                adopted.add(pool.submit(() -> {
                    start.await();
                    return node.adopt(LAPSE);
                }));
            }
            start.countDown();
            Set<String> seen = new HashSet<>();
            int total = 0;
            for (Future<List<WebhookOutbox.Pending>> f : adopted) {
                for (WebhookOutbox.Pending p : f.get()) {
                    assertTrue(seen.add(p.id()), "adopted twice: " + p);
                    total++;
                }
            }
            assertEquals(200, total);
        } finally {
            pool.shutdownNow();
        }
    }
}
