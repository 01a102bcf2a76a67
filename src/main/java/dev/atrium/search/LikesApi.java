package dev.atrium.search;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.auth.Users;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * Likes: {@code POST} and {@code DELETE /api/{type}/{id}/like} (liking twice counts once), who liked a repo, and what
 * a user liked. Lists show only repos the caller may read.
 */
public final class LikesApi {
    private static final int PAGE = 100;

    private final RepoLookup lookup;
    private final Counters counters;
    private final Jdbi jdbi;
    private final Users users;
    private final AccessPolicy policy;
    private final BaseUrl baseUrl;

    public LikesApi(RepoLookup lookup, Counters counters, Jdbi jdbi, Users users, AccessPolicy policy,
                    BaseUrl baseUrl) {
        this.lookup = lookup;
        this.counters = counters;
        this.jdbi = jdbi;
        this.users = users;
        this.policy = policy;
        this.baseUrl = baseUrl;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/{type}/{ns}/{name}/like", ctx -> like(ctx, true));
        routes.delete("/api/{type}/{ns}/{name}/like", ctx -> like(ctx, false));
        routes.get("/api/{type}/{ns}/{name}/likers", this::likers);
        routes.get("/api/users/{user}/likes", this::userLikes);
    }

    private Repo repo(Context ctx) {
        return lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"), ctx.pathParam("name"),
                AccessPolicy.Action.READ);
    }

    private void like(Context ctx, boolean like) {
        Principal caller = Caller.required(ctx);
        Repo repo = repo(ctx);
        if (like) {
            counters.like(caller.user().id(), repo);
        } else {
            counters.unlike(caller.user().id(), repo);
        }
        Json.send(ctx, Map.of("likes", counters.likes(repo)));
    }

    private void likers(Context ctx) {
        Repo repo = repo(ctx);
        int offset = Pagination.intParam(ctx, "cursor", 0, Integer.MAX_VALUE);
        int limit = Math.max(1, Pagination.intParam(ctx, "limit", PAGE, PAGE));
        List<Map<String, Object>> rows = jdbi.withHandle(h -> h.createQuery("""
                SELECT u.name, u.fullname FROM likes l JOIN users u ON u.id = l.user_id
                WHERE l.repo_id = :repo ORDER BY l.created_at, u.name LIMIT :limit OFFSET :offset""")
                .bind("repo", repo.id()).bind("limit", limit + 1).bind("offset", offset).mapToMap().list());
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            Pagination.linkNext(ctx, baseUrl, "cursor", String.valueOf(offset + limit));
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Map<String, Object> row : rows) {
            out.addObject().put("user", (String) row.get("name")).put("fullname", (String) row.get("fullname"))
                    .put("avatarUrl", "");
        }
        Json.send(ctx, out);
    }

    private void userLikes(Context ctx) {
        String name = ctx.pathParam("user");
        String userId = users.byName(name).orElseThrow(() -> new Errors.NotFound("User '" + name + "' not found")).id();
        int offset = Pagination.intParam(ctx, "cursor", 0, Integer.MAX_VALUE);
        int limit = Math.max(1, Pagination.intParam(ctx, "limit", PAGE, PAGE));
        AccessPolicy.SqlCondition readable = policy.readableRepos(Caller.of(ctx));
        Map<String, Object> params = new HashMap<>(readable.parameters());
        params.put("user", userId);
        params.put("limit", limit + 1);
        params.put("offset", offset);
        List<Map<String, Object>> rows = jdbi.withHandle(h -> h.createQuery("""
                SELECT l.created_at, r.type, r.namespace, r.name FROM likes l JOIN repos r ON r.id = l.repo_id
                WHERE l.user_id = :user AND\s""" + readable.sql() + """
                 ORDER BY l.created_at DESC, r.id LIMIT :limit OFFSET :offset""")
                .bindMap(params).mapToMap().list());
        if (rows.size() > limit) {
            rows = rows.subList(0, limit);
            Pagination.linkNext(ctx, baseUrl, "cursor", String.valueOf(offset + limit));
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Map<String, Object> row : rows) {
            var item = out.addObject().put("createdAt", Dates.iso(((Number) row.get("created_at")).longValue()));
            item.putObject("repo").put("name", row.get("namespace") + "/" + row.get("name"))
                    .put("type", RepoType.valueOf((String) row.get("type")).singular());
        }
        Json.send(ctx, out);
    }
}
