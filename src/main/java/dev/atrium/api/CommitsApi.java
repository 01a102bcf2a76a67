package dev.atrium.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Dates;
import dev.atrium.http.Html;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.http.RawPath;
import dev.atrium.repo.CommitOrder;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Revisions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Set;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/** {@code commits/{rev}}: history, newest first, paginated with {@code Link} and counted in {@code X-Total-Count}. */
public final class CommitsApi {
    private static final int PAGE = 50;

    private final RepoLookup lookup;
    private final RepoService repoService;
    private final BaseUrl baseUrl;
    private final CommitOrder order;

    public CommitsApi(RepoLookup lookup, RepoService repoService, BaseUrl baseUrl, CommitOrder order) {
        this.lookup = lookup;
        this.repoService = repoService;
        this.baseUrl = baseUrl;
        this.order = order;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/{type}/{ns}/{name}/commits/<rest>", this::commits);
    }

    private void commits(Context ctx) throws IOException {
        Repo repo = lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"),
                ctx.pathParam("name"), AccessPolicy.Action.READ);
        String revision = RawPath.apiTail(ctx);
        int limit = Math.max(1, Pagination.intParam(ctx, "limit", PAGE, 1000));
        int page = Pagination.intParam(ctx, "p", 0, Integer.MAX_VALUE);
        Set<String> expand = RepoInfoApi.expandKeys(ctx);
        boolean formatted = expand.contains("formatted");
        ArrayNode out = Json.MAPPER.createArrayNode();
        try (Repository git = repoService.openGit(repo); RevWalk walk = new RevWalk(git)) {
            RevCommit head = Revisions.resolve(git, revision).commit();
            CommitOrder.Ids history = order.of(repo, git, head);
            long first = (long) page * limit;
            for (long i = first; i < Math.min(first + limit, history.size()); i++) {
                out.add(describe(walk.parseCommit(history.get((int) i)), formatted));
            }
            ctx.header("X-Total-Count", String.valueOf(history.size()));
            if (first + limit < history.size()) {
                Pagination.linkNext(ctx, baseUrl, "p", String.valueOf(page + 1));
            }
        }
        Json.send(ctx, out);
    }

    private static ObjectNode describe(RevCommit c, boolean formatted) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("id", c.name());
        node.put("title", c.getShortMessage());
        node.put("message", c.getFullMessage());
        node.putArray("authors").addObject().put("user", c.getAuthorIdent().getName());
        node.put("date", Dates.iso(c.getCommitterIdent().getWhenAsInstant().toEpochMilli()));
        if (formatted) {
            node.putObject("formatted").put("title", Html.escape(c.getShortMessage()))
                    .put("message", Html.escape(c.getFullMessage()));
        }
        return node;
    }

}
