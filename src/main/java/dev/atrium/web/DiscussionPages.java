package dev.atrium.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.card.CardRenderer;
import dev.atrium.discussion.Discussions;
import dev.atrium.discussion.Threads;
import dev.atrium.notification.Notifications;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.http.RepoRoutes;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Revisions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The Community tab: discussions and pull requests of a repo, a thread with its comments, and the forms to open one,
 * comment, close, reopen and merge. Every action goes through {@link Threads}, as the API's do.
 */
public final class DiscussionPages {
    /** A thread in a list. */
    public record Row(int num, String title, String status, boolean isPr, String author, String date, String url) {}

    /**
     * One entry of a thread: a comment (its Markdown rendered and sanitized; {@code text} says whether it was edited
     * or hidden) or a change.
     */
    public record Entry(String kind, String author, String date, @Nullable String html, String text,
                        @Nullable String link) {}

    public record ListPage(RepoViews.Header header, List<Row> threads, String filter, boolean canOpen,
                           @Nullable String newerUrl, @Nullable String olderUrl) {}

    private static final int PAGE = 50;

    public record ThreadPage(RepoViews.Header header, Row thread, List<Entry> entries, boolean canComment,
                             boolean canModerate, boolean canMerge, @Nullable String changesUrl,
                             @Nullable String baseBranch) {}

    private final Pages pages;
    private final RepoAccess access;
    private final AccessPolicy policy;
    private final Discussions discussions;
    private final Threads threads;
    private final Notifications notifications;
    private final CardRenderer renderer = new CardRenderer();

    DiscussionPages(Pages pages, RepoAccess access, AccessPolicy policy, Discussions discussions, Threads threads,
                    Notifications notifications) {
        this.notifications = notifications;
        this.pages = pages;
        this.access = access;
        this.policy = policy;
        this.discussions = discussions;
        this.threads = threads;
    }

    void register(RoutesConfig routes) {
        RepoRoutes.add(routes, HandlerType.GET, "/discussions", (ctx, t, ns, n) -> pages.run(ctx,
                () -> list(ctx, t, ns, n)));
        RepoRoutes.add(routes, HandlerType.GET, "/discussions/new", (ctx, t, ns, n) -> pages.run(ctx,
                () -> newForm(ctx, t, ns, n)));
        RepoRoutes.add(routes, HandlerType.POST, "/discussions/new", (ctx, t, ns, n) -> pages.run(ctx,
                () -> create(ctx, t, ns, n)));
        RepoRoutes.add(routes, HandlerType.GET, "/discussions/{num}", (ctx, t, ns, n) -> pages.run(ctx,
                () -> thread(ctx, t, ns, n)));
        RepoRoutes.add(routes, HandlerType.POST, "/discussions/{num}/comment", (ctx, t, ns, n) -> pages.run(ctx,
                () -> act(ctx, t, ns, n, "comment")));
        RepoRoutes.add(routes, HandlerType.POST, "/discussions/{num}/status", (ctx, t, ns, n) -> pages.run(ctx,
                () -> act(ctx, t, ns, n, "status")));
        RepoRoutes.add(routes, HandlerType.POST, "/discussions/{num}/merge", (ctx, t, ns, n) -> pages.run(ctx,
                () -> act(ctx, t, ns, n, "merge")));
    }

    private void list(Context ctx, RepoType type, String namespace, String name) {
        Repo repo = access.load(ctx, type, namespace, name);
        RepoViews.Header header = access.header(ctx, repo, "community", Revisions.DEFAULT_BRANCH);
        String filter = switch (String.valueOf(ctx.queryParam("type"))) {
            case "pull_request" -> "pull_request";
            case "discussion" -> "discussion";
            default -> "all";
        };
        Boolean isPr = filter.equals("all") ? null : filter.equals("pull_request");
        int page = Pagination.intParam(ctx, "p", 0, Integer.MAX_VALUE / PAGE);
        Discussions.Page found = discussions.page(repo.id(), new Discussions.Filter(isPr, null, null), page * PAGE,
                PAGE);
        List<Row> rows = found.items().stream().map(d -> row(header, d)).toList();
        String self = header.base() + "/discussions?" + (filter.equals("all") ? "" : "type=" + filter + "&") + "p=";
        pages.render(ctx, 200, "repo/discussions.jte", Map.of("frame", Frame.of(ctx, "Community · " + header.id()),
                "page", new ListPage(header, rows, filter,
                        SignedIn.is(ctx) && policy.canContribute(Caller.of(ctx), repo),
                        page == 0 ? null : self + (page - 1),
                        (long) (page + 1) * PAGE < found.total() ? self + (page + 1) : null)));
    }

    private void newForm(Context ctx, RepoType type, String namespace, String name) {
        Repo repo = access.load(ctx, type, namespace, name);
        SignedIn.require(ctx);
        policy.requireContribute(Caller.of(ctx), repo);
        RepoViews.Header header = access.header(ctx, repo, "community", Revisions.DEFAULT_BRANCH);
        pages.render(ctx, 200, "repo/newdiscussion.jte", Map.of("frame", Frame.of(ctx, "New discussion · "
                + header.id()), "header", header));
    }

