package dev.atrium.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.InvalidSshKey;
import dev.atrium.auth.Principal;
import dev.atrium.auth.SshKeys;
import dev.atrium.auth.SshPublicKey;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * A user's SSH keys over the API (an Atrium extension; the settings page is the Hub's way): list, add
 * ({@code {"title": "laptop", "key": "ssh-ed25519 AAAA..."}}), remove. A key signs in as its owner over SSH with
 * a write token's rights, so only a browser session or a write token may add one.
 */
public final class SshKeyApi {
    private final SshKeys keys;

    public SshKeyApi(SshKeys keys) {
        this.keys = keys;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/settings/ssh-keys", this::list);
        routes.post("/api/settings/ssh-keys", this::add);
        routes.delete("/api/settings/ssh-keys/{id}", this::remove);
    }


    private void list(Context ctx) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        keys.of(Caller.requiredWithWriteRole(ctx, "SSH keys").user().id()).forEach(k -> out.add(describe(k)));
        Json.send(ctx, out);
    }

    private void add(Context ctx) {
        Principal caller = Caller.requiredWithWriteRole(ctx, "SSH keys");
        JsonNode body = Json.body(ctx);
        SshKeys.Registered added;
        try {
            added = keys.add(caller.user().id(), Json.text(body, "title"), SshPublicKey.parse(Json.text(body, "key")));
        } catch (InvalidSshKey | SshKeys.TooManyKeys e) {
            throw new Errors.BadRequest(e.getMessage());
        } catch (SshKeys.KeyTaken e) {
            throw new Errors.Conflict(e.getMessage());
        }
        Json.send(ctx, describe(added));
    }

    private void remove(Context ctx) {
        String id = ctx.pathParam("id");
        if (!keys.delete(Caller.requiredWithWriteRole(ctx, "SSH keys").user().id(), id)) {
            throw new Errors.NotFound("No SSH key " + id);
        }
        Json.send(ctx, Map.of());
    }

    private static ObjectNode describe(SshKeys.Registered k) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("id", k.id()).put("title", k.title())
                .put("type", k.key().type()).put("fingerprint", k.key().fingerprint())
                .put("createdAt", Dates.iso(k.createdAt()));
        if (k.lastUsedAt() != null) {
            node.put("lastUsedAt", Dates.iso(k.lastUsedAt()));
        }
        return node;
    }
}
