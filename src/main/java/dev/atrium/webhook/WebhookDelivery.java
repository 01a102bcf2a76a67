package dev.atrium.webhook;

import dev.atrium.http.OutboundTargets;
import dev.atrium.http.OutboundTargetRefused;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.DaemonThreads;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.auth.Users;
import dev.atrium.discussion.Discussions;
import dev.atrium.http.Json;
import dev.atrium.org.Organizations;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Repos;
import dev.atrium.webhook.Webhooks.Webhook;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.jspecify.annotations.Nullable;

/**
 * Sends webhook payloads when a repo's content changes (a commit, a push, a branch or tag change) or one of its
 * discussions does: to every enabled webhook of that domain ({@code repo}, {@code discussions}) that watches the repo
 * or its namespace and whose owner may see the repo.
 * Deliveries, and for commits and discussions the search for webhooks too, happen off the caller's thread, so neither a
 * slow receiver nor many webhooks hold a commit up; each is tried three times (on a network error, no answer or a 5xx)
 * and then recorded as failed. Events are taken in the order they happen, and a webhook's deliveries go one at a time
 * in that order, so a receiver sees two quick pushes in the order they landed; a receiver that is down or slow delays
 * its own webhook's payloads and no other's ({@link SerialQueues}). The payload is version 3 of the Hub's (hub-api.md §11.5),
 * with the webhook's secret in {@code X-Webhook-Secret}. A target {@link OutboundTargets} refuses is recorded and not
 * retried.
 */
