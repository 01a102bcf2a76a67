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
import dev.atrium.http.RawPath;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.LastCommits;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoPath;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Revisions;
import dev.atrium.repo.TreeCursor;
import dev.atrium.repo.TreePage;
import dev.atrium.repo.TreeReader;
import dev.atrium.storage.Sha256;
import dev.atrium.scan.FileScans;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.cas.XetStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jspecify.annotations.Nullable;

/** {@code tree/{rev}[/{path}]} and {@code paths-info/{rev}}. */
public final class TreeApi {
    private static final int PAGE = 1000;
    private static final int PAGE_EXPANDED = 50;
    private static final int MAX_PATHS = 1000;
    /**
     * How far back one request looks for last commits: about a second of work here. An entry unchanged for longer
     * comes without {@code lastCommit} (optional in the clients), so that no single anonymous request of a public
     * repo with a million commits walks all of them.
     */
    static final int MAX_COMMITS_WALKED = 100_000;

    private final RepoLookup lookup;
    private final RepoService repoService;
    private final BaseUrl baseUrl;
    private final XetStore xetStore;
    private final FileScans scans;

    public TreeApi(RepoLookup lookup, RepoService repoService, BaseUrl baseUrl, XetStore xetStore,
                   FileScans scans) {
        this.lookup = lookup;
        this.repoService = repoService;
        this.baseUrl = baseUrl;
        this.xetStore = xetStore;
        this.scans = scans;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/{type}/{ns}/{name}/tree/<rest>", this::tree);
        routes.post("/api/{type}/{ns}/{name}/paths-info/<rest>", this::pathsInfo);
    }

