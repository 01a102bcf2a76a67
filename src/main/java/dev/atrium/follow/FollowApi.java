package dev.atrium.follow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.atrium.auth.Principal;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.org.Organizations;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Set;

/**
 * The Hub's follower lists ({@code list_user_followers}, {@code list_user_following},
 * {@code list_organization_followers}), paged with {@code Link} headers; following and unfollowing over
 * {@code POST} and {@code DELETE .../follow} are Atrium's own calls (the Hub has no public one), for scripts.
 */
public final class FollowApi {
    private static final int PAGE = 100;
    private static final int MAX_PAGE = 1000;

    private final Follows follows;
    private final Users users;
    private final Organizations orgs;
    private final BaseUrl baseUrl;

    public FollowApi(Follows follows, Users users, Organizations orgs, BaseUrl baseUrl) {
        this.follows = follows;
        this.users = users;
        this.orgs = orgs;
        this.baseUrl = baseUrl;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/users/{user}/followers", ctx -> list(ctx, userFollowee(ctx), false));
        routes.get("/api/users/{user}/following", ctx -> list(ctx, userFollowee(ctx), true));
        routes.get("/api/organizations/{org}/followers", ctx -> list(ctx, orgFollowee(ctx), false));
        routes.post("/api/users/{user}/follow", ctx -> follow(ctx, userFollowee(ctx), true));
        routes.delete("/api/users/{user}/follow", ctx -> follow(ctx, userFollowee(ctx), false));
        routes.post("/api/organizations/{org}/follow", ctx -> follow(ctx, orgFollowee(ctx), true));
        routes.delete("/api/organizations/{org}/follow", ctx -> follow(ctx, orgFollowee(ctx), false));
    }

    private Followee userFollowee(Context ctx) {
        String name = ctx.pathParam("user");
        return users.byName(name).map(Followee::of)
                .orElseThrow(() -> new Errors.NotFound("User " + name + " not found"));
    }

    private Followee orgFollowee(Context ctx) {
        String name = ctx.pathParam("org");
        return orgs.byName(name).map(Followee::of)
                .orElseThrow(() -> new Errors.NotFound("Organization " + name + " not found"));
    }

    private void list(Context ctx, Followee target, boolean followedByTarget) {
        int limit = Math.max(1, Pagination.intParam(ctx, "limit", PAGE, MAX_PAGE));
        Follows.Page page;
        try {
            page = followedByTarget
                    ? follows.followed(target.id(), ctx.queryParam("cursor"), limit)
                    : follows.followers(target, ctx.queryParam("cursor"), limit);
        } catch (IllegalArgumentException e) {
            throw new Errors.BadRequest("Invalid cursor");
        }
        Principal caller = Caller.of(ctx);
        Set<String> followedByCaller = caller == null ? Set.of() : follows.following(caller.user(),
                Followee.Kind.USER, page.users().stream().map(User::id).toList());
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (User u : page.users()) {
            out.addObject().put("user", u.name()).put("fullname", u.fullname()).put("type", "user")
                    .put("isPro", false).put("avatarUrl", baseUrl.of(ctx) + "/avatars/" + u.name())
                    .put("isFollowing", followedByCaller.contains(u.id()));
        }
        if (page.next() != null) {
            Pagination.linkNext(ctx, baseUrl, "cursor", page.next());
        }
        Json.send(ctx, out);
    }

    private void follow(Context ctx, Followee target, boolean on) {
        Principal caller = Caller.required(ctx);
        if (!caller.canWrite()) {
            throw new Errors.Forbidden("This token has the read role; use a token with the write role");
        }
        if (on) {
            follows.follow(caller.user(), target);
        } else {
            follows.unfollow(caller.user(), target);
        }
        Json.send(ctx, Map.of("following", on, "numFollowers", follows.followerCount(target)));
    }
}
