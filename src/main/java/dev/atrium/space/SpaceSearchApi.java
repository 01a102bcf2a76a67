package dev.atrium.space;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.search.RepoListing;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;

/**
 * The Hub's Space search ({@code hf spaces search}, {@code HfApi.search_spaces}): {@code /api/spaces/semantic-search}.
 * huggingface.co ranks multi-word queries by embeddings; a hub has no model for that, so here every word of the
 * query must be in the Space's id, best trending first, the way the Hub treats single words. Unless asked for the
 * others ({@code includeNonRunning}), only Spaces whose app opens are listed. Also {@code /api/spaces/templates}:
 * the Hub's official templates, of which a hub has none.
 */
public final class SpaceSearchApi {
    static final int LIMIT = 50;

    private final RepoListing listing;
    private final AccessPolicy policy;
    private final RepoService repoService;
    private final SpaceApp spaces;

    public SpaceSearchApi(RepoListing listing, AccessPolicy policy, RepoService repoService, SpaceApp spaces) {
        this.listing = listing;
        this.policy = policy;
        this.repoService = repoService;
        this.spaces = spaces;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/spaces/semantic-search", this::search);
        routes.get("/api/spaces/templates", ctx -> Json.send(ctx, Map.of("templates", List.of())));
    }

    private void search(Context ctx) throws IOException {
        String q = Optional.ofNullable(ctx.queryParam("q")).orElse("").strip();
        if (q.isEmpty()) {
            throw new Errors.BadRequest("'q' is required: the words to look for");
        }
        List<String> words = Arrays.stream(q.split("\\s+")).toList();
        List<String> tags = new ArrayList<>();
        ctx.queryParams("filter").forEach(f -> Arrays.stream(f.split(",")).filter(t -> !t.isBlank())
                .forEach(t -> tags.add(t.strip())));
        List<String> sdks = ctx.queryParams("sdk");
        boolean includeNonRunning = Pagination.boolParam(ctx, "includeNonRunning");
        RepoListing.Query query = new RepoListing.Query(RepoType.SPACE, policy.readableRepos(Caller.of(ctx)), words,
                Optional.empty(), tags, Optional.empty(), RepoListing.Sort.TRENDING, true, LIMIT * 4,
                Optional.empty());
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (RepoListing.Row row : listing.find(query)) {
            if (out.size() == LIMIT) {
                break;
            }
            Optional<Repo> space = repoService.find(RepoType.SPACE, new RepoId(row.namespace(), row.name()));
            if (space.isEmpty()) {
                continue;
            }
            SpaceRuntime runtime;
            try (Repository git = repoService.openGit(space.get())) {
                runtime = spaces.runtime(git, space.get());
            }
            if (!sdks.isEmpty() && !sdks.contains(runtime.sdk()) || !includeNonRunning && !runtime.opens()) {
                continue;
            }
            out.add(result(row, runtime));
        }
        Json.send(ctx, out);
    }

    private static ObjectNode result(RepoListing.Row row, SpaceRuntime runtime) throws IOException {
        JsonNode card = row.cardJson() == null ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(row.cardJson());
        ObjectNode item = Json.MAPPER.createObjectNode();
        item.put("id", row.namespace() + "/" + row.name());
        item.put("author", row.namespace());
        item.put("title", card.path("title").isTextual() ? card.path("title").asText() : row.name());
        if (card.path("emoji").isTextual()) {
            item.put("emoji", card.path("emoji").asText());
        }
        item.put("sdk", runtime.sdk());
        item.put("likes", row.likes());
        item.put("private", row.isPrivate());
        item.set("tags", row.tagsJson() == null ? Json.MAPPER.createArrayNode() : Json.MAPPER.readTree(row.tagsJson()));
        item.set("runtime", Json.MAPPER.valueToTree(SpaceApp.json(runtime)));
        item.put("trendingScore", row.trendingScore());
        return item;
    }
}
