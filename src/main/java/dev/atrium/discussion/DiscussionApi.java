package dev.atrium.discussion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
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
    private static final int PAGE = 50;
    private static final int MAX_DIFF = 1 << 20;

    private final RepoLookup lookup;
    private final AccessPolicy policy;
    private final RepoService repoService;
    private final Discussions discussions;
    private final PullRequests pullRequests;

    public DiscussionApi(RepoLookup lookup, AccessPolicy policy, RepoService repoService, Discussions discussions,
                         PullRequests pullRequests) {
        this.lookup = lookup;
        this.policy = policy;
        this.repoService = repoService;
        this.discussions = discussions;
        this.pullRequests = pullRequests;
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
    }

    private Repo repo(Context ctx) {
        return lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"), ctx.pathParam("name"),
                AccessPolicy.Action.READ);
    }

    private Discussions.Discussion discussion(Context ctx, Repo repo) {
        int num;
        try {
            num = Integer.parseInt(ctx.pathParam("num"));
        } catch (NumberFormatException e) {
            throw new Errors.NotFound("No discussion " + ctx.pathParam("num"));
        }
        return discussions.get(repo.id(), num).orElseThrow(() -> new Errors.NotFound("No discussion #" + num));
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
        Boolean isPr = type.equals("pull_request") ? Boolean.TRUE : type.equals("discussion") ? Boolean.FALSE : null;
        List<Discussions.Discussion> all = discussions.list(repo.id(), isPr, status.equals("all") ? null : status);
        String author = ctx.queryParam("author");
        if (author != null) {
            all = all.stream().filter(d -> author.equals(d.author())).toList();
        }
        int page = Math.max(0, Integer.parseInt(Optional.ofNullable(ctx.queryParam("p")).orElse("0")));
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode items = out.putArray("discussions");
        all.stream().skip((long) page * PAGE).limit(PAGE).forEach(d -> items.add(item(repo, d)));
        out.put("count", all.size()).put("start", page * PAGE);
        out.put("numClosedDiscussions", all.stream().filter(d -> !d.status().equals("open")
                && !d.status().equals("draft")).count());
        Json.send(ctx, out);
    }

    private void create(Context ctx) throws IOException {
        Repo repo = repo(ctx);
        Principal caller = Caller.of(ctx);
        policy.requireContribute(caller, repo);
        JsonNode body = Json.body(ctx);
        String title = Optional.ofNullable(Json.text(body, "title")).map(String::strip).orElse("");
        if (title.isEmpty() || title.length() > 300) {
            throw new Errors.BadRequest("A title of 1 to 300 characters is required");
        }
        Discussions.Discussion d;
        if (body.path("pullRequest").asBoolean(false)) {
            try (Repository git = repoService.openGit(repo)) {
                d = pullRequests.open(git, repo, caller.user(), title, Revisions.DEFAULT_BRANCH, "draft", null);
            }
        } else {
            d = discussions.create(repo.id(), title, caller.user(), false, "open", null);
        }
        String description = Json.text(body, "description");
        if (description != null && !description.isBlank()) {
            discussions.addEvent(d, "comment", caller.user(), comment(description));
        }
        ObjectNode out = item(repo, d);
        Json.send(ctx, out);
    }

    private static ObjectNode comment(String text) {
        ObjectNode data = Json.MAPPER.createObjectNode().put("edited", false).put("hidden", false);
        data.putObject("latest").put("raw", text).put("html", "");
        return data;
    }

    private void details(Context ctx) throws IOException {
        Repo repo = repo(ctx);
        Discussions.Discussion d = discussion(ctx, repo);
        ObjectNode out = item(repo, d);
        ArrayNode events = out.putArray("events");
        for (Discussions.Event e : discussions.events(d)) {
            events.add(eventJson(e));
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

    /** An event as the clients read it: id, type, createdAt, author, data. */
    private static ObjectNode eventJson(Discussions.Event e) {
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

    /** Whether the caller started the thread, or may write the repo (and so moderate it). */
    private boolean authorOrWriter(Principal caller, Repo repo, Discussions.Discussion d) {
        return caller != null && (caller.user().id().equals(d.authorId()) || policy.canWrite(caller, repo));
    }

    private void comment(Context ctx) {
        Repo repo = repo(ctx);
        Principal caller = Caller.of(ctx);
        policy.requireContribute(caller, repo);
        Discussions.Discussion d = discussion(ctx, repo);
        String text = Json.text(Json.body(ctx), "comment");
        if (text == null || text.isBlank()) {
            throw new Errors.BadRequest("'comment' is required");
        }
        Discussions.Event e = discussions.addEvent(d, "comment", caller.user(), comment(text));
        Json.send(ctx, Json.MAPPER.createObjectNode().set("newMessage", eventJson(e)));
    }

    private void title(Context ctx) {
        Repo repo = repo(ctx);
        Principal caller = Caller.of(ctx);
        Discussions.Discussion d = discussion(ctx, repo);
        if (!authorOrWriter(caller, repo, d)) {
            throw new Errors.Forbidden("Only the author or the repo's writers may rename it");
        }
        String title = Optional.ofNullable(Json.text(Json.body(ctx), "title")).map(String::strip).orElse("");
        if (title.isEmpty() || title.length() > 300) {
            throw new Errors.BadRequest("A title of 1 to 300 characters is required");
        }
        discussions.setTitle(d, title);
        Discussions.Event e = discussions.addEvent(d, "title-change", caller.user(),
                Json.MAPPER.createObjectNode().put("from", d.title()).put("to", title));
        Json.send(ctx, Json.MAPPER.createObjectNode().set("newTitle", eventJson(e)));
    }

    private void status(Context ctx) {
        Repo repo = repo(ctx);
        Principal caller = Caller.of(ctx);
        Discussions.Discussion d = discussion(ctx, repo);
        if (!authorOrWriter(caller, repo, d)) {
            throw new Errors.Forbidden("Only the author or the repo's writers may change its status");
        }
        JsonNode body = Json.body(ctx);
        String status = Json.text(body, "status");
        if (!"open".equals(status) && !"closed".equals(status)) {
            throw new Errors.BadRequest("'status' must be open or closed");
        }
        if (d.status().equals("merged")) {
            throw new Errors.BadRequest("A merged pull request stays merged");
        }
        discussions.setStatus(d, status, null);
        Discussions.Event e = discussions.addEvent(d, "status-change", caller.user(),
                Json.MAPPER.createObjectNode().put("status", status));
        String comment = Json.text(body, "comment");
        if (comment != null && !comment.isBlank()) {
            discussions.addEvent(d, "comment", caller.user(), comment(comment));
        }
        Json.send(ctx, Json.MAPPER.createObjectNode().set("newStatus", eventJson(e)));
    }

    /** Merging writes to the base branch: the repo's writers only (an organization's contributors cannot). */
    private void merge(Context ctx) throws IOException {
        Repo repo = lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"),
                ctx.pathParam("name"), AccessPolicy.Action.WRITE);
        Discussions.Discussion pr = discussion(ctx, repo);
        if (!pr.isPr()) {
            throw new Errors.BadRequest("#" + pr.num() + " is a discussion, not a pull request");
        }
        String comment = ctx.body().isBlank() ? null : Json.text(Json.body(ctx), "comment");
        try (Repository git = repoService.openGit(repo)) {
            pullRequests.merge(git, repo, pr, Caller.required(ctx).user(), "Merge pull request #" + pr.num() + ": "
                    + pr.title());
        }
        if (comment != null && !comment.isBlank()) {
            discussions.addEvent(pr, "comment", Caller.required(ctx).user(), comment(comment));
        }
        Json.send(ctx, Map.of());
    }
}
