package dev.atrium.signing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.Principal;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/**
 * A user's GPG keys over the API (an Atrium extension, as the settings page is the Hub's only way): list, add
 * ({@code {"key": "-----BEGIN PGP PUBLIC KEY BLOCK-----..."}}), remove. As for tokens, a browser session or a write
 * token only: a key decides whose commits show as verified.
 */
public final class GpgKeyApi {
    private final GpgKeys keys;

    public GpgKeyApi(GpgKeys keys) {
        this.keys = keys;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/settings/gpg-keys", this::list);
        routes.post("/api/settings/gpg-keys", this::add);
        routes.delete("/api/settings/gpg-keys/{id}", this::remove);
    }


    private void list(Context ctx) {
        ArrayNode out = Json.MAPPER.createArrayNode();
        keys.of(Caller.requiredWithWriteRole(ctx, "GPG keys").user().id()).forEach(k -> out.add(describe(k)));
        Json.send(ctx, out);
    }

    private void add(Context ctx) {
        Principal caller = Caller.requiredWithWriteRole(ctx, "GPG keys");
        GpgKeys.Registered added;
        try {
            added = keys.add(caller.user().id(), GpgPublicKey.parse(Json.text(Json.body(ctx), "key")));
        } catch (InvalidGpgKey | GpgKeys.TooManyKeys e) {
            throw new Errors.BadRequest(e.getMessage());
        } catch (GpgKeys.KeyTaken e) {
            throw new Errors.Conflict(e.getMessage());
        }
        Json.send(ctx, describe(added));
    }

    private void remove(Context ctx) {
        String id = ctx.pathParam("id");
        if (!keys.delete(Caller.requiredWithWriteRole(ctx, "GPG keys").user().id(), id)) {
            throw new Errors.NotFound("No GPG key " + id);
        }
        Json.send(ctx, Map.of());
    }

    static ObjectNode describe(GpgKeys.Registered k) {
        ObjectNode node = Json.MAPPER.createObjectNode().put("id", k.id()).put("fingerprint", k.key().fingerprint());
        k.key().keyIds().forEach(node.putArray("keyIds")::add);
        k.key().emails().stream().sorted().forEach(node.putArray("emails")::add);
        node.put("revoked", k.key().revoked());
        k.key().expiresAt().ifPresentOrElse(at -> node.put("expiresAt", Dates.iso(at.toEpochMilli())),
                () -> node.putNull("expiresAt"));
        return node.put("createdAt", Dates.iso(k.createdAt()));
    }
}
