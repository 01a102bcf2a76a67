package dev.atrium.discussion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.card.CardRenderer;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Revisions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

/**
 * Discussions and pull requests as the Hub's API (hub-api.md §10): list (pages of 50, wrapped), details with events
 * and, for pull requests, the base and the diff, create, comment, rename, change status, merge.
 */
public final class DiscussionApi {
    private final CardRenderer renderer = new CardRenderer();
    private static final int PAGE = 50;
    /** The last page whose offset an int holds. */
    private static final int MAX_PAGE = Integer.MAX_VALUE / PAGE;
    private static final int MAX_DIFF = 1 << 20;

    private final RepoLookup lookup;
    private final AccessPolicy policy;
    private final RepoService repoService;
    private final Discussions discussions;
    private final Threads threads;

    public DiscussionApi(RepoLookup lookup, AccessPolicy policy, RepoService repoService, Discussions discussions,
                         Threads threads) {
        this.lookup = lookup;
        this.policy = policy;
        this.repoService = repoService;
        this.discussions = discussions;
        this.threads = threads;
    }

    public void register(RoutesConfig routes) {
        String base = "/api/{type}/{ns}/{name}/discussions";
        routes.get(base, this::list);
        routes.post(base, this::create);
        routes.get(base + "/{num}", this::details);
        routes.post(base + "/{num}/comment", this::comment);
        routes.post(base + "/{num}/title", this::title);
        routes.post(base + "/{num}/status", this::status);
        routes.post(base + "/{num}/merge", this::merge);
        routes.post(base + "/{num}/comment/{comment}/edit", this::editComment);
        routes.post(base + "/{num}/comment/{comment}/hide", this::hideComment);
    }