    private void tree(Context ctx) throws IOException {
        Repo repo = lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"),
                ctx.pathParam("name"), AccessPolicy.Action.READ);
        List<String> raw = RawPath.segments(ctx.req().getRequestURI());
        RawPath.RevisionAndPath target = RawPath.revisionAndPath(raw.subList(5, raw.size()));
        boolean recursive = Pagination.boolParam(ctx, "recursive");
        boolean expand = Pagination.boolParam(ctx, "expand");
        int pageSize = Pagination.intParam(ctx, "limit", expand ? PAGE_EXPANDED : PAGE, expand ? 1000 : 10_000);
        TreeCursor after = cursor(ctx);
        try (Repository git = repoService.openGit(repo)) {
            RevCommit commit = Revisions.resolve(git, target.revision()).commit();
            String folder;
            try {
                folder = RepoPath.normalizeFolder(target.path());
            } catch (IllegalArgumentException e) {
                throw new Errors.EntryNotFound("Folder '" + target.path() + "' does not exist", commit.name());
            }
            TreePage page = TreeReader.page(git, commit, folder, recursive, after, Math.max(pageSize, 1));
            send(ctx, git, repo, commit, page.entries(), expand);
            if (page.next() != null) {
                Pagination.linkNext(ctx, baseUrl, "cursor", page.next().encode());
            }
        }
    }

    private static @Nullable TreeCursor cursor(Context ctx) {
        String token = ctx.queryParam("cursor");
        if (token == null || token.isEmpty()) {
            return null;
        }
        return TreeCursor.decode(token).orElseThrow(() -> new Errors.BadRequest("Invalid cursor"));
    }

    private void send(Context ctx, Repository git, Repo repo, RevCommit commit, List<FileEntry> entries,
                      boolean expand) throws IOException {
        Map<Sha256, MerkleHash> xet = xetHashes(repo, entries);
        Map<String, ObjectNode> security = expand ? security(repo, entries) : Map.of();
        Map<String, RevCommit> lastCommits = expand ? LastCommits.of(git, commit,
                entries.stream().map(FileEntry::path).toList(), MAX_COMMITS_WALKED) : Map.of();
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (FileEntry e : entries) {
            out.add(withSecurity(entryJson(e, lastCommits.get(e.path()), xet), security.get(e.path())));
        }
        Json.send(ctx, out);
    }

    /** Python sends a form with repeated {@code paths}; the JS client sends JSON. Missing paths are left out. */
    private void pathsInfo(Context ctx) throws IOException {
        Repo repo = lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"),
                ctx.pathParam("name"), AccessPolicy.Action.READ);
        List<String> raw = RawPath.segments(ctx.req().getRequestURI());
        String revision = RawPath.revisionAndPath(raw.subList(5, raw.size())).revision();
        Set<String> paths = new LinkedHashSet<>();
        boolean expand;
        String contentType = ctx.contentType() == null ? "" : ctx.contentType();
        if (contentType.startsWith("application/json")) {
            JsonNode body = Json.body(ctx);
            body.path("paths").forEach(p -> paths.add(p.asText()));
            expand = body.path("expand").asBoolean(false);
        } else {
            paths.addAll(ctx.formParams("paths"));
            String e = ctx.formParam("expand");
            expand = "true".equals(e) || "1".equals(e);
        }
        if (paths.size() > MAX_PATHS) {
            throw new Errors.PayloadTooLarge("Too many paths: at most " + MAX_PATHS + " per request");
        }
        try (Repository git = repoService.openGit(repo)) {
            RevCommit commit = Revisions.resolve(git, revision).commit();
            List<FileEntry> found = new ArrayList<>();
            for (String path : paths) {
                String normalized = path.replaceAll("/+$", "");
                if (normalized.isEmpty() || RepoPath.validate(normalized).isPresent()) {
                    continue;
                }
                TreeReader.find(git, commit, RepoPath.normalize(normalized)).ifPresent(found::add);
            }
            send(ctx, git, repo, commit, found, expand);
        }
    }

    /**
     * {@code securityFileStatus} of the files among {@code entries} that get a scan, by path: files that may hold
     * pickles, and with a clamd every file up to its size limit. Other files carry no status.
     */
    private Map<String, ObjectNode> security(Repo repo, List<FileEntry> entries) {
        Map<String, ObjectNode> out = new HashMap<>();
        scans.ofFiles(repo, entries).forEach((path, security) -> out.put(path, security.json()));
        return out;
    }

    private static ObjectNode withSecurity(ObjectNode entry, ObjectNode security) {
        if (security != null) {
            entry.set("securityFileStatus", security);
        }
        return entry;
    }

    /** The Xet hashes of the LFS files among {@code entries} that are Xet files of the repo. */
    private Map<Sha256, MerkleHash> xetHashes(Repo repo, List<FileEntry> entries) {
        return xetStore.fileHashesBySha256(repo.id(),
                entries.stream().filter(e -> e.lfs() != null).map(e -> e.lfs().oid()).toList());
    }

    /**
     * One tree entry. {@code xetHash} is announced for Xet files, as the Hub does: snapshot_download then fetches
     * them through Xet without asking resolve first, and cross-repo copies need it (hub-api.md §7.7).
     */
    static ObjectNode entryJson(FileEntry e, @Nullable RevCommit lastCommit, Map<Sha256, MerkleHash> xetHashes) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("type", e.isDirectory() ? "directory" : "file");
        node.put("oid", e.oid());
        node.put("size", e.size());
        if (e.lfs() != null) {
            node.putObject("lfs").put("oid", e.lfs().oid().hex()).put("size", e.size())
                    .put("pointerSize", e.pointerSize());
            MerkleHash xet = xetHashes.get(e.lfs().oid());
            if (xet != null) {
                node.put("xetHash", xet.hex());
            }
        }
        node.put("path", e.path());
        if (lastCommit != null) {
            node.putObject("lastCommit").put("id", lastCommit.name()).put("title", lastCommit.getShortMessage())
                    .put("date", Dates.iso(lastCommit.getCommitterIdent().getWhenAsInstant().toEpochMilli()));
        }
        return node;
    }
}
