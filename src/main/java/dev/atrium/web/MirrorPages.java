package dev.atrium.web;

import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.User;
import dev.atrium.http.Caller;
import dev.atrium.http.HubException;
import dev.atrium.http.RepoRoutes;
import dev.atrium.mirror.MirrorServices;
import dev.atrium.mirror.MirrorSource;
import dev.atrium.mirror.Mirrors;
import dev.atrium.org.Organizations;
import dev.atrium.org.RepoVisibility;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Mirroring another hub's repo from the browser: the form that makes one ({@code /new/mirror}), "Sync now" under a
 * mirror's title, and "Stop mirroring" in its settings. The same checks as the API's, through {@code RepoMirroring}.
 */
final class MirrorPages {
    private final Pages pages;
    private final RepoLookup lookup;
    private final Organizations orgs;
    private final MirrorServices mirrors;
    private final RepoVisibility visibility;

    MirrorPages(Pages pages, RepoLookup lookup, Organizations orgs, MirrorServices mirrors,
                RepoVisibility visibility) {
        this.pages = pages;
        this.lookup = lookup;
        this.orgs = orgs;
        this.mirrors = mirrors;
        this.visibility = visibility;
    }

    void register(RoutesConfig routes) {
        routes.get("/new/mirror", pages.page(ctx -> form(ctx, 200, null)));
        routes.post("/new/mirror", pages.page(this::create));
        RepoRoutes.add(routes, HandlerType.POST, "/mirror/sync", (ctx, t, ns, n) -> pages.run(ctx, () -> {
            Repo repo = lookup.load(ctx, t, ns, n, AccessPolicy.Action.WRITE);
            mirrors.mirrors().find(repo.id()).ifPresent(mirrors.mirroring()::syncNow);
            ctx.redirect("/" + repo.urlPath(), HttpStatus.SEE_OTHER);
        }));
        RepoRoutes.add(routes, HandlerType.POST, "/settings/mirror/token", (ctx, t, ns, n) -> pages.run(ctx, () -> {
            Repo repo = lookup.load(ctx, t, ns, n, AccessPolicy.Action.WRITE);
            String token = Optional.ofNullable(ctx.formParam("token")).map(String::strip).filter(s -> !s.isEmpty())
                    .orElse(null);
            Optional<Mirrors.Mirror> mirror = mirrors.mirrors().find(repo.id());
            if (mirror.isPresent()) {
                mirrors.mirroring().replaceToken(Caller.required(ctx), repo, mirror.get(), token);
            }
            ctx.redirect("/" + repo.urlPath(), HttpStatus.SEE_OTHER);
        }));
        RepoRoutes.add(routes, HandlerType.POST, "/settings/mirror/stop", (ctx, t, ns, n) -> pages.run(ctx, () -> {
            Repo repo = lookup.load(ctx, t, ns, n, AccessPolicy.Action.WRITE);
            Optional<Mirrors.Mirror> mirror = mirrors.mirrors().find(repo.id());
            if (mirror.isPresent()) {
                mirrors.mirroring().stop(Caller.required(ctx), repo, mirror.get());
            }
            ctx.redirect("/" + repo.urlPath() + "/settings", HttpStatus.SEE_OTHER);
        }));
    }

    private void form(Context ctx, int status, String error) {
        User user = SignedIn.require(ctx).user();
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Mirror a repo"));
        params.put("owners", Owners.of(user, orgs));
        String owner = Optional.ofNullable(ctx.formParam("owner")).orElse(user.name());
        params.put("owner", owner);
        params.put("source", Optional.ofNullable(ctx.formParam("source")).orElse(""));
        params.put("name", Optional.ofNullable(ctx.formParam("name")).orElse(""));
        params.put("makePrivate", ctx.formParam("visibility") == null ? visibility.privateByDefault(owner)
                : "private".equals(ctx.formParam("visibility")));
        params.put("keepInSync", ctx.formParam("source") == null || ctx.formParam("keep") != null);
        params.put("error", error);
        pages.render(ctx, status, "newmirror.jte", params);
    }

    private void create(Context ctx) throws IOException {
        SignedIn.require(ctx);
        String owner = Optional.ofNullable(ctx.formParam("owner")).orElse("").strip();
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        String token = Optional.ofNullable(ctx.formParam("token")).map(String::strip).filter(t -> !t.isEmpty())
                .orElse(null);
        try {
            MirrorSource source = MirrorSource.parse(Optional.ofNullable(ctx.formParam("source")).orElse(""));
            Repo repo = mirrors.mirroring().create(Caller.required(ctx), source,
                    new RepoId(owner, name.isEmpty() ? source.id().name() : name),
                    "private".equals(ctx.formParam("visibility")), token, ctx.formParam("keep") != null);
            ctx.redirect("/" + repo.urlPath(), HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException e) {
            form(ctx, 400, e.getMessage());
        } catch (HubException e) {
            form(ctx, e.status(), e.getMessage());
        }
    }
}
