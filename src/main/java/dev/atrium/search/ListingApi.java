package dev.atrium.search;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.TreeReader;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;

/** {@code GET /api/models}, {@code /api/datasets}, {@code /api/spaces}: search, filters, sort and cursor pages. */
public final class ListingApi {
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_LIMIT = 1000;
    /** {@code full=true} reads each listed repo's file tree: fewer per page then. */
    private static final int MAX_FULL_LIMIT = 100;
    private static final int QUICK_SEARCH_LIMIT = 10;

    private final RepoListing listing;
    private final AccessPolicy policy;
    private final RepoService repoService;
    private final BaseUrl baseUrl;

    /** The gated repos among a page's and their modes ("auto", "manual"): gates change without a commit. */
    private final java.util.function.Function<java.util.Collection<String>, java.util.Map<String, String>> gates;

    /** The filter tag of the models this hub's inference runs; empty when it runs none. */
    private final Optional<String> warmTag;

    public ListingApi(RepoListing listing, AccessPolicy policy, RepoService repoService, BaseUrl baseUrl,
                      java.util.function.Function<java.util.Collection<String>, java.util.Map<String, String>> gates,
                      Optional<String> warmTag) {
        this.gates = gates;
        this.warmTag = warmTag;
        this.listing = listing;
        this.policy = policy;
        this.repoService = repoService;
        this.baseUrl = baseUrl;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/models", ctx -> list(ctx, RepoType.MODEL));
        routes.get("/api/datasets", ctx -> list(ctx, RepoType.DATASET));
        routes.get("/api/spaces", ctx -> list(ctx, RepoType.SPACE));
        routes.get("/api/quicksearch", this::quickSearch);
    }

    /**
     * The search box's instant suggestions: the most downloaded ids containing {@code q}, for each repo type (or the
     * {@code type} values asked for), as {@code {"models": [{"id": ...}], "datasets": [...], "spaces": [...]}}.
     */
    private void quickSearch(Context ctx) {
        String q = Optional.ofNullable(ctx.queryParam("q")).orElse("").strip();
        int limit = Math.max(1, Pagination.intParam(ctx, "limit", QUICK_SEARCH_LIMIT, QUICK_SEARCH_LIMIT * 2));
        List<String> types = ctx.queryParams("type");
        ObjectNode out = Json.MAPPER.createObjectNode();
        for (RepoType type : RepoType.values()) {
            if (!types.isEmpty() && !types.contains(type.singular())) {
                continue;
            }
            ArrayNode items = out.putArray(type.plural());
            if (q.isEmpty()) {
                continue;
            }
            RepoListing.Query query = new RepoListing.Query(type, policy.readableRepos(Caller.of(ctx)), List.of(q),
                    Optional.empty(), List.of(), Optional.empty(), RepoListing.Sort.DOWNLOADS, true, limit,
                    Optional.empty());
            List<RepoListing.Row> rows = listing.find(query);
            for (RepoListing.Row row : rows.subList(0, Math.min(limit, rows.size()))) {
                items.addObject().put("_id", row.id()).put("id", row.namespace() + "/" + row.name());
            }
        }
        Json.send(ctx, out);
    }

    private void list(Context ctx, RepoType type) throws IOException {
        boolean full = Pagination.boolParam(ctx, "full");
        int limit = Math.max(1, Pagination.intParam(ctx, "limit", DEFAULT_LIMIT, full ? MAX_FULL_LIMIT : MAX_LIMIT));
        RepoListing.Query query = queryOf(ctx, type, policy, limit, warmTag);
        List<RepoListing.Row> rows = listing.find(query);
        boolean more = rows.size() > limit;
        if (more) {
            rows = rows.subList(0, limit);
            RepoListing.Row last = rows.get(rows.size() - 1);
            Pagination.linkNext(ctx, baseUrl, "cursor", encodeCursor(new RepoListing.Cursor(last.sortValue(), last.id())));
        }
        Set<String> expand = new HashSet<>(ctx.queryParams("expand"));
        expand.addAll(ctx.queryParams("expand[]"));
        boolean cardData = full || Pagination.boolParam(ctx, "cardData");
        boolean config = full || Pagination.boolParam(ctx, "config");
        ArrayNode out = Json.MAPPER.createArrayNode();
        java.util.Map<String, String> gated = gates.apply(rows.stream().map(RepoListing.Row::id).toList());
        for (RepoListing.Row row : rows) {
            ObjectNode item = RepoJson.of(row, type, expand, cardData, config);
            if (item.has("gated") && gated.containsKey(row.id())) {
                item.put("gated", gated.get(row.id()));
            }
            if ((full && expand.isEmpty()) || expand.contains("siblings")) {
                addSiblings(item, row, type);
            }
            out.add(item);
        }
        Json.send(ctx, out);
    }

