package dev.atrium.webhook;

import dev.atrium.http.OutboundTargets;
import dev.atrium.http.OutboundTargetRefused;
import dev.atrium.auth.Users;
import dev.atrium.db.Ids;
import dev.atrium.http.Errors;
import dev.atrium.org.Organizations;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/** The webhooks tables: each user's webhooks and what they watch. */
public final class Webhooks {
    /** What a webhook watches: a repo ({@code model}, {@code dataset}, {@code space}) or a namespace. */
    public record Watched(String kind, String name) {}

    /** How the last delivery went: when, and the receiver's HTTP status or the error. */
    public record Delivery(long at, String event, String outcome) {}

    /**
     * @param origin Atrium's URL as the creator reached it, which payload links start with
     * @param lastDelivery null before the first delivery
     */
    public record Webhook(String id, String userId, String url, String origin, @Nullable String secret,
                          List<Watched> watched, List<String> domains, boolean disabled,
                          @Nullable Delivery lastDelivery) {}

    private static final int KEPT_DELIVERIES = 20;

    private final Jdbi jdbi;
    private final Clock clock;
    private final Users users;
    private final Organizations orgs;
    private final OutboundTargets targets;

    public Webhooks(Jdbi jdbi, Clock clock, Users users, Organizations orgs, OutboundTargets targets) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.users = users;
        this.orgs = orgs;
        this.targets = targets;
    }

    public Webhook create(String userId, String origin, WebhookSpec spec) {
        String url = spec.url();
        String secret = spec.secret();
        List<Watched> watched = spec.watched();
        List<String> domains = spec.domains();
        String id = Ids.newId();
        requireNamesExist(watched);
        requireAllowedTarget(url);
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO webhooks (id, user_id, url, origin, secret, domains, disabled, created_at)
                            VALUES (:id, :user, :url, :origin, :secret, :domains, FALSE, :now)""")
                    .bind("id", id).bind("user", userId).bind("url", url).bind("origin", origin).bind("secret", secret)
                    .bind("domains", String.join(",", domains)).bind("now", clock.millis()).execute();
            insertWatches(h, id, watched);
        });
        return byId(id).orElseThrow();
    }

    public Webhook update(Webhook webhook, WebhookSpec spec) {
        String url = spec.url();
        String secret = spec.secret();
        List<Watched> watched = spec.watched();
        List<String> domains = spec.domains();
        requireNamesExist(watched);
        requireAllowedTarget(url);
        jdbi.useTransaction(h -> {
            h.createUpdate("UPDATE webhooks SET url = :url, secret = :secret, domains = :domains WHERE id = :id")
                    .bind("url", url).bind("secret", secret).bind("domains", String.join(",", domains))
                    .bind("id", webhook.id()).execute();
            h.createUpdate("DELETE FROM webhook_watches WHERE webhook_id = :id").bind("id", webhook.id()).execute();
            insertWatches(h, webhook.id(), watched);
        });
        return byId(webhook.id()).orElseThrow();
    }

    /**
     * Refuses, with the reason, a URL whose host is not a public address or in an allowed network; deliveries check
     * again. A name that does not resolve yet is accepted: its deliveries fail until it does.
     */
    private void requireAllowedTarget(String url) {
        try {
            targets.check(URI.create(url).getHost());
        } catch (OutboundTargetRefused e) {
            throw new Errors.BadRequest(e.getMessage());
        } catch (UnknownHostException e) {
            // accepted, see above
        }
    }

    /**
     * A watched user or organization must exist: a misspelt name would otherwise make a webhook that never fires.
     * Repos are not checked, so a webhook may watch a repo before it is created (or one its owner cannot see yet).
     */
    private void requireNamesExist(List<Watched> watched) {
        for (Watched w : watched) {
            boolean missing = switch (w.kind()) {
                case "user" -> users.byName(w.name()).isEmpty();
                case "org" -> orgs.byName(w.name()).isEmpty();
                default -> false;
            };
            if (missing) {
                throw new Errors.BadRequest("No " + (w.kind().equals("user") ? "user" : "organization") + " is named '"
                        + w.name() + "'");
            }
        }
    }

    public Webhook setDisabled(Webhook webhook, boolean disabled) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE webhooks SET disabled = :d WHERE id = :id")
                .bind("d", disabled).bind("id", webhook.id()).execute());
        return byId(webhook.id()).orElseThrow();
    }

    /**
     * Records a delivery: {@code event} says what was sent, {@code outcome} how it went (both cut to 300 characters).
     * Only the newest {@value #KEPT_DELIVERIES} of a webhook are kept.
     */
    public void recordDelivery(String webhookId, String event, String outcome) {
        jdbi.useTransaction(h -> {
            h.createUpdate("""
                            INSERT INTO webhook_deliveries (id, webhook_id, at, event, outcome)
                            VALUES (:id, :webhook, :at, :event, :outcome)""")
                    .bind("id", Ids.newId()).bind("webhook", webhookId).bind("at", clock.millis())
                    .bind("event", cut(event)).bind("outcome", cut(outcome)).execute();
            h.createUpdate("""
                            DELETE FROM webhook_deliveries WHERE webhook_id = :webhook AND id NOT IN (
                                SELECT id FROM webhook_deliveries WHERE webhook_id = :webhook
                                ORDER BY at DESC, id DESC LIMIT :kept)""")
                    .bind("webhook", webhookId).bind("kept", KEPT_DELIVERIES).execute();
        });
    }

    /** The webhook's kept deliveries, newest first. */
    public List<Delivery> deliveries(String webhookId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT at, event, outcome FROM webhook_deliveries WHERE webhook_id = :webhook
                        ORDER BY at DESC, id DESC""")
                .bind("webhook", webhookId)
                .map((rs, c) -> new Delivery(rs.getLong(1), rs.getString(2), rs.getString(3))).list());
    }

    static String cut(String text) {
        return text.length() > 300 ? text.substring(0, 300) : text;
    }

    public void delete(Webhook webhook) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM webhooks WHERE id = :id").bind("id", webhook.id()).execute());
    }

    public Optional<Webhook> byId(String id) {
        return jdbi.withHandle(h -> load(h, "w.id = :key", id)).stream().findFirst();
    }

    /** The webhook, if it is {@code userId}'s: another user's is as good as absent. */
    public Optional<Webhook> owned(String id, String userId) {
        return byId(id).filter(w -> w.userId().equals(userId));
    }

    public List<Webhook> ofUser(String userId) {
        return jdbi.withHandle(h -> load(h, "w.user_id = :key", userId));
    }

    /**
     * Enabled webhooks of {@code domain} that watch the repo {@code repoId} of {@code kind}, or its namespace (as a
     * user or an organization).
     */
    public List<Webhook> watching(String kind, String repoId, String namespace, String domain) {
        return jdbi.withHandle(h -> load(h, """
                w.disabled = FALSE AND w.id IN (
                    SELECT webhook_id FROM webhook_watches
                    WHERE (kind = :kind AND name = :key) OR (kind IN ('user', 'org') AND name = :namespace))""",
                repoId, Map.of("kind", kind, "namespace", namespace))).stream()
                .filter(w -> w.domains().contains(domain)).toList();
    }

    /** Watches of a repo follow it to its new name. */
    public void renameWatches(String kind, String from, String to) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE webhook_watches SET name = :to WHERE kind = :kind AND name = :from
                          AND NOT EXISTS (SELECT 1 FROM webhook_watches o
                                          WHERE o.webhook_id = webhook_watches.webhook_id
                                            AND o.kind = :kind AND o.name = :to)""")
                .bind("kind", kind).bind("from", from).bind("to", to).execute());
    }

    private static List<Webhook> load(Handle h, String condition, String key) {
        return load(h, condition, key, Map.of());
    }

    private static List<Webhook> load(Handle h, String condition, String key, Map<String, String> more) {
        var query = h.createQuery("SELECT w.id, w.user_id, w.url, w.origin, w.secret, w.domains, w.disabled,"
                + " d.at, d.event, d.outcome FROM webhooks w LEFT JOIN webhook_deliveries d ON d.id = (SELECT n.id FROM"
                + " webhook_deliveries n WHERE n.webhook_id = w.id ORDER BY n.at DESC, n.id DESC LIMIT 1)"
                + " WHERE " + condition + " ORDER BY w.created_at, w.id").bind("key", key);
        more.forEach(query::bind);
        List<Webhook> bare = query.map((rs, c) -> new Webhook(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getString(5), List.of(), Arrays.stream(rs.getString(6).split(","))
                .filter(d -> !d.isEmpty()).toList(), rs.getBoolean(7),
                rs.getString(10) == null ? null : new Delivery(rs.getLong(8), rs.getString(9), rs.getString(10))))
                .list();
        List<Webhook> out = new ArrayList<>(bare.size());
        for (Webhook w : bare) {
            List<Watched> watched = h.createQuery(
                            "SELECT kind, name FROM webhook_watches WHERE webhook_id = :id ORDER BY kind, name")
                    .bind("id", w.id()).map((rs, c) -> new Watched(rs.getString(1), rs.getString(2))).list();
            out.add(new Webhook(w.id(), w.userId(), w.url(), w.origin(), w.secret(), watched, w.domains(),
                    w.disabled(), w.lastDelivery()));
        }
        return out;
    }

    private static void insertWatches(Handle h, String id, List<Watched> watched) {
        for (Watched w : watched.stream().distinct().toList()) {
            h.createUpdate("INSERT INTO webhook_watches (webhook_id, kind, name) VALUES (:id, :kind, :name)")
                    .bind("id", id).bind("kind", w.kind()).bind("name", w.name()).execute();
        }
    }
}