public final class WebhookDelivery implements AutoCloseable, RepoService.LifecycleListener {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebhookDelivery.class);
    private static final int ATTEMPTS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** How often a node renews its claims on the payloads it is delivering, and adopts lapsed ones. */
    private static final Duration CLAIM_RENEWAL = Duration.ofMinutes(1);
    /** How long a claim lasts unrenewed before another node adopts the payload: its node is taken for dead. */
    private static final Duration CLAIM_LAPSE = Duration.ofMinutes(3);

    private final Webhooks webhooks;
    private final WebhookOutbox outbox;
    private final RepoService repoService;
    private final AccessPolicy policy;
    private final Users users;
    private final Organizations orgs;
    private final WebhookSender sender;
    /** Bounded: when receivers fall far behind, new work is dropped with a warning rather than queued. */
    private static final int QUEUE = 1000;
    /**
     * Events in the order they happened: finding their webhooks and building payloads, then queueing each delivery
     * behind its webhook's earlier ones. A single thread, so two quick pushes reach every receiver in that order.
     */
    private final ThreadPoolExecutor events = new ThreadPoolExecutor(1, 1, 60, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), DaemonThreads.named("webhook-events"), (runnable, pool) ->
            LOG.warn("Webhook events are {} behind: one was dropped", pool.getQueue().size()));
    /** Starts deliveries and records their outcomes; the requests themselves hold no thread while they wait. */
    private final ScheduledExecutorService deliveries = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("webhook-delivery"));
    /** One queue per webhook: its payloads go one at a time, in order, and wait for no other webhook's. */
    private final SerialQueues queues = new SerialQueues(deliveries, QUEUE);

    /** Delivers after everything handed to the same webhook before, the payload kept until it has its outcome. */
    private void deliverLater(Webhook webhook, ObjectNode payload) {
        String body = payload.toString();
        String event = describe(payload);
        String kept = null;
        try {
            kept = outbox.add(webhook.id(), event, body).id();
        } catch (RuntimeException e) {
            LOG.warn("Webhook {}: keeping a payload failed, it is sent from memory alone: {}", webhook.id(),
                    e.toString());
        }
        queues.submit(webhook.id(), new Delivery(webhook, body, event, kept));
    }

    /**
     * Queues the payloads other nodes (or this node's last run) left undelivered: given back when they stopped, or
     * not renewed for {@link #CLAIM_LAPSE} because they died. A webhook deleted or disabled since gets nothing.
     */
    private void adoptLapsed() {
        for (WebhookOutbox.Pending pending : outbox.adopt(CLAIM_LAPSE)) {
            Optional<Webhook> webhook = webhooks.byId(pending.webhookId()).filter(w -> !w.disabled());
            if (webhook.isEmpty()) {
                outbox.done(pending.id());
                continue;
            }
            queues.submit(pending.webhookId(), new Delivery(webhook.get(), pending.payload(), pending.event(),
                    pending.id()));
        }
    }

    public WebhookDelivery(Webhooks webhooks, WebhookOutbox outbox, RepoService repoService, AccessPolicy policy,
                           Users users, Organizations orgs, OutboundTargets targets) {
        this.webhooks = webhooks;
        this.outbox = outbox;
        this.repoService = repoService;
        this.policy = policy;
        this.users = users;
        this.orgs = orgs;
        this.sender = new WebhookSender(targets, TIMEOUT);
        deliveries.scheduleWithFixedDelay(this::keepClaims, 0, CLAIM_RENEWAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void keepClaims() {
        try {
            outbox.renew();
            adoptLapsed();
        } catch (RuntimeException e) {
            LOG.warn("Renewing or adopting undelivered webhook payloads failed: {}", e.toString());
        }
    }

    /** Called when {@code repo}'s content changed, with the refs that moved when known; returns at once. */
    public void repoContentChanged(Repo repo, List<Repos.RefChange> refs) {
        // Even finding the webhooks waits for a delivery thread: a commit or push pays nothing for them.
        events.execute(() -> sendContentChange(repo, refs));
    }

    private void sendContentChange(Repo repo, List<Repos.RefChange> refs) {
        List<Webhook> targets = targets(repo, "repo");
        if (targets.isEmpty()) {
            return;
        }
        String headSha = headSha(repo);
        for (Webhook webhook : targets) {
            ObjectNode payload = payload(webhook, repo, headSha);
            if (!refs.isEmpty()) {
                ArrayNode updated = payload.putArray("updatedRefs");
                for (Repos.RefChange ref : refs) {
                    ObjectNode r = updated.addObject().put("ref", ref.ref());
                    if (ref.oldSha() != null) {
                        r.put("oldSha", ref.oldSha());
                    }
                    if (ref.newSha() != null) {
                        r.put("newSha", ref.newSha());
                    }
                }
            }
            deliverLater(webhook, payload);
        }
    }

    /** Its watchers hear of a new repo: a user's or organization's watch covers the repos it creates. */
    @Override
    public void created(Repo repo) {
        events.execute(() -> {
            String headSha = headSha(repo);
            for (Webhook webhook : targets(repo, "repo")) {
                ObjectNode payload = payload(webhook, repo, headSha);
                payload.putObject("event").put("action", "create").put("scope", "repo");
                deliverLater(webhook, payload);
            }
        });
    }

    /** Its watchers hear of a deleted repo once more. */
    @Override
    public void deleted(Repo repo) {
        for (Webhook webhook : targets(repo, "repo")) {
            ObjectNode payload = payload(webhook, repo, null);
            payload.putObject("event").put("action", "delete").put("scope", "repo");
            // Built now, while the repo and its watches exist; sent after the events before it.
            events.execute(() -> deliverLater(webhook, payload));
        }
    }

    /** Its watchers hear of a moved repo's new name, which their watch follows. */
    @Override
    public void moved(Repo from, Repo to) {
        for (Webhook webhook : targets(from, "repo")) {
            ObjectNode payload = payload(webhook, from, null);
            payload.putObject("event").put("action", "move").put("scope", "repo");
            payload.putObject("movedTo").put("name", to.repoId().toString())
                    .putObject("owner").put("id", ownerId(to.repoId().namespace()));
            events.execute(() -> deliverLater(webhook, payload));
        }
        webhooks.renameWatches(from.type().singular(), from.repoId().toString(), to.repoId().toString());
    }

    private List<Webhook> targets(Repo repo, String domain) {
        return webhooks.watching(repo.type().singular(), repo.repoId().toString(), repo.repoId().namespace(), domain)
                .stream().filter(w -> ownerMaySee(w, repo)).toList();
    }

    private String ownerId(String namespace) {
        return users.byName(namespace).map(u -> u.id()).or(() -> orgs.byName(namespace).map(o -> o.id()))
                .orElse(namespace);
    }

    /**
     * Called when a discussion or pull request of {@code repo} was opened, commented on, renamed, closed, reopened
     * or merged; returns at once.
     */
    public void discussionChanged(Repo repo, Discussions.Discussion thread, boolean created,
                                  Discussions.@Nullable Event comment) {
        events.execute(() -> sendDiscussionChange(repo, thread, created, comment));
    }

    private void sendDiscussionChange(Repo repo, Discussions.Discussion thread, boolean created,
                                      Discussions.@Nullable Event comment) {
        for (Webhook webhook : targets(repo, "discussions")) {
            ObjectNode payload = payload(webhook, repo, null);
            payload.putObject("event").put("action", created ? "create" : "update")
                    .put("scope", comment != null ? "discussion.comment" : "discussion");
            String web = webhook.origin() + "/" + repo.type().urlPrefix() + repo.repoId() + "/discussions/"
                    + thread.num();
            ObjectNode d = payload.putObject("discussion").put("id", repo.id() + "-" + thread.num())
                    .put("num", thread.num()).put("title", thread.title()).put("isPullRequest", thread.isPr())
                    .put("status", thread.status());
            d.putObject("author").put("id", thread.authorId() == null ? "" : thread.authorId());
            d.putObject("url").put("web", web).put("api", webhook.origin() + "/api/" + repo.type().plural() + "/"
                    + repo.repoId() + "/discussions/" + thread.num());
            if (thread.isPr()) {
                ObjectNode changes = d.putObject("changes").put("base", thread.baseRef() == null ? "refs/heads/main"
                        : thread.baseRef());
                if (thread.mergeCommit() != null) {
                    changes.put("mergeCommitId", thread.mergeCommit());
                }
            }
            if (comment != null) {
                ObjectNode c = payload.putObject("comment").put("id", comment.id()).put("hidden", false)
                        .put("content", comment.text());
                c.putObject("author").put("id", comment.authorId() == null ? "" : comment.authorId());
                c.putObject("url").put("web", web + "#" + comment.id());
            }
            deliverLater(webhook, payload);
        }
    }

    private boolean ownerMaySee(Webhook webhook, Repo repo) {
        return users.byId(webhook.userId()).map(user -> policy.canRead(Principal.reader(user), repo)).orElse(false);
    }

    private @Nullable String headSha(Repo repo) {
        try (Repository git = repoService.openGit(repo)) {
            ObjectId head = git.resolve("HEAD^{commit}");
            return head == null ? null : head.name();
        } catch (IOException e) {
            return null;
        }
    }

    private ObjectNode payload(Webhook webhook, Repo repo, @Nullable String headSha) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.putObject("event").put("action", "update").put("scope", "repo.content");
        ObjectNode r = payload.putObject("repo").put("type", repo.type().singular())
                .put("name", repo.repoId().toString()).put("id", repo.id()).put("private", repo.isPrivate());
        String namespace = repo.repoId().namespace();
        r.putObject("owner").put("id", ownerId(namespace));
        r.putObject("url").put("web", webhook.origin() + "/" + repo.type().urlPrefix() + repo.repoId())
                .put("api", webhook.origin() + "/api/" + repo.type().plural() + "/" + repo.repoId());
        if (headSha != null) {
            r.put("head_sha", headSha);
        }
        payload.putObject("webhook").put("id", webhook.id()).put("version", 3);
        return payload;
    }

    /** One payload to one webhook, tried up to three times: on a network error, no answer or a 5xx. */
    private final class Delivery implements SerialQueues.Job {
        private final Webhook webhook;
        private final String body;
        private final String event;
        /** Its row in the outbox; null when keeping it failed. */
        private final @Nullable String kept;

        Delivery(Webhook webhook, String body, String event, @Nullable String kept) {
            this.webhook = webhook;
            this.body = body;
            this.event = event;
            this.kept = kept;
        }

        /** Done first: a node dying in between loses the record of a delivery, not sends it twice. */
        private void finish(String outcome) {
            if (kept != null) {
                outbox.done(kept);
            }
            webhooks.recordDelivery(webhook.id(), event, outcome);
        }

        @Override
        public CompletableFuture<Optional<Duration>> attempt(int attempt) {
            return sender.send(URI.create(webhook.url()), webhook.secret(), body)
                    .handleAsync((status, failure) -> outcome(attempt, status, failure), deliveries);
        }

        /** Records the outcome once it is final; otherwise, the wait before the next try (1 s, then 4 s). */
        private Optional<Duration> outcome(int attempt, @Nullable Integer status, @Nullable Throwable failure) {
            Throwable cause = failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : failure;
            String outcome;
            if (cause instanceof OutboundTargetRefused refused) {
                LOG.warn("Webhook {} not sent: {}", webhook.id(), refused.getMessage());
                finish("not sent: " + refused.getMessage());
                return Optional.empty();
            } else if (cause != null) {
                outcome = "failed: " + (cause.getMessage() == null ? cause.getClass().getSimpleName()
                        : cause.getMessage());
                LOG.warn("Webhook {} to {}: {} (attempt {} of {})", webhook.id(), webhook.url(), cause, attempt,
                        ATTEMPTS);
            } else if (status < 500) {
                if (status >= 300) {
                    LOG.warn("Webhook {} to {}: answered {}", webhook.id(), webhook.url(), status);
                }
                finish("HTTP " + status);
                return Optional.empty();
            } else {
                outcome = "HTTP " + status;
                LOG.warn("Webhook {} to {}: answered {} (attempt {} of {})", webhook.id(), webhook.url(), status,
                        attempt, ATTEMPTS);
            }
            if (attempt < ATTEMPTS) {
                return Optional.of(Duration.ofSeconds(1L << (2 * (attempt - 1))));
            }
            finish(outcome + " (after " + ATTEMPTS + " tries)");
            return Optional.empty();
        }

        @Override
        public void dropped(int waiting) {
            LOG.warn("Webhook {} to {}: {} deliveries are waiting, one was dropped", webhook.id(), webhook.url(),
                    waiting);
            deliveries.execute(() -> finish("dropped: " + waiting + " deliveries were waiting"));
        }
    }

    /** What a payload is about, as the webhook's page lists it: "repo.content update · model alice/bert #3". */
    static String describe(ObjectNode payload) {
        StringBuilder out = new StringBuilder(payload.path("event").path("scope").asText("?")).append(' ')
                .append(payload.path("event").path("action").asText("?")).append(" · ")
                .append(payload.path("repo").path("type").asText("?")).append(' ')
                .append(payload.path("repo").path("name").asText("?"));
        if (payload.has("discussion")) {
            out.append(" #").append(payload.path("discussion").path("num").asText("?"));
        }
        return out.toString();
    }

    /**
     * Events already taken are kept in the outbox first (local work: the database and git), then deliveries stop and
     * the claims are given back, so the next start sends what this one did not. A payload kept after the claims were
     * given back would wait for its claim to lapse.
     */
    @Override
    public void close() {
        events.shutdown();
        try {
            if (!events.awaitTermination(10, TimeUnit.SECONDS)) {
                events.shutdownNow();
                LOG.warn("Webhook events were still being taken after 10 s; the rest are dropped");
            }
            deliveries.shutdownNow();
            deliveries.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            events.shutdownNow();
            deliveries.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            outbox.release();
        } catch (RuntimeException e) {
            LOG.warn("Giving back undelivered webhook payloads failed; they are adopted in {} minutes: {}",
                    CLAIM_LAPSE.toMinutes(), e.toString());
        }
        sender.close();
    }
}
