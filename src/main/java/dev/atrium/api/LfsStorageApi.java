package dev.atrium.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.lfs.RepoLargeFiles;
import dev.atrium.lfs.RepoLargeFiles.StoredFile;
import dev.atrium.repo.LfsPointerLocator;
import dev.atrium.repo.LfsPointerPurge;
import dev.atrium.repo.RefMovedException;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Repos;
import dev.atrium.storage.Sha256;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.Repository;

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
    private final RepoService repoService;
    private final Repos repos;
    private final RepoLargeFiles files;
    private final BaseUrl baseUrl;
    private final Clock clock;

    public LfsStorageApi(RepoLookup lookup, RepoService repoService, Repos repos, RepoLargeFiles files,
                         BaseUrl baseUrl, Clock clock) {
        this.lookup = lookup;
        this.repoService = repoService;
        this.repos = repos;
        this.files = files;
        this.baseUrl = baseUrl;
        this.clock = clock;
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
        List<StoredFile> page = files.page(repo.id(), offset, limit + 1);
        List<StoredFile> shown = page.subList(0, Math.min(limit, page.size()));
        Map<Sha256, LfsPointerLocator.Location> where;
        try (Repository git = repoService.openGit(repo)) {
            where = LfsPointerLocator.locate(git, shown.stream().map(StoredFile::oid).collect(Collectors.toSet()));
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (StoredFile file : shown) {
            LfsPointerLocator.Location location = where.get(file.oid());
            ObjectNode item = out.addObject()
                    .put("oid", file.oid().hex())
                    // The client passes fileOid back to delete the file; the Hub documents it as the SHA-256.
                    .put("fileOid", file.oid().hex())
                    .put("size", file.size())
                    .put("pushedAt", Dates.iso(file.pushedAt()));
            item.put("filename", location == null ? null : location.path());
            item.put("ref", location == null ? null : location.ref());
        }
        if (page.size() > limit) {
            Pagination.linkNext(ctx, baseUrl, "cursor", String.valueOf(offset + limit));
        }
        Json.send(ctx, out);
    }

    /**
     * Lets go of the listed files: with {@code rewriteHistory} (the client's default) every commit is first rebuilt
     * without the pointers to them, so no revision names content that is gone; without, those revisions keep
     * pointers whose downloads fail. Files the repo does not hold are skipped, so a retried request succeeds.
     */
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
        Set<Sha256> held = files.held(repo.id(), wanted);
        if (rewrite.asBoolean(true)) {
            try (Repository git = repoService.openGit(repo)) {
                LfsPointerPurge.purge(git, held);
            } catch (RefMovedException e) {
                throw new Errors.Conflict("the repository changed while its history was rewritten; nothing was "
                        + "deleted, try again");
            }
        }
        files.forget(repo.id(), held);
        repos.touch(repo, clock.millis());
        ctx.status(204);
    }
}