    private Repo repo(Context ctx) {
        return lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"), ctx.pathParam("name"),
                AccessPolicy.Action.READ);
    }

    private Discussions.Discussion discussion(Context ctx, Repo repo) {
        return threads.find(repo, ctx.pathParam("num"));
    }

    private static ObjectNode item(Repo repo, Discussions.Discussion d) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("num", d.num()).put("title", d.title()).put("status", d.status())
                .put("createdAt", Dates.iso(d.createdAt())).put("isPullRequest", d.isPr());
        out.putObject("repo").put("name", repo.repoId().toString()).put("type", repo.type().singular());
        if (d.author() != null) {
            out.putObject("author").put("name", d.author()).put("type", "user");
        }
        return out;
    }

    private void list(Context ctx) {
        Repo repo = repo(ctx);
        String type = Optional.ofNullable(ctx.queryParam("type")).orElse("all");
        String status = Optional.ofNullable(ctx.queryParam("status")).orElse("all");
        if (!List.of("all", "open", "closed").contains(status)) {
            throw new Errors.BadRequest("status must be one of all, open, closed");
        }
        Boolean isPr = type.equals("pull_request") ? Boolean.TRUE : type.equals("discussion") ? Boolean.FALSE : null;
        int page = Pagination.intParam(ctx, "p", 0, MAX_PAGE);
        Discussions.Page found = discussions.page(repo.id(), new Discussions.Filter(isPr,
                status.equals("all") ? null : status, ctx.queryParam("author")), page * PAGE, PAGE);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode items = out.putArray("discussions");
        found.items().forEach(d -> items.add(item(repo, d)));
        out.put("count", found.total()).put("start", page * PAGE);
        out.put("numClosedDiscussions", found.closed());
        Json.send(ctx, out);
    }

    private void create(Context ctx) throws IOException {
        Repo repo = repo(ctx);
        JsonNode body = Json.body(ctx);
        Json.send(ctx, item(repo, threads.open(repo, Caller.of(ctx), Json.text(body, "title"),
                Json.text(body, "description"), body.path("pullRequest").asBoolean(false))));
    }

    private void details(Context ctx) throws IOException {
        Repo repo = repo(ctx);
        Discussions.Discussion d = discussion(ctx, repo);
        ObjectNode out = item(repo, d);
        ArrayNode events = out.putArray("events");
        for (Discussions.Event e : discussions.events(d)) {
            events.add(eventJson(repo, e));
        }
        if (d.isPr()) {
            ObjectNode changes = out.putObject("changes").put("base", d.baseRef());
            if (d.mergeCommit() != null) {
                changes.put("mergeCommitId", d.mergeCommit());
            }
            out.putArray("filesWithConflicts");
            // The diff is content: a gated repo shows it only to those who may download.
            if (Boolean.parseBoolean(ctx.queryParam("diff")) || "1".equals(ctx.queryParam("diff"))) {
                if (policy.canDownload(Caller.of(ctx), repo)) {
                    out.put("diff", diff(repo, d));
                }
            }
        }
        Json.send(ctx, out);
    }

    /**
     * An event as the clients read it: id, type, createdAt, author, data. A comment's {@code latest.html} (what
     * {@code DiscussionComment.rendered} returns) is its Markdown rendered and sanitized as the page shows it, with
     * relative links to the repo's files on its default branch.
     */
    private ObjectNode eventJson(Repo repo, Discussions.Event e) {
        ObjectNode event = Json.MAPPER.createObjectNode().put("id", e.id()).put("type", e.type())
                .put("createdAt", Dates.iso(e.createdAt()));
        if (e.author() != null) {
            event.putObject("author").put("name", e.author()).put("type", "user");
        }
        try {
            event.set("data", Json.MAPPER.readTree(e.dataJson()));
        } catch (IOException ex) {
            event.putObject("data");
        }
        JsonNode latest = event.path("data").path("latest");
        if (e.type().equals("comment") && latest instanceof ObjectNode comment
                && !event.path("data").path("hidden").asBoolean(false)) {
            String base = "/" + repo.type().urlPrefix() + repo.repoId();
            comment.put("html", renderer.render(comment.path("raw").asText(""), new CardRenderer.Links(
                    ref -> base + "/blob/main/" + CardRenderer.resolvePath("", ref),
                    ref -> base + "/resolve/main/" + CardRenderer.resolvePath("", ref))));
        }
        return event;
    }

    private String diff(Repo repo, Discussions.Discussion pr) throws IOException {
        try (Repository git = repoService.openGit(repo); RevWalk walk = new RevWalk(git)) {
            RevCommit head = walk.parseCommit(Revisions.resolve(git, pr.prRef()).commit());
            RevCommit base = walk.parseCommit(Revisions.resolve(git, pr.mergeCommit() != null
                    ? head.getParentCount() > 0 ? head.getParent(0).name() : head.name() : pr.baseRef()).commit());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (DiffFormatter formatter = new DiffFormatter(out)) {
                formatter.setRepository(git);
                formatter.setBinaryFileThreshold(MAX_DIFF);
                formatter.format(base.getTree(), head.getTree());
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private void comment(Context ctx) {
        Repo repo = repo(ctx);
        Discussions.Event e = threads.comment(repo, Caller.of(ctx), discussion(ctx, repo),
                Json.text(Json.body(ctx), "comment"));
        Json.send(ctx, Json.MAPPER.createObjectNode().set("newMessage", eventJson(repo, e)));
    }

    private void editComment(Context ctx) {
        Repo repo = repo(ctx);
        Discussions.Event e = threads.editComment(repo, Caller.of(ctx), discussion(ctx, repo),
                ctx.pathParam("comment"), Json.text(Json.body(ctx), "content"));
        Json.send(ctx, Json.MAPPER.createObjectNode().set("updatedComment", eventJson(repo, e)));
    }

    private void hideComment(Context ctx) {
        Repo repo = repo(ctx);
        Discussions.Event e = threads.hideComment(repo, Caller.of(ctx), discussion(ctx, repo),
                ctx.pathParam("comment"));
        Json.send(ctx, Json.MAPPER.createObjectNode().set("updatedComment", eventJson(repo, e)));
    }

    private void title(Context ctx) {
        Repo repo = repo(ctx);
        Discussions.Event e = threads.rename(repo, Caller.of(ctx), discussion(ctx, repo),
                Json.text(Json.body(ctx), "title"));
        Json.send(ctx, Json.MAPPER.createObjectNode().set("newTitle", eventJson(repo, e)));
    }

    private void status(Context ctx) {
        Repo repo = repo(ctx);
        JsonNode body = Json.body(ctx);
        Discussions.Event e = threads.setStatus(repo, Caller.of(ctx), discussion(ctx, repo),
                Json.text(body, "status"), Json.text(body, "comment"));
        Json.send(ctx, Json.MAPPER.createObjectNode().set("newStatus", eventJson(repo, e)));
    }

    private void merge(Context ctx) throws IOException {
        Repo repo = lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"),
                ctx.pathParam("name"), AccessPolicy.Action.WRITE);
        String comment = ctx.body().isBlank() ? null : Json.text(Json.body(ctx), "comment");
        threads.merge(repo, Caller.of(ctx), discussion(ctx, repo), comment);
        Json.send(ctx, Map.of());
    }
}
