package dev.atrium.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.Principal;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.webhook.Webhooks.Watched;
import dev.atrium.webhook.Webhooks.Webhook;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A user's webhooks ({@code create_webhook}, {@code list_webhooks}... hub-api.md §11.5): the URL Atrium POSTs to when
 * something they watch changes. Each user sees and changes only their own; a token must have the write role to
 * change them. Jobs as targets ({@code jobSourceId}) need Hub Jobs, which Atrium does not run.
 */
public final class WebhookApi {
    private static final Set<String> KINDS = Set.of("model", "dataset", "space", "user", "org");
    private static final Set<String> DOMAINS = Set.of("repo", "discussions");
    private static final int MAX_WATCHED = 100;

    private final Webhooks webhooks;
    private final BaseUrl baseUrl;

    public WebhookApi(Webhooks webhooks, BaseUrl baseUrl) {
        this.webhooks = webhooks;
        this.baseUrl = baseUrl;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/settings/webhooks", this::list);
        routes.post("/api/settings/webhooks", this::create);
        routes.get("/api/settings/webhooks/{id}", ctx -> send(ctx, own(ctx)));
        routes.post("/api/settings/webhooks/{id}", this::update);
        routes.post("/api/settings/webhooks/{id}/enable",
                ctx -> send(ctx, webhooks.setDisabled(own(ctx, true), false)));
        routes.post("/api/settings/webhooks/{id}/disable",
                ctx -> send(ctx, webhooks.setDisabled(own(ctx, true), true)));
        routes.delete("/api/settings/webhooks/{id}", ctx -> {
            webhooks.delete(own(ctx, true));
            ctx.status(204);
        });
    }

    private void list(Context ctx) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        webhooks.ofUser(Caller.required(ctx).user().id()).forEach(w -> out.add(json(w)));
        Json.send(ctx, out);
    }

    private void create(Context ctx) {
        Principal caller = writer(ctx);
        Request request = parse(Json.body(ctx));
        send(ctx, webhooks.create(caller.user().id(), request.url(), baseUrl.of(ctx), request.secret(),
                request.watched(), request.domains()));
    }

    private void update(Context ctx) {
        Webhook webhook = own(ctx, true);
        Request request = parse(Json.body(ctx));
        send(ctx, webhooks.update(webhook, request.url(), request.secret(), request.watched(), request.domains()));
    }

    private Webhook own(Context ctx) {
        return own(ctx, false);
    }

    /** The caller's webhook of the path; another user's is a 404, as if it did not exist. */
    private Webhook own(Context ctx, boolean changing) {
        Principal caller = changing ? writer(ctx) : Caller.required(ctx);
        return webhooks.byId(ctx.pathParam("id")).filter(w -> w.userId().equals(caller.user().id()))
                .orElseThrow(() -> new Errors.NotFound("Webhook not found: " + ctx.pathParam("id")));
    }

    private static Principal writer(Context ctx) {
        Principal caller = Caller.required(ctx);
        if (!caller.canWrite()) {
            throw new Errors.Forbidden("This token has the read role and cannot change webhooks; use a token with "
                    + "the write role");
        }
        return caller;
    }

    private record Request(String url, String secret, List<Watched> watched, List<String> domains) {}

    private static Request parse(JsonNode body) {
        if (body.hasNonNull("jobSourceId")) {
            throw new Errors.BadRequest("Atrium does not run Jobs: a webhook needs a 'url'");
        }
        String url = Json.text(body, "url");
        if (url == null || !validUrl(url)) {
            throw new Errors.BadRequest("'url' must be an http or https URL");
        }
        JsonNode watchedNode = body.path("watched");
        if (!watchedNode.isArray() || watchedNode.isEmpty() || watchedNode.size() > MAX_WATCHED) {
            throw new Errors.BadRequest("'watched' must list 1 to " + MAX_WATCHED + " {type, name} items");
        }
        List<Watched> watched = new ArrayList<>();
        for (JsonNode item : watchedNode) {
            String kind = item.path("type").asText("");
            String name = item.path("name").asText("");
            boolean repo = !kind.equals("user") && !kind.equals("org");
            if (!KINDS.contains(kind) || name.isEmpty() || name.length() > 200 || repo != name.contains("/")) {
                throw new Errors.BadRequest("each watched item needs a type (model, dataset, space, user or org) "
                        + "and a name (a repo id for a repo, a name for a user or organization)");
            }
            watched.add(new Watched(kind, name));
        }
        List<String> domains = new ArrayList<>();
        JsonNode domainsNode = body.path("domains");
        if (domainsNode.isMissingNode() || domainsNode.isNull()) {
            domains.addAll(List.of("repo", "discussions"));
        } else {
            for (JsonNode d : domainsNode) {
                // The client's own docstring example says "discussion": taken as the domain it means.
                String domain = d.asText().equals("discussion") ? "discussions" : d.asText();
                if (!DOMAINS.contains(domain)) {
                    throw new Errors.BadRequest("'domains' may hold repo and discussions");
                }
                domains.add(domain);
            }
        }
        String secret = Json.text(body, "secret");
        if (secret != null && secret.length() > 200) {
            throw new Errors.BadRequest("'secret' has at most 200 characters");
        }
        return new Request(url, secret, watched, domains.stream().distinct().toList());
    }

    private static boolean validUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && url.length() <= 2000;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static void send(Context ctx, Webhook webhook) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("webhook", json(webhook));
        Json.send(ctx, out);
    }

    static ObjectNode json(Webhook w) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("id", w.id()).put("url", w.url());
        ArrayNode watched = out.putArray("watched");
        w.watched().forEach(x -> watched.addObject().put("type", x.kind()).put("name", x.name()));
        ArrayNode domains = out.putArray("domains");
        w.domains().forEach(domains::add);
        if (w.secret() != null) {
            out.put("secret", w.secret());
        }
        out.put("disabled", w.disabled());
        return out;
    }
}
