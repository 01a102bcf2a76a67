package dev.atrium.webhook;

import dev.atrium.db.Ids;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;

/**
 * Payloads taken but not yet delivered, in the database: a node that stops, or dies, between an event and its
 * delivery loses nothing. Each row is claimed by the node delivering it, which renews its claims every minute; a
 * node that stops gives them back, and another node (or the next start) adopts the rows whose claim has lapsed.
 * Delivery is at least once: a payload sent when its node died before deleting the row is sent again.
 */
public final class WebhookOutbox {
    /** One payload to deliver; {@code seq} orders a node's payloads as their events were taken. */
    record Pending(String id, String webhookId, long seq, String event, String payload) {}

    private final Jdbi jdbi;
    private final Clock clock;
    /** This process: a node that restarts is a new claimant. */
    private final String holder = UUID.randomUUID().toString();
    private final AtomicLong lastSeq = new AtomicLong();

    public WebhookOutbox(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** How many payloads wait for their outcome, on every node. */
    public long waiting() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM webhook_outbox").mapTo(Long.class).one());
    }

    /** Keeps a payload until {@link #done}, claimed by this node. */
    Pending add(String webhookId, String event, String payload) {
        long now = clock.millis();
        // Time-ordered across nodes, strictly increasing within one, whatever the clock's resolution.
        long seq = lastSeq.updateAndGet(last -> Math.max(last + 1, now * 1000));
        Pending pending = new Pending(Ids.newId(), webhookId, seq, Webhooks.cut(event), payload);
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO webhook_outbox (id, webhook_id, seq, event, payload, claimed_by, claimed_at)
                        VALUES (:id, :webhook, :seq, :event, :payload, :holder, :now)""")
                .bind("id", pending.id()).bind("webhook", webhookId).bind("seq", seq).bind("event", pending.event())
                .bind("payload", payload).bind("holder", holder).bind("now", now).execute());
        return pending;
    }

    /** The payload has its outcome (or was dropped): it is not to be sent again. */
    void done(String id) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM webhook_outbox WHERE id = :id").bind("id", id).execute());
    }

    /** This node still holds its claims. */
    void renew() {
        jdbi.useHandle(h -> h.createUpdate("UPDATE webhook_outbox SET claimed_at = :now WHERE claimed_by = :holder")
                .bind("now", clock.millis()).bind("holder", holder).execute());
    }

    /**
     * Claims the rows of other nodes whose claim was given back or not renewed for {@code lapse}, and returns them in the order
     * their events were taken. Two nodes adopting at once share the rows out: each row is claimed by one statement
     * (a concurrent update re-reads the row's claim before changing it), under a name used for this adoption alone.
     */
    List<Pending> adopt(Duration lapse) {
        long now = clock.millis();
        String adoption = holder + "/" + Ids.newId();
        return jdbi.inTransaction(h -> {
            h.createUpdate("""
                            UPDATE webhook_outbox SET claimed_by = :adoption, claimed_at = :now
                            WHERE claimed_at < :lapsedBefore AND claimed_by <> :holder""")
                    .bind("adoption", adoption).bind("holder", holder).bind("now", now).bind("lapsedBefore", now - lapse.toMillis())
                    .execute();
            List<Pending> adopted = h.createQuery("""
                            SELECT id, webhook_id, seq, event, payload FROM webhook_outbox
                            WHERE claimed_by = :adoption ORDER BY seq, id""")
                    .bind("adoption", adoption)
                    .map((rs, ctx) -> new Pending(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                            rs.getString(5)))
                    .list();
            h.createUpdate("UPDATE webhook_outbox SET claimed_by = :holder WHERE claimed_by = :adoption")
                    .bind("holder", holder).bind("adoption", adoption).execute();
            return adopted;
        });
    }

    /** Gives this node's claims back, for the next node or start to adopt at once. */
    void release() {
        jdbi.useHandle(h -> h.createUpdate("UPDATE webhook_outbox SET claimed_at = 0 WHERE claimed_by = :holder")
                .bind("holder", holder).execute());
    }
}
