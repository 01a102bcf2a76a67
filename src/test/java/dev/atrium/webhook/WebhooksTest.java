package dev.atrium.webhook;

import dev.atrium.http.OutboundTargets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.atrium.auth.PasswordHasher;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.db.Database;
import dev.atrium.org.Organizations;
import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhooksTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private Jdbi jdbi;
    private SettableClock clock;
    private Webhooks webhooks;
    private User alice;

    @BeforeEach
    void setUp() {
        jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        clock = new SettableClock(T0);
        Users users = new Users(jdbi, new PasswordHasher(), clock);
        webhooks = new Webhooks(jdbi, clock, users, new Organizations(jdbi, clock), OutboundTargets.publicOnly("--webhook-allowed-networks"));
        alice = users.create("alice", "alice@example.com", "correct horse battery", false);
    }

    private Webhooks.Webhook create() {
        return webhooks.create(alice.id(), "http://hub.test", WebhookSpec.checked("http://203.0.113.9/hook", null,
                List.of(new Webhooks.Watched("user", "alice")), null));
    }

    @Test
    void deliveries_areKeptNewestFirst_twentyOfThem_andTheNewestIsTheLast() {
        Webhooks.Webhook hook = create();
        clock.advance(1);
        Webhooks.Webhook other = create();
        assertNull(webhooks.byId(hook.id()).orElseThrow().lastDelivery());
        for (int i = 1; i <= 25; i++) {
            clock.advance(1000);
            webhooks.recordDelivery(hook.id(), "repo.content update · model alice/m" + i, "HTTP 204");
        }
        webhooks.recordDelivery(other.id(), "repo create · model alice/x", "failed: " + "x".repeat(400));
        List<Webhooks.Delivery> kept = webhooks.deliveries(hook.id());
        assertEquals(20, kept.size());
        assertEquals("repo.content update · model alice/m25", kept.get(0).event());
        assertEquals("repo.content update · model alice/m6", kept.get(19).event());
        assertEquals(new Webhooks.Delivery(T0 + 25_001, "repo.content update · model alice/m25", "HTTP 204"),
                webhooks.byId(hook.id()).orElseThrow().lastDelivery());
        assertEquals(300, webhooks.deliveries(other.id()).get(0).outcome().length(), "cut to the column");
        assertEquals(List.of(hook.id(), other.id()),
                webhooks.ofUser(alice.id()).stream().map(Webhooks.Webhook::id).toList());
        webhooks.delete(hook);
        assertEquals(List.of(), webhooks.deliveries(hook.id()));
        assertEquals(1, webhooks.deliveries(other.id()).size());
    }
}
