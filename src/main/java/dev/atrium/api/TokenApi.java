package dev.atrium.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.Principal;
import dev.atrium.auth.TokenInfo;
import dev.atrium.auth.TokenRole;
import dev.atrium.auth.TokenScopes;
import dev.atrium.auth.Tokens;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A user's access tokens over the API (an Atrium extension, so tokens can be scripted): list, create (the secret is
 * in this response only), revoke. Only a browser session or a write token may manage tokens: a read or fine-grained
 * token can never mint one broader than itself.
 */
public final class TokenApi {
    private final Tokens tokens;
    private final Clock clock;

    public TokenApi(Tokens tokens, Clock clock) {
        this.tokens = tokens;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/settings/tokens", this::list);
        routes.post("/api/settings/tokens", this::create);
        routes.delete("/api/settings/tokens/{id}", this::revoke);
    }


    private void list(Context ctx) {
        Principal caller = Caller.requiredWithWriteRole(ctx, "tokens");
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (TokenInfo t : tokens.listFor(caller.user())) {
            out.add(t.describe(Json.MAPPER));
        }
        Json.send(ctx, out);
    }

    private void create(Context ctx) {
        Principal caller = Caller.requiredWithWriteRole(ctx, "tokens");
        JsonNode body = Json.body(ctx);
        String name = Json.text(body, "name");
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new Errors.BadRequest("'name' is required (up to 100 characters)");
        }
        TokenRole role;
        TokenScopes scopes = null;
        try {
            role = TokenRole.parse(Json.text(body, "role"));
            if (role == TokenRole.FINE_GRAINED) {
                scopes = TokenScopes.parse(body.get("fineGrained"));
            } else if (body.has("fineGrained")) {
                throw new IllegalArgumentException("'fineGrained' scopes need the fineGrained role");
            }
        } catch (IllegalArgumentException e) {
            throw new Errors.BadRequest(e.getMessage());
        }
        Long expiresAt = expiry(Json.text(body, "expiresAt"));
        Tokens.Issued issued = tokens.create(caller.user(), name.strip(), role, scopes, expiresAt);
        ObjectNode out = issued.info().describe(Json.MAPPER);
        out.put("token", issued.secret());
        Json.send(ctx, out);
    }

    private Long expiry(String text) {
        if (text == null) {
            return null;
        }
        try {
            long at = Instant.parse(text).toEpochMilli();
            if (at <= clock.millis()) {
                throw new Errors.BadRequest("'expiresAt' is in the past");
            }
            return at;
        } catch (DateTimeParseException e) {
            throw new Errors.BadRequest("'expiresAt' must be an ISO-8601 instant, e.g. 2027-01-31T00:00:00Z");
        }
    }

    private void revoke(Context ctx) {
        Principal caller = Caller.requiredWithWriteRole(ctx, "tokens");
        String id = ctx.pathParam("id");
        boolean mine = tokens.listFor(caller.user()).stream().anyMatch(t -> t.id().equals(id));
        if (!mine || !tokens.revoke(id)) {
            throw new Errors.NotFound("No token " + id);
        }
        Json.send(ctx, java.util.Map.of());
    }
}
