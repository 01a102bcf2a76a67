package dev.atrium.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.Principal;
import dev.atrium.auth.Users;
import dev.atrium.org.Organizations;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** {@code GET /api/whoami-v2}: who the token belongs to and what it may do. */
public final class AccountApi {
    private final BaseUrl baseUrl;
    private final Organizations orgs;
    private final Users users;

    public AccountApi(BaseUrl baseUrl, Organizations orgs, Users users) {
        this.baseUrl = baseUrl;
        this.orgs = orgs;
        this.users = users;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/whoami-v2", this::whoami);
    }

    private void whoami(Context ctx) {
        Principal caller = Caller.required(ctx);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("type", "user");
        out.put("id", caller.user().id());
        out.put("name", caller.user().name());
        out.put("fullname", caller.user().fullname());
        out.put("email", caller.user().email());
        out.put("emailVerified", users.emailVerified(caller.user().id()));
        out.put("isPro", false);
        out.put("canPay", false);
        out.putNull("periodEnd");
        out.put("avatarUrl", baseUrl.of(ctx) + "/avatars/" + caller.user().name());
        var list = out.putArray("orgs");
        for (Organizations.Membership m : orgs.of(caller.user())) {
            list.addObject().put("type", "org").put("id", m.org().id()).put("name", m.org().name())
                    .put("fullname", m.org().fullname()).put("avatarUrl", baseUrl.of(ctx) + "/avatars/" + m.org().name())
                    .put("canPay", false).put("roleInOrg", m.role().wireName());
        }
        ObjectNode token = out.putObject("auth").put("type", "access_token").putObject("accessToken");
        token.put("displayName", caller.token().displayName());
        token.put("role", caller.token().role().wireName());
        if (caller.token().scopes() != null) {
            token.set("fineGrained", caller.token().scopes().toJson(Json.MAPPER));
        }
        token.put("createdAt", Dates.iso(caller.token().createdAt()));
        Json.send(ctx, out);
    }
}
