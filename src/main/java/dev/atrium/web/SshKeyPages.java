package dev.atrium.web;

import dev.atrium.auth.InvalidSshKey;
import dev.atrium.auth.SshKeys;
import dev.atrium.auth.SshPublicKey;
import dev.atrium.auth.User;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Settings, SSH keys: the keys that sign in for git over SSH, and how to clone with one. */
public final class SshKeyPages {
    public record KeyRow(String id, String title, String type, String fingerprint, String added, String lastUsed) {}

    private final Pages pages;
    private final SshKeys keys;
    private final CloneCommands clone;

    SshKeyPages(Pages pages, SshKeys keys, CloneCommands clone) {
        this.pages = pages;
        this.keys = keys;
        this.clone = clone;
    }

    void register(RoutesConfig routes) {
        routes.get("/settings/ssh-keys", pages.page(ctx -> page(ctx, 200, null, "", "")));
        routes.post("/settings/ssh-keys", pages.page(this::add));
        routes.post("/settings/ssh-keys/{id}/delete", pages.page(this::delete));
    }

    private void page(Context ctx, int status, @Nullable String error, String title, String pasted) {
        User user = SignedIn.require(ctx).user();
        List<KeyRow> rows = keys.of(user.id()).stream().map(k -> new KeyRow(k.id(), k.title(), k.key().type(),
                k.key().fingerprint(), Dates.iso(k.createdAt()).substring(0, 10), k.lastUsedAt() == null ? "never"
                        : Dates.iso(k.lastUsedAt()).substring(0, 16).replace('T', ' '))).toList();
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "SSH keys"));
        params.put("keys", rows);
        params.put("example", clone.sshUrl(ctx, user.name() + "/model"));
        params.put("error", error);
        params.put("title", title);
        params.put("pasted", pasted);
        pages.render(ctx, status, "settings/sshkeys.jte", params);
    }

    private void add(Context ctx) {
        User user = SignedIn.require(ctx).user();
        String title = ctx.formParam("title") == null ? "" : ctx.formParam("title");
        String pasted = ctx.formParam("key") == null ? "" : ctx.formParam("key");
        try {
            keys.add(user.id(), title, SshPublicKey.parse(pasted));
        } catch (InvalidSshKey | SshKeys.KeyTaken | SshKeys.TooManyKeys e) {
            // A private key pasted by mistake is not sent back into the page.
            page(ctx, 400, e.getMessage(), title, pasted.contains("PRIVATE KEY") || pasted.length() > 16384 ? ""
                    : pasted);
            return;
        }
        ctx.redirect("/settings/ssh-keys", HttpStatus.SEE_OTHER);
    }

    private void delete(Context ctx) {
        User user = SignedIn.require(ctx).user();
        if (!keys.delete(user.id(), ctx.pathParam("id"))) {
            throw new Errors.NotFound("No such SSH key");
        }
        ctx.redirect("/settings/ssh-keys", HttpStatus.SEE_OTHER);
    }
}