    private void create(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = access.load(ctx, type, namespace, name);
        SignedIn.require(ctx);
        Discussions.Discussion d = threads.open(repo, Caller.of(ctx), ctx.formParam("title"),
                ctx.formParam("description"), "pull_request".equals(ctx.formParam("kind")));
        ctx.redirect(access.header(ctx, repo, "community", Revisions.DEFAULT_BRANCH).base() + "/discussions/"
                + d.num(), HttpStatus.SEE_OTHER);
    }

    private void thread(Context ctx, RepoType type, String namespace, String name) {
        Repo repo = access.load(ctx, type, namespace, name);
        Discussions.Discussion d = discussion(ctx, repo);
        RepoViews.Header header = access.header(ctx, repo, "community", Revisions.DEFAULT_BRANCH);
        CardRenderer.Links links = new CardRenderer.Links(
                ref -> header.blobUrl(CardRenderer.resolvePath("", ref)),
                ref -> header.resolveUrl(CardRenderer.resolvePath("", ref)));
        List<Entry> entries = new ArrayList<>();
        for (Discussions.Event e : discussions.events(d)) {
            entries.add(entry(e, header, links));
        }
        Principal viewer = SignedIn.is(ctx) ? Caller.of(ctx) : null;
        if (viewer != null) {
            notifications.markRead(viewer.user().id(), repo.id(), d.num());
        }
        boolean open = d.status().equals("open") || d.status().equals("draft");
        String changes = !d.isPr() ? null : d.mergeCommit() != null ? header.base() + "/commit/" + d.mergeCommit()
                : header.base() + "/compare/" + Urls.segment(shortBranch(d.baseRef())) + "..." + d.prRef();
        ThreadPage page = new ThreadPage(header, row(header, d), entries,
                viewer != null && policy.canContribute(viewer, repo),
                viewer != null && threads.mayModerate(viewer, repo, d) && !d.status().equals("merged"),
                viewer != null && d.isPr() && open && policy.canWrite(viewer, repo), changes,
                d.isPr() ? shortBranch(d.baseRef()) : null);
        pages.render(ctx, 200, "repo/discussion.jte", Map.of("frame", Frame.of(ctx, d.title() + " · #" + d.num()
                + " · " + header.id()), "page", page));
    }

    /** A form's action, then back to the thread. */
    private void act(Context ctx, RepoType type, String namespace, String name, String action) throws IOException {
        Repo repo = access.load(ctx, type, namespace, name);
        SignedIn.require(ctx);
        Discussions.Discussion d = discussion(ctx, repo);
        Principal caller = Caller.of(ctx);
        switch (action) {
            case "comment" -> threads.comment(repo, caller, d, ctx.formParam("comment"));
            case "status" -> threads.setStatus(repo, caller, d, ctx.formParam("status"), ctx.formParam("comment"));
            default -> threads.merge(repo, caller, d, ctx.formParam("comment"));
        }
        ctx.redirect(access.header(ctx, repo, "community", Revisions.DEFAULT_BRANCH).base() + "/discussions/"
                + d.num(), HttpStatus.SEE_OTHER);
    }

    private Discussions.Discussion discussion(Context ctx, Repo repo) {
        return threads.find(repo, ctx.pathParam("num"));
    }

    private static Row row(RepoViews.Header header, Discussions.Discussion d) {
        return new Row(d.num(), d.title(), d.status(), d.isPr(), d.author() == null ? "deleted" : d.author(),
                Dates.iso(d.createdAt()), header.base() + "/discussions/" + d.num());
    }

    private Entry entry(Discussions.Event e, RepoViews.Header header, CardRenderer.Links links) {
        String author = e.author() == null ? "deleted" : e.author();
        String date = Dates.iso(e.createdAt());
        JsonNode data;
        try {
            data = Json.MAPPER.readTree(e.dataJson());
        } catch (IOException ex) {
            data = Json.MAPPER.createObjectNode();
        }
        return switch (e.type()) {
            case "comment" -> new Entry("comment", author, date,
                    renderer.render(data.path("latest").path("raw").asText(""), links),
                    data.path("hidden").asBoolean(false) ? "hidden"
                            : data.path("edited").asBoolean(false) ? "edited" : "", null);
            case "status-change" -> new Entry("event", author, date, null, switch (data.path("status").asText()) {
                case "merged" -> "merged this pull request";
                case "closed" -> "closed this";
                default -> "reopened this";
            }, null);
            case "title-change" -> new Entry("event", author, date, null, "renamed this from “"
                    + data.path("from").asText() + "” to “" + data.path("to").asText() + "”", null);
            case "commit" -> new Entry("event", author, date, null, "pushed "
                    + data.path("oid").asText("").substring(0, Math.min(7, data.path("oid").asText("").length()))
                    + ": " + data.path("subject").asText(), header.base() + "/commit/" + data.path("oid").asText());
            default -> new Entry("event", author, date, null, e.type(), null);
        };
    }

    private static String shortBranch(@Nullable String ref) {
        return ref == null ? Revisions.DEFAULT_BRANCH : ref.startsWith("refs/heads/") ? ref.substring(11) : ref;
    }

    /** Pages act for a browser session only; a token in a header is the API's business. */
}
