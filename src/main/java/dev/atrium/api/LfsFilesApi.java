package dev.atrium.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import dev.atrium.storage.Sha256;
import dev.atrium.usage.Quotas;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.cas.XetStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/{type}/{id}/lfs-files/duplicate}, called on the source repo before a commit that copies its large
 * files into another repo ({@code CommitOperationCopy} with {@code src_repo_id}, {@code hf cp}): the target may then
 * reference them, and no byte moves. Only Xet files can be copied so, as on the Hub: the client sends each file's
 * Xet hash, which must be the one the source holds for that SHA-256.
 */
public final class LfsFilesApi {
    /** The client sends batches of 100; more than this in one request is not a client's. */
    private static final int MAX_FILES = 1000;

    private final RepoLookup lookup;
    private final AccessPolicy policy;
    private final XetStore xetStore;
    private final LfsObjects lfsObjects;
    private final Quotas quotas;

    public LfsFilesApi(RepoLookup lookup, AccessPolicy policy, XetStore xetStore, LfsObjects lfsObjects,
                       Quotas quotas) {
        this.lookup = lookup;
        this.policy = policy;
        this.xetStore = xetStore;
        this.lfsObjects = lfsObjects;
        this.quotas = quotas;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/{type}/{ns}/{name}/lfs-files/duplicate", this::duplicate);
    }

    /** One file the client asks to copy, parsed; {@code error} says why it cannot be, when it cannot. */
    private record Wanted(String sha256, Sha256 oid, MerkleHash xetHash, String error) {}

    private void duplicate(Context ctx) throws IOException {
        Repo source = lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"),
                ctx.pathParam("name"), AccessPolicy.Action.DOWNLOAD);
        JsonNode body = Json.body(ctx);
        JsonNode target = body.path("target");
        RepoType targetType = RepoType.fromSingular(target.path("type").asText("model")).orElseThrow(
                () -> new Errors.BadRequest("'target.type' must be model, dataset or space"));
        String targetName = target.path("name").asText(null);
        if (targetName == null) {
            throw new Errors.BadRequest("'target.name' is required: the repo the files are copied to");
        }
        RepoId targetId = RepoId.parse(targetName);
        Repo into = lookup.load(ctx, targetType, targetId.namespace(), targetId.name(), AccessPolicy.Action.READ);
        policy.requireUpload(Caller.of(ctx), into);
        JsonNode files = body.path("files");
        if (!files.isArray() || files.size() > MAX_FILES) {
            throw new Errors.BadRequest("'files' must be a list of at most " + MAX_FILES + " files");
        }
        List<Wanted> wanted = new ArrayList<>();
        for (JsonNode f : files) {
            wanted.add(parse(f));
        }
        Map<Sha256, MerkleHash> held = xetStore.fileHashesBySha256(source.id(),
                wanted.stream().filter(w -> w.error() == null).map(Wanted::oid).toList());
        List<Wanted> checked = wanted.stream().map(w -> w.error() != null ? w
                : !w.xetHash().equals(held.get(w.oid()))
                        ? new Wanted(w.sha256(), w.oid(), w.xetHash(), "not a Xet file of " + source.repoId())
                        : w).toList();
        Map<Sha256, Long> sizes = new HashMap<>();
        long largest = 0;
        long adding = 0;
        for (Wanted w : checked) {
            if (w.error() == null) {
                long size = lfsObjects.sizeOf(source, w.oid()).orElse(0);
                sizes.put(w.oid(), size);
                largest = Math.max(largest, size);
                adding += lfsObjects.isLinked(into, w.oid()) ? 0 : size;
            }
        }
        long incoming = adding;
        quotas.requireUpload(into, largest, () -> incoming);
        ArrayNode failed = Json.MAPPER.createArrayNode();
        String userId = Caller.required(ctx).user().id();
        for (Wanted w : checked) {
            if (w.error() != null) {
                failed.addObject().put("sha256", w.sha256()).put("error", w.error());
                continue;
            }
            xetStore.registerCopy(w.xetHash(), into.id(), userId);
            if (lfsObjects.isBlob(w.oid())) { // an LFS upload: the target reads the one blob too, not a rebuild
                lfsObjects.link(into, w.oid(), sizes.get(w.oid()));
            }
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("failed", failed);
        Json.send(ctx, out);
    }

    private static Wanted parse(JsonNode f) {
        String sha = f.path("sha256").asText("");
        String xet = f.path("xetHash").asText("");
        try {
            return new Wanted(sha, new Sha256(sha), MerkleHash.parse(xet), null);
        } catch (IllegalArgumentException e) {
            return new Wanted(sha, null, null, "a malformed sha256 or xetHash");
        }
    }
}
