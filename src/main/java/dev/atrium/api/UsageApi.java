package dev.atrium.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.OrgRole;
import dev.atrium.auth.Principal;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.usage.Bandwidth;
import dev.atrium.usage.Statements;
import dev.atrium.usage.Usage;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/** Storage used and limits, for a user ({@code /api/settings/usage}) or an organization's admins (an Atrium extension). */
public final class UsageApi {
    private final Usage usage;
    private final AccessPolicy policy;
    private final Bandwidth bandwidth;

    private final Statements statements;

    public UsageApi(Usage usage, AccessPolicy policy, Bandwidth bandwidth, Statements statements) {
        this.statements = statements;
        this.usage = usage;
        this.policy = policy;
        this.bandwidth = bandwidth;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/settings/usage", ctx -> send(ctx, Caller.required(ctx).user().name()));
        routes.get("/api/organizations/{org}/usage", ctx -> {
            Principal caller = Caller.required(ctx);
            String org = ctx.pathParam("org");
            if (!caller.user().isAdmin() && policy.role(caller, org).filter(r -> r == OrgRole.ADMIN).isEmpty()) {
                throw new Errors.Forbidden("Only the admins of " + org + " can see its usage");
            }
            send(ctx, org);
        });
    }

    private void send(Context ctx, String namespace) {
        Usage.Storage storage = usage.storage(namespace);
        Usage.Limits limits = usage.limits(namespace);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("namespace", namespace);
        out.putObject("storage").put("private", storage.privateBytes()).put("public", storage.publicBytes());
        out.put("privateRepos", usage.privateRepos(namespace));
        out.putObject("bandwidth").put("thisMonth", bandwidth.thisMonth(namespace));
        ObjectNode l = out.putObject("limits");
        if (limits.privateStorage() != null) {
            l.put("privateStorage", limits.privateStorage());
        }
        if (limits.maxFileSize() != null) {
            l.put("maxFileSize", limits.maxFileSize());
        }
        if (limits.maxPrivateRepos() != null) {
            l.put("privateRepos", limits.maxPrivateRepos());
        }
        out.put("payment", statements.collector().method());
        var closed = out.putArray("statements");
        for (Statements.Closed c : statements.closed(namespace)) {
            ObjectNode row = closed.addObject().put("month", c.month().toString())
                    .put("method", c.payment().method())
                    .put("status", c.payment().status().name().toLowerCase(java.util.Locale.ROOT));
            if (c.payment().reference() != null) {
                row.put("reference", c.payment().reference());
            }
        }
        Json.send(ctx, out);
    }
}
