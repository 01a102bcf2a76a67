package dev.atrium.web;

import dev.atrium.api.RepoDuplication;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.User;
import dev.atrium.http.Caller;
import dev.atrium.http.HubException;
import dev.atrium.http.RepoRoutes;
import dev.atrium.org.Organizations;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** "Duplicate this repo": a form for anyone signed in who may download the repo, as the API's duplicate endpoint. */
final class DuplicatePages {
    private final Pages pages;
    private final RepoAccess access;
    private final RepoLookup lookup;
    private final Organizations orgs;
    private final RepoDuplication duplication;

    DuplicatePages(Pages pages, RepoAccess access, RepoLookup lookup, Organizations orgs,
                   RepoDuplication duplication) {
        this.pages = pages;
        this.access = access;
        this.lookup = lookup;
        this.orgs = orgs;
        this.duplication = duplication;
    }

    void register(RoutesConfig routes) {
        RepoRoutes.add(routes, HandlerType.GET, "/duplicate",
                (ctx, t, ns, n) -> pages.run(ctx, () -> form(ctx, source(ctx, t, ns, n), 200, null)));
        RepoRoutes.add(routes, HandlerType.POST, "/duplicate",
                (ctx, t, ns, n) -> pages.run(ctx, () -> duplicate(ctx, source(ctx, t, ns, n))));
    }

    /** The repo, if the signed-in caller may download it: what a copy takes. */
    private Repo source(Context ctx, RepoType type, String namespace, String name) {
        SignedIn.require(ctx);
        return lookup.load(ctx, type, namespace, name, AccessPolicy.Action.DOWNLOAD);
    }

    private void form(Context ctx, Repo source, int status, String error) {
        User user = Caller.required(ctx).user();
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Duplicate · " + source.repoId()));
        params.put("header", access.header(ctx, source, "card", "main"));
        params.put("owners", Owners.of(user, orgs));
        params.put("owner", Optional.ofNullable(ctx.formParam("owner")).orElse(user.name()));
        params.put("name", Optional.ofNullable(ctx.formParam("name")).orElse(source.repoId().name()));
        params.put("makePrivate", ctx.formParam("visibility") == null ? source.isPrivate()
                : "private".equals(ctx.formParam("visibility")));
        params.put("error", error);
        pages.render(ctx, status, "repo/duplicate.jte", params);
    }

    private void duplicate(Context ctx, Repo source) throws IOException {
        String owner = Optional.ofNullable(ctx.formParam("owner")).orElse("").strip();
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        try {
            Repo copy = duplication.duplicate(Caller.required(ctx), source, new RepoId(owner, name),
                    "private".equals(ctx.formParam("visibility")));
            ctx.redirect("/" + copy.type().urlPrefix() + copy.repoId(), HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException e) {
            form(ctx, source, 400, e.getMessage());
        } catch (HubException e) {
            form(ctx, source, e.status(), e.getMessage());
        }
    }
}
