package dev.atrium.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.OrgRole;
import dev.atrium.auth.Principal;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.usage.Bandwidth;
import dev.atrium.usage.Statements;
import dev.atrium.usage.Usage;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * Storage used and limits, for a user ({@code /api/settings/usage}) or an organization's admins (an Atrium
 * extension), and the storage of each of their repos ({@code settings/repositories}, as on the Hub).
 */
public final class UsageApi {
    private static final int PAGE = 100;
    private final Usage usage;
    private final AccessPolicy policy;
    private final Bandwidth bandwidth;

    private final Statements statements;
    private final BaseUrl baseUrl;

    public UsageApi(Usage usage, AccessPolicy policy, Bandwidth bandwidth, Statements statements, BaseUrl baseUrl) {
        this.statements = statements;
        this.baseUrl = baseUrl;
        this.usage = usage;
        this.policy = policy;
        this.bandwidth = bandwidth;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/settings/usage", ctx -> send(ctx, Caller.required(ctx).user().name()));
        routes.get("/api/organizations/{org}/usage", ctx -> send(ctx, orgAsAdmin(ctx)));
        routes.get("/api/settings/repositories", ctx -> repositories(ctx, Caller.required(ctx).user().name()));
        routes.get("/api/organizations/{org}/settings/repositories", ctx -> repositories(ctx, orgAsAdmin(ctx)));
    }

    /** The organization of the path, when the caller administers it (or the server). */
    private String orgAsAdmin(Context ctx) {
        Principal caller = Caller.required(ctx);
        String org = ctx.pathParam("org");
        if (!caller.user().isAdmin() && policy.role(caller, org).filter(r -> r == OrgRole.ADMIN).isEmpty()) {
            throw new Errors.Forbidden("Only the admins of " + org + " can see its usage");
        }
        return org;
    }

    /**
     * {@code list_user_repos}: each repo of the namespace with the storage it uses, the largest first, and its share
     * of the namespace's storage (repos that share content each count it, so shares can add up to more than 100).
     */
    private void repositories(Context ctx, String namespace) {
        int offset = Pagination.intParam(ctx, "cursor", 0, Integer.MAX_VALUE);
        int limit = Math.max(1, Pagination.intParam(ctx, "limit", PAGE, 1000));
        List<Usage.RepoStorage> repos = usage.repos(namespace);
        long total = usage.storage(namespace).total();
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Usage.RepoStorage repo : repos.subList(Math.min(offset, repos.size()),
                Math.min(offset + limit, repos.size()))) {
            out.addObject()
                    .put("id", repo.repoId().toString())
                    .put("type", repo.type().singular())
                    .put("updatedAt", Dates.iso(repo.updatedAt()))
                    .put("visibility", repo.isPrivate() ? "private" : "public")
                    .put("storage", repo.bytes())
                    .put("storagePercent", total == 0 ? 0 : Math.round(repo.bytes() * 10_000.0 / total) / 100.0);
        }
        if (offset + limit < repos.size()) {
            Pagination.linkNext(ctx, baseUrl, "cursor", String.valueOf(offset + limit));
        }
        Json.send(ctx, out);
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