    private void addSiblings(ObjectNode item, RepoListing.Row row, RepoType type) throws IOException {
        ArrayNode siblings = item.putArray("siblings");
        if (row.sha() == null) {
            return;
        }
        Optional<Repo> repo = repoService.find(type, new RepoId(row.namespace(), row.name()));
        if (repo.isEmpty()) {
            return;
        }
        try (Repository git = repoService.openGit(repo.get()); RevWalk walk = new RevWalk(git)) {
            for (FileEntry e : TreeReader.list(git, walk.parseCommit(ObjectId.fromString(row.sha())), "", true)) {
                if (!e.isDirectory()) {
                    siblings.addObject().put("rfilename", e.path());
                }
            }
        }
    }

    /**
     * The listing a request asks for, read as the Hub reads {@code /api/models} parameters (the web's listing pages
     * take the same ones): search, author, filter (tags, ANDed, comma-separated or repeated), pipeline_tag, library,
     * language, license, inference ({@code warm}: the models the hub runs, marked by {@code warmTag}), sort, direction
     * and cursor, limited to what the caller may read.
     */
    public static RepoListing.Query queryOf(Context ctx, RepoType type, AccessPolicy policy, int limit,
                                            Optional<String> warmTag) {
        String sortParam = Optional.ofNullable(ctx.queryParam("sort")).orElse("trendingScore");
        RepoListing.Sort sort = RepoListing.Sort.parse(sortParam).orElseThrow(() -> new Errors.BadRequest(
                "Unknown sort '" + sortParam + "': use downloads, likes, trendingScore, lastModified or createdAt"));
        boolean descending = !"1".equals(ctx.queryParam("direction"));
        List<String> tags = new ArrayList<>();
        for (String filter : ctx.queryParams("filter")) {
            for (String tag : filter.split(",")) {
                if (!tag.isBlank()) {
                    tags.add(tag.strip());
                }
            }
        }
        param(ctx, "library").ifPresent(v -> tags.add("library:" + v));
        param(ctx, "language").ifPresent(v -> tags.add("language:" + v));
        param(ctx, "license").ifPresent(v -> tags.add("license:" + v.toLowerCase(java.util.Locale.ROOT)));
        param(ctx, "inference").ifPresent(v -> {
            if (!v.equals("warm")) {
                throw new Errors.BadRequest("inference takes 'warm': the models this hub runs");
            }
            // Without inference no model is warm: the empty tag, which no repo has, matches none.
            tags.add(warmTag.orElse(""));
        });
        List<String> search = ctx.queryParams("search").stream().filter(s -> !s.isBlank()).toList();
        return new RepoListing.Query(type, policy.readableRepos(Caller.of(ctx)), search, param(ctx, "author"), tags,
                param(ctx, "pipeline_tag"), sort, descending, limit,
                param(ctx, "cursor").map(ListingApi::decodeCursor));
    }

    private static Optional<String> param(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(v -> !v.isBlank());
    }

    public static String encodeCursor(RepoListing.Cursor cursor) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (cursor.value() + ":" + cursor.repoId()).getBytes(StandardCharsets.UTF_8));
    }

    static RepoListing.Cursor decodeCursor(String text) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return new RepoListing.Cursor(Long.parseLong(decoded.substring(0, colon)), decoded.substring(colon + 1));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new Errors.BadRequest("Invalid cursor: pass back the one from the Link header");
        }
    }
}
