package dev.atrium.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.Dates;
import dev.atrium.http.ExpandedFields;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.http.RawPath;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.space.SpaceApp;
import dev.atrium.space.SpaceRuntime;
import dev.atrium.repo.Revisions;
import dev.atrium.repo.TreeReader;
import dev.atrium.scan.FileScans;
import dev.atrium.search.RepoFacts;
import dev.atrium.search.RepoFactsReader;
import dev.atrium.search.Counters;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/** {@code GET /api/{type}/{id}} and {@code /api/{type}/{id}/revision/{rev}}: what a repo is and holds at a revision. */
public final class RepoInfoApi {
    private static final int CACHE_ENTRIES = 1024;

    private final RepoLookup lookup;
    private final RepoService repoService;
    private final RepoFactsReader factsReader;
    private final Counters counters;
    private final FileScans scans;
    /** A repo's gate ("auto" or "manual"), empty when its files are open: it changes without a commit. */
    private final java.util.function.Function<String, java.util.Optional<String>> gateMode;
    /** Whether the hub's inference runs a model with these facts: {@code inference: "warm"}, as the Hub says. */
    private final java.util.function.Predicate<RepoFacts> runsHere;
    /**
     * Descriptions by repo row and commit: everything in one is derived from an immutable commit and the repo's
     * row, so an entry never goes stale; a changed row (visibility, a move) is a different key. Counters that change
     * without a commit (likes, downloads) must stay out of this cache when they arrive.
     */
    private final Map<String, ObjectNode> cache = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
                    return size() > CACHE_ENTRIES;
                }
            });

    private final SpaceApp spaces;

    public RepoInfoApi(RepoLookup lookup, RepoService repoService, RepoFactsReader factsReader, Counters counters,
                       java.util.function.Function<String, java.util.Optional<String>> gateMode, FileScans scans,
                       java.util.function.Predicate<RepoFacts> runsHere, SpaceApp spaces) {
        this.spaces = spaces;
        this.scans = scans;
        this.lookup = lookup;
        this.repoService = repoService;
        this.factsReader = factsReader;
        this.counters = counters;
        this.gateMode = gateMode;
        this.runsHere = runsHere;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/{type}/{ns}/{name}", ctx -> info(ctx, "HEAD"));
        // Whether the caller may use the repo's files: a gated repo they have no access to is a 403 GatedRepo.
        routes.get("/api/{type}/{ns}/{name}/auth-check", ctx -> authCheck(ctx, AccessPolicy.Action.DOWNLOAD));
        routes.get("/api/{type}/{ns}/{name}/auth-check/write", ctx -> authCheck(ctx, AccessPolicy.Action.WRITE));
        routes.get("/api/{type}/{ns}/{name}/revision/<rev>", ctx -> {
            info(ctx, RawPath.apiTail(ctx));
        });
    }

    private void authCheck(Context ctx, AccessPolicy.Action action) {
        lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"), ctx.pathParam("name"), action);
        Json.send(ctx, Json.MAPPER.createObjectNode());
    }

    private void info(Context ctx, String revision) throws IOException {
        RepoType type = RepoLookup.typeOf(ctx.pathParam("type"));
        Repo repo = lookup.load(ctx, type, ctx.pathParam("ns"), ctx.pathParam("name"), AccessPolicy.Action.READ);
        try (Repository git = repoService.openGit(repo)) {
            Revisions.Resolved resolved = Revisions.resolve(git, revision);
            Set<String> expand = expandKeys(ctx);
            String key = repo.id() + "|" + repo.repoId() + "|" + repo.isPrivate() + "|" + repo.sdk() + "|"
                    + resolved.sha() + "|" + new java.util.TreeSet<>(expand);
            ObjectNode described = cache.get(key);
            if (described == null) {
                described = describe(git, repo, resolved.commit(), expand);
                cache.put(key, described);
            }
            ObjectNode out = withCounters(described, repo, expand);
            if (type == RepoType.SPACE) {
                // Of the default branch's head whatever the revision asked for, like the Hub: outside the cache.
                SpaceRuntime runtime = spaces.runtime(git, repo);
                ExpandedFields f = new ExpandedFields(out, expand);
                if (runtime.sdk() != null) {
                    f.put("sdk", runtime.sdk());
                }
                if (f.wanted("runtime")) {
                    out.set("runtime", Json.MAPPER.valueToTree(SpaceApp.json(runtime)));
                }
            }
            // Scans finish without a commit, so like the counters their status stays out of the cache.
            if (Pagination.boolParam(ctx, "securityStatus") || expand.contains("securityRepoStatus")) {
                out.set("securityRepoStatus", scans.repoStatus(repo,
                        TreeReader.list(git, resolved.commit(), "", true)));
            }
            Json.send(ctx, out);
        }
    }

    /** Likes and downloads change without a commit: they are added to the cached description on every request. */
    private ObjectNode withCounters(ObjectNode described, Repo repo, Set<String> expand) {
        ObjectNode out = described.deepCopy();
        ExpandedFields fields = new ExpandedFields(out, expand);
        gateMode.apply(repo.id()).ifPresentOrElse(mode -> fields.put("gated", mode), () -> fields.put("gated", false));
        counters.snapshot(repo.id()).ifPresent(row -> {
            ExpandedFields f = new ExpandedFields(out, expand);
            f.put("likes", row.likes());
            f.put("downloads", row.downloads());
            f.put("downloadsAllTime", row.downloadsAllTime());
            f.put("trendingScore", row.trendingScore());
        });
        return out;
    }

    static Set<String> expandKeys(Context ctx) {
        Set<String> keys = new HashSet<>(ctx.queryParams("expand"));
        keys.addAll(ctx.queryParams("expand[]"));
        return keys;
    }

    ObjectNode describe(Repository git, Repo repo, RevCommit commit, Set<String> expand) throws IOException {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("_id", repo.id());
        out.put("id", repo.repoId().toString());
        ExpandedFields f = new ExpandedFields(out, expand);
        f.put("author", repo.repoId().namespace());
        f.put("sha", commit.name());
        f.put("lastModified", Dates.iso(commit.getCommitterIdent().getWhenAsInstant().toEpochMilli()));
        f.put("createdAt", Dates.iso(repo.createdAt()));
        f.put("private", repo.isPrivate());
        f.put("gated", false);
        f.put("disabled", false);
        f.put("likes", 0);
        f.put("downloads", 0);
        f.put("downloadsAllTime", 0);
        f.put("trendingScore", 0);
        List<FileEntry> tree = TreeReader.list(git, commit, "", true);
        RepoFacts facts = factsReader.read(git, repo, commit, tree);
        ArrayNode tags = Json.MAPPER.createArrayNode();
        facts.tags().forEach(tags::add);
        f.set("tags", tags);
        if (!facts.card().data().isEmpty() && f.wanted("cardData")) {
            out.set("cardData", Json.MAPPER.valueToTree(facts.card().data()));
        }
        if (repo.type() == RepoType.MODEL) {
            facts.pipelineTag().ifPresent(v -> f.put("pipeline_tag", v));
            facts.libraryName().ifPresent(v -> f.put("library_name", v));
            if (runsHere.test(facts)) {
                f.put("inference", "warm");
            }
            for (String key : List.of("config", "safetensors", "gguf")) {
                if (facts.extra().has(key) && f.wanted(key)) {
                    out.set(key, facts.extra().get(key));
                }
            }
        }
        // An Atrium extension: what in the card or the files the Hub would not recognise or could not read.
        if (facts.extra().has("warnings") && f.wanted("warnings")) {
            out.set("warnings", facts.extra().get("warnings"));
        }
        if (f.wanted("siblings")) {
            ArrayNode siblings = out.putArray("siblings");
            long used = 0;
            for (FileEntry e : tree) {
                if (e.isDirectory()) {
                    continue;
                }
                ObjectNode s = siblings.addObject().put("rfilename", e.path()).put("size", e.size())
                        .put("blobId", e.oid());
                if (e.lfs() != null) {
                    s.putObject("lfs").put("size", e.size()).put("sha256", e.lfs().oid().hex())
                            .put("pointerSize", e.pointerSize());
                }
                used += e.size();
            }
            f.put("usedStorage", used);
        }
        return out;
    }
}
