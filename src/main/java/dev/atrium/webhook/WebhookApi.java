package dev.atrium.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.Principal;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.webhook.Webhooks.Watched;
import dev.atrium.webhook.Webhooks.Webhook;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * A user's webhooks ({@code create_webhook}, {@code list_webhooks}... hub-api.md §11.5): the URL Atrium POSTs to when
 * something they watch changes. Each user sees and changes only their own; a token must have the write role to
 * change them. Jobs as targets ({@code jobSourceId}) need Hub Jobs, which Atrium does not run.
 */
public final class WebhookApi {
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
        send(ctx, webhooks.create(caller.user().id(), baseUrl.of(ctx), parse(Json.body(ctx))));
    }

    private void update(Context ctx) {
        Webhook webhook = own(ctx, true);
        send(ctx, webhooks.update(webhook, parse(Json.body(ctx))));
    }

    private Webhook own(Context ctx) {
        return own(ctx, false);
    }

    /** The caller's webhook of the path; another user's is a 404, as if it did not exist. */
    private Webhook own(Context ctx, boolean changing) {
        Principal caller = changing ? writer(ctx) : Caller.required(ctx);
        return webhooks.owned(ctx.pathParam("id"), caller.user().id())
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

    private static WebhookSpec parse(JsonNode body) {
        if (body.hasNonNull("jobSourceId")) {
            throw new Errors.BadRequest("Atrium does not run Jobs: a webhook needs a 'url'");
        }
        List<Watched> watched = new ArrayList<>();
        JsonNode watchedNode = body.path("watched");
        if (!watchedNode.isArray()) {
            throw new Errors.BadRequest("'watched' must be a list of {type, name} items");
        }
        for (JsonNode item : watchedNode) {
            watched.add(new Watched(item.path("type").asText(""), item.path("name").asText("")));
        }
        List<String> domains = null;
        JsonNode domainsNode = body.path("domains");
        if (!domainsNode.isMissingNode() && !domainsNode.isNull()) {
            domains = new ArrayList<>();
            for (JsonNode d : domainsNode) {
                domains.add(d.asText());
            }
        }
        return WebhookSpec.checked(Json.text(body, "url"), Json.text(body, "secret"), watched, domains);
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
        if (w.lastDelivery() != null) { // an Atrium extension: how the last delivery went
            out.putObject("lastDelivery").put("at", Dates.iso(w.lastDelivery().at()))
                    .put("outcome", w.lastDelivery().outcome());
        }
        return out;
    }
}
