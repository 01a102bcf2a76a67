package dev.atrium.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.repo.Repo;
import dev.atrium.storage.Sha256;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A repo's large files as its storage holds them: {@code GET /api/{type}/{id}/lfs-files} ({@code list_lfs_files})
 * and {@code POST /api/{type}/{id}/lfs-files/batch} ({@code permanently_delete_lfs_files}). Deleting a file from a
 * branch leaves it in history, so its bytes still count; this is how a user frees them (old checkpoints, say).
 * Both need write access, as the repo's settings do.
 */
public final class LfsStorageApi {
    private static final int PAGE = 100;
    /** The client sends at most 1,000 per request. */
    private static final int MAX_DELETIONS = 1000;

    private final RepoLookup lookup;
    private final LargeFiles largeFiles;
    private final BaseUrl baseUrl;

    public LfsStorageApi(RepoLookup lookup, LargeFiles largeFiles, BaseUrl baseUrl) {
        this.lookup = lookup;
        this.largeFiles = largeFiles;
        this.baseUrl = baseUrl;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/{type}/{ns}/{name}/lfs-files", this::list);
        routes.post("/api/{type}/{ns}/{name}/lfs-files/batch", this::delete);
    }

    private Repo load(Context ctx) {
        return lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"), ctx.pathParam("name"),
                AccessPolicy.Action.WRITE);
    }

    /** Newest first, each with a path that pointed to it and the ref whose history has that path, when found. */
    private void list(Context ctx) throws IOException {
        Repo repo = load(ctx);
        int offset = Pagination.intParam(ctx, "cursor", 0, Integer.MAX_VALUE);
        int limit = Math.max(1, Pagination.intParam(ctx, "limit", PAGE, 1000));
        List<LargeFiles.Listed> page = largeFiles.page(repo, offset, limit + 1);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (LargeFiles.Listed file : page.subList(0, Math.min(limit, page.size()))) {
            out.addObject()
                    .put("oid", file.oid().hex())
                    // The client passes fileOid back to delete the file; the Hub documents it as the SHA-256.
                    .put("fileOid", file.oid().hex())
                    .put("size", file.size())
                    .put("pushedAt", Dates.iso(file.pushedAt()))
                    .put("filename", file.path())
                    .put("ref", file.ref());
        }
        if (page.size() > limit) {
            Pagination.linkNext(ctx, baseUrl, "cursor", String.valueOf(offset + limit));
        }
        Json.send(ctx, out);
    }

    /** Lets go of the listed files ({@link LargeFiles#delete}), rewriting history unless asked not to. */
    private void delete(Context ctx) throws IOException {
        Repo repo = load(ctx);
        JsonNode deletions = Json.body(ctx).path("deletions");
        JsonNode shas = deletions.path("sha");
        if (!shas.isArray() || shas.isEmpty() || shas.size() > MAX_DELETIONS) {
            throw new Errors.BadRequest("'deletions.sha' must be a list of 1 to " + MAX_DELETIONS
                    + " LFS object ids (the fileOid of list_lfs_files)");
        }
        JsonNode rewrite = deletions.path("rewriteHistory");
        if (!rewrite.isMissingNode() && !rewrite.isBoolean()) {
            throw new Errors.BadRequest("'deletions.rewriteHistory' must be true or false");
        }
        Set<Sha256> wanted = new LinkedHashSet<>();
        for (JsonNode sha : shas) {
            try {
                wanted.add(new Sha256(sha.asText("")));
            } catch (IllegalArgumentException e) {
                throw new Errors.BadRequest("'" + sha.asText() + "' is not an LFS object id (64 hex characters)");
            }
        }
        largeFiles.delete(Caller.required(ctx), repo, wanted, rewrite.asBoolean(true));
        ctx.status(204);
    }
}
