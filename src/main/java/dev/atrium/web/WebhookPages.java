package dev.atrium.web;

import dev.atrium.auth.User;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.HubException;
import dev.atrium.webhook.WebhookSpec;
import dev.atrium.webhook.Webhooks;
import dev.atrium.webhook.Webhooks.Watched;
import dev.atrium.webhook.Webhooks.Webhook;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The signed-in user's webhooks, as the API manages them: a list, a form to add one, enable, disable, delete. */
public final class WebhookPages {
    /** A webhook as the page lists it, with its recent deliveries, newest first. */
    public record Row(String id, String url, String watched, String domains, boolean disabled, String lastDelivery,
                      List<Sent> deliveries) {}

    /** One delivery: when (UTC), what was sent, how it went. */
    public record Sent(String at, String event, String outcome) {}

    private final Pages pages;
    private final Webhooks webhooks;
    private final BaseUrl baseUrl;

    WebhookPages(Pages pages, Webhooks webhooks, BaseUrl baseUrl) {
        this.pages = pages;
        this.webhooks = webhooks;
        this.baseUrl = baseUrl;
    }

    void register(RoutesConfig routes) {
        routes.get("/settings/webhooks", pages.page(ctx -> page(ctx, 200, null)));
        routes.post("/settings/webhooks", pages.page(this::create));
        routes.post("/settings/webhooks/{id}/toggle", pages.page(this::toggle));
        routes.post("/settings/webhooks/{id}/delete", pages.page(this::delete));
    }

    private void page(Context ctx, int status, String error) {
        User user = SignedIn.require(ctx).user();
        List<Row> rows = webhooks.ofUser(user.id()).stream().map(w -> new Row(w.id(), w.url(),
                String.join(", ", w.watched().stream().map(x -> x.kind() + " " + x.name()).toList()),
                String.join(", ", w.domains()), w.disabled(), w.lastDelivery() == null ? "none yet"
                        : w.lastDelivery().outcome() + ", " + shown(w.lastDelivery().at()),
                webhooks.deliveries(w.id()).stream().map(d -> new Sent(shown(d.at()), d.event(), d.outcome()))
                        .toList())).toList();
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Webhooks"));
        params.put("webhooks", rows);
        params.put("error", error);
        pages.render(ctx, status, "settings/webhooks.jte", params);
    }

    private static String shown(long at) {
        return Dates.iso(at).substring(0, 19).replace('T', ' ');
    }

    /** Watched items one per line, {@code <type> <name>}: {@code model alice/bert}, {@code org acme}. */
    private void create(Context ctx) {
        User user = SignedIn.require(ctx).user();
        List<Watched> watched = new ArrayList<>();
        for (String line : Optional.ofNullable(ctx.formParam("watched")).orElse("").split("\\R")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2) {
                watched.add(new Watched(parts[0], parts[1]));
            } else if (!line.isBlank()) {
                page(ctx, 400, "Write each watched item as a type and a name, such as 'model alice/bert' or "
                        + "'org acme'.");
                return;
            }
        }
        try {
            webhooks.create(user.id(), baseUrl.of(ctx), WebhookSpec.checked(ctx.formParam("url"),
                    ctx.formParam("secret"), watched, ctx.formParams("domain")));
            ctx.redirect("/settings/webhooks", HttpStatus.SEE_OTHER);
        } catch (HubException e) {
            page(ctx, e.status(), e.getMessage());
        }
    }

    private Webhook own(Context ctx) {
        User user = SignedIn.require(ctx).user();
        return webhooks.owned(ctx.pathParam("id"), user.id())
                .orElseThrow(() -> new Errors.NotFound("No such webhook"));
    }

    private void toggle(Context ctx) {
        Webhook webhook = own(ctx);
        webhooks.setDisabled(webhook, !webhook.disabled());
        ctx.redirect("/settings/webhooks", HttpStatus.SEE_OTHER);
    }

    private void delete(Context ctx) {
        webhooks.delete(own(ctx));
        ctx.redirect("/settings/webhooks", HttpStatus.SEE_OTHER);
    }
}
