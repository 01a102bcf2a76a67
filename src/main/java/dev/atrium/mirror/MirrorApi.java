package dev.atrium.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Atrium's own API for mirrors (the Hub has none): {@code POST /api/mirrors} makes a repo from another hub's repo,
 * {@code GET .../mirror} says how its syncs go, {@code POST .../mirror/sync} asks for one now, {@code DELETE .../mirror}
 * stops mirroring and leaves an ordinary repo.
 */
public final class MirrorApi {
    private final RepoMirroring mirroring;
    private final Mirrors mirrors;
    private final MirrorSync sync;
    private final RepoLookup lookup;
    private final AccessPolicy policy;
    private final BaseUrl baseUrl;

    public MirrorApi(RepoMirroring mirroring, Mirrors mirrors, MirrorSync sync,
                     RepoLookup lookup, AccessPolicy policy, BaseUrl baseUrl) {
        this.mirroring = mirroring;
        this.mirrors = mirrors;
        this.sync = sync;
        this.lookup = lookup;
        this.policy = policy;
        this.baseUrl = baseUrl;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/mirrors", this::create);
        routes.get("/api/{type}/{ns}/{name}/mirror", this::status);
        routes.post("/api/{type}/{ns}/{name}/mirror/sync", this::syncNow);
        routes.delete("/api/{type}/{ns}/{name}/mirror", this::stop);
        routes.put("/api/{type}/{ns}/{name}/mirror", this::update);
    }

    /**
     * Body: {@code source} (the repo's page URL), optional {@code repository} (namespace/name here; the caller's
     * namespace and the source's name by default), {@code private}, {@code token} (for a private or gated source) and
     * {@code keepInSync} (default true; false imports once).
     */
    private void create(Context ctx) throws IOException {
        Principal caller = Caller.required(ctx);
        JsonNode body = Json.body(ctx);
        String sourceUrl = Json.text(body, "source");
        if (sourceUrl == null) {
            throw new Errors.BadRequest("'source' is required: the URL of the repo to mirror, such as"
                    + " https://huggingface.co/openai-community/gpt2");
        }
        MirrorSource source = MirrorSource.parse(sourceUrl);
        String repository = Json.text(body, "repository");
        RepoId id = repository == null ? new RepoId(caller.user().name(), source.id().name())
                : RepoId.parse(repository);
        String token = Json.text(body, "token");
        JsonNode isPrivate = body.get("private");
        JsonNode keep = body.get("keepInSync");
        Repo repo = mirroring.create(caller, source, id, isPrivate == null || isPrivate.isNull() ? null
                : isPrivate.asBoolean(), token == null || token.isBlank() ? null : token.strip(),
                keep == null || keep.isNull() || keep.asBoolean());
        Json.send(ctx, Map.of("url", baseUrl.of(ctx) + "/" + repo.urlPath(), "name", id.toString(), "id", repo.id()));
    }

    private Repo repo(Context ctx, AccessPolicy.Action action) {
        return lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"), ctx.pathParam("name"),
                action);
    }

    private Mirrors.Mirror mirrorOf(Repo repo) {
        return mirrors.find(repo.id()).orElseThrow(() -> new Errors.NotFound(repo.repoId() + " is not a mirror"));
    }

    private void status(Context ctx) {
        Repo repo = repo(ctx, AccessPolicy.Action.READ);
        Json.send(ctx, describe(mirrorOf(repo), policy.canWrite(Caller.of(ctx), repo)));
    }

    /** What the API says of a mirror; whether it has a token only to those who may change it. */
    Map<String, Object> describe(Mirrors.Mirror mirror, boolean forWriter) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("source", mirror.source().pageUrl());
        out.put("keepInSync", mirror.keepInSync());
        out.put("syncing", sync.isRunning(mirror.repoId()));
        out.put("lastSyncAt", mirror.lastSyncAt() == null ? null : Dates.iso(mirror.lastSyncAt()));
        out.put("nextSyncAt", Dates.iso(mirror.nextSyncAt()));
        out.put("lastError", mirror.lastError());
        if (forWriter) {
            out.put("hasToken", mirror.hasToken());
        }
        return out;
    }

    private void syncNow(Context ctx) {
        Repo repo = repo(ctx, AccessPolicy.Action.WRITE);
        mirroring.syncNow(mirrorOf(repo));
        Json.send(ctx, 202, Map.of("queued", true));
    }

    /** Body {@code {"token": "..."}}: the source's new token, or null to show none; a sync follows at once. */
    private void update(Context ctx) {
        Repo repo = repo(ctx, AccessPolicy.Action.WRITE);
        Mirrors.Mirror mirror = mirrorOf(repo);
        JsonNode body = Json.body(ctx);
        if (!body.has("token")) {
            throw new Errors.BadRequest("'token' is required: the source's new token, or null for none");
        }
        String token = Json.text(body, "token");
        mirroring.replaceToken(Caller.required(ctx), repo, mirror,
                token == null || token.isBlank() ? null : token.strip());
        Json.send(ctx, describe(mirrors.find(repo.id()).orElse(mirror), true));
    }

    private void stop(Context ctx) throws IOException {
        Repo repo = repo(ctx, AccessPolicy.Action.WRITE);
        Mirrors.Mirror mirror = mirrorOf(repo);
        mirroring.stop(Caller.required(ctx), repo, mirror);
        Json.send(ctx, Map.of());
    }
}
