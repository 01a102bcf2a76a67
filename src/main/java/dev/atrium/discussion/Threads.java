package dev.atrium.discussion;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Repos;
import dev.atrium.repo.Revisions;
import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.lib.Repository;
import org.jspecify.annotations.Nullable;

/**
 * What people do with discussions and pull requests, each checked by the access policy: anyone who may contribute
 * opens threads and comments, the author or the repo's writers rename, close and reopen, writers merge. The API and
 * the pages both come through here, so the rules are the same in both.
 */
public final class Threads {
    public static final int MAX_TITLE = 300;

    private final AccessPolicy policy;
    private final RepoService repoService;
    private final Discussions discussions;
    private final PullRequests pullRequests;

    /** Told of each new thread, comment and status or title change, after it is stored (webhooks listen). */
    public interface Listener {
        /** @param comment the new comment, for a comment; null for a change to the thread itself */
        void changed(Repo repo, Discussions.Discussion thread, boolean created, Discussions.@Nullable Event comment);
    }

    private final List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public void onChange(Listener listener) {
        listeners.add(listener);
    }

    /** Tells the listeners of a pull request opened elsewhere: by a commit with {@code create_pr}. */
    public void opened(Repo repo, Discussions.Discussion pullRequest) {
        changed(repo, pullRequest, true, null);
    }

    private void changed(Repo repo, Discussions.Discussion thread, boolean created,
                         Discussions.@Nullable Event comment) {
        Discussions.Discussion now = discussions.get(thread.repoId(), thread.num()).orElse(thread);
        listeners.forEach(listener -> listener.changed(repo, now, created, comment));
    }

    /**
     * For {@link Repos#onContentChange}: a draft pull request (as {@code create_pull_request} makes them) opens
     * when commits reach its ref, by git or the commit API, as on the Hub. Its creation, which only points the ref at
     * the base, does not.
     */
    public void refsMoved(Repo repo, List<Repos.RefChange> refs) {
        for (Repos.RefChange change : refs) {
            if (!change.ref().startsWith("refs/pr/") || change.oldSha() == null || change.newSha() == null
                    || change.oldSha().equals(change.newSha())) {
                continue;
            }
            int num;
            try {
                num = Integer.parseInt(change.ref().substring("refs/pr/".length()));
            } catch (NumberFormatException e) {
                continue;
            }
            discussions.get(repo.id(), num).filter(Discussions.Discussion::isPr).ifPresent(pr -> {
                // Only from draft, in one statement: a pull request closed meanwhile stays closed.
                if (discussions.changeStatus(pr, "draft", "open")) {
                    discussions.addEvent(pr, "status-change", null,
                            Json.MAPPER.createObjectNode().put("status", "open"));
                    changed(repo, pr, false, null);
                }
            });
        }
    }

    public Threads(AccessPolicy policy, RepoService repoService, Discussions discussions, PullRequests pullRequests) {
        this.policy = policy;
        this.repoService = repoService;
        this.discussions = discussions;
        this.pullRequests = pullRequests;
    }

    /** Thread {@code num} (as a path segment) of the repo; 404 when there is none. */
    public Discussions.Discussion find(Repo repo, String num) {
        int n;
        try {
            n = Integer.parseInt(num);
        } catch (NumberFormatException e) {
            throw new Errors.NotFound("No discussion " + num);
        }
        return discussions.get(repo.id(), n).orElseThrow(() -> new Errors.NotFound("No discussion #" + n));
    }

    /** A discussion, or a draft pull request on the default branch's head, with its description as first comment. */
    public Discussions.Discussion open(Repo repo, @Nullable Principal caller, @Nullable String title,
                                       @Nullable String description, boolean pullRequest) throws IOException {
        policy.requireContribute(caller, repo);
        String clean = checkedTitle(title);
        Discussions.Discussion d;
        if (pullRequest) {
            try (Repository git = repoService.openGit(repo)) {
                d = pullRequests.open(git, repo, caller.user(), clean, Revisions.DEFAULT_BRANCH, "draft", null);
            }
        } else {
            d = discussions.create(repo.id(), clean, caller.user(), false, "open", null);
        }
        if (description != null && !description.isBlank()) {
            discussions.addEvent(d, "comment", caller.user(), commentData(description));
        }
        changed(repo, d, true, null);
        return d;
    }

    public Discussions.Event comment(Repo repo, @Nullable Principal caller, Discussions.Discussion d,
                                     @Nullable String text) {
        policy.requireContribute(caller, repo);
        if (text == null || text.isBlank()) {
            throw new Errors.BadRequest("'comment' is required");
        }
        Discussions.Event comment = discussions.addEvent(d, "comment", caller.user(), commentData(text));
        changed(repo, d, true, comment);
        return comment;
    }

    public Discussions.Event rename(Repo repo, @Nullable Principal caller, Discussions.Discussion d,
                                    @Nullable String title) {
        requireModerator(caller, repo, d, "rename it");
        String clean = checkedTitle(title);
        discussions.setTitle(d, clean);
        Discussions.Event e = discussions.addEvent(d, "title-change", caller.user(),
                Json.MAPPER.createObjectNode().put("from", d.title()).put("to", clean));
        changed(repo, d, false, null);
        return e;
    }

    /** Closes or reopens; a comment, when given, follows the status change. */
    public Discussions.Event setStatus(Repo repo, @Nullable Principal caller, Discussions.Discussion d,
                                       @Nullable String status, @Nullable String comment) {
        requireModerator(caller, repo, d, "change its status");
        if (!"open".equals(status) && !"closed".equals(status)) {
            throw new Errors.BadRequest("'status' must be open or closed");
        }
        if (d.status().equals("merged")) {
            throw new Errors.BadRequest("A merged pull request stays merged");
        }
        discussions.setStatus(d, status, null);
        Discussions.Event e = discussions.addEvent(d, "status-change", caller.user(),
                Json.MAPPER.createObjectNode().put("status", status));
        if (comment != null && !comment.isBlank()) {
            discussions.addEvent(d, "comment", caller.user(), commentData(comment));
        }
        changed(repo, d, false, null);
        return e;
    }

    /** Only a comment's author edits it, and not once it is hidden. */
    public Discussions.Event editComment(Repo repo, @Nullable Principal caller, Discussions.Discussion d,
                                         String commentId, @Nullable String content) {
        policy.requireContribute(caller, repo);
        Discussions.Event comment = comment(d, commentId);
        if (!caller.user().id().equals(comment.authorId())) {
            throw new Errors.Forbidden("Only its author may edit a comment");
        }
        if (content == null || content.isBlank()) {
            throw new Errors.BadRequest("'content' is required");
        }
        ObjectNode data = commentJson(comment);
        if (data.path("hidden").asBoolean(false)) {
            throw new Errors.BadRequest("A hidden comment cannot be edited");
        }
        data.put("edited", true);
        ((ObjectNode) data.path("latest")).put("raw", content).put("html", "");
        return discussions.updateEvent(d, comment, data);
    }

    /** Its author or the repo's writers hide a comment; its text is gone for good, as on the Hub. */
    public Discussions.Event hideComment(Repo repo, @Nullable Principal caller, Discussions.Discussion d,
                                         String commentId) {
        Discussions.Event comment = comment(d, commentId);
        if (caller == null) {
            throw new Errors.AuthenticationRequired("You must be authenticated to hide a comment");
        }
        if (!caller.user().id().equals(comment.authorId()) && !policy.canWrite(caller, repo)) {
            throw new Errors.Forbidden("Only its author or the repo's writers may hide a comment");
        }
        ObjectNode data = commentJson(comment);
        data.put("hidden", true);
        ((ObjectNode) data.path("latest")).put("raw", HIDDEN).put("html", "");
        return discussions.updateEvent(d, comment, data);
    }

    /** What a hidden comment says instead. */
    public static final String HIDDEN = "This comment has been hidden";

    private Discussions.Event comment(Discussions.Discussion d, String commentId) {
        return discussions.event(d, commentId).filter(e -> e.type().equals("comment"))
                .orElseThrow(() -> new Errors.NotFound("No comment " + commentId + " in #" + d.num()));
    }

    private static ObjectNode commentJson(Discussions.Event comment) {
        try {
            com.fasterxml.jackson.databind.JsonNode data = Json.MAPPER.readTree(comment.dataJson());
            if (data instanceof ObjectNode object && object.path("latest") instanceof ObjectNode) {
                return object;
            }
        } catch (IOException e) {
            // rebuilt below
        }
        return commentData("");
    }

    /** Merging writes to the base branch: the repo's writers only (an organization's contributors cannot). */
    public void merge(Repo repo, @Nullable Principal caller, Discussions.Discussion pr, @Nullable String comment)
            throws IOException {
        policy.require(caller, repo, AccessPolicy.Action.COMMIT);
        if (!pr.isPr()) {
            throw new Errors.BadRequest("#" + pr.num() + " is a discussion, not a pull request");
        }
        try (Repository git = repoService.openGit(repo)) {
            pullRequests.merge(git, repo, pr, caller.user(), "Merge pull request #" + pr.num() + ": " + pr.title());
        }
        if (comment != null && !comment.isBlank()) {
            discussions.addEvent(pr, "comment", caller.user(), commentData(comment));
        }
        changed(repo, pr, false, null);
    }

    /** Whether the caller started the thread, or may write the repo (and so moderate it). */
    public boolean mayModerate(@Nullable Principal caller, Repo repo, Discussions.Discussion d) {
        return caller != null && (caller.user().id().equals(d.authorId()) || policy.canWrite(caller, repo));
    }

    private void requireModerator(@Nullable Principal caller, Repo repo, Discussions.Discussion d, String what) {
        if (caller == null) {
            throw new Errors.AuthenticationRequired("You must be authenticated to " + what);
        }
        if (!mayModerate(caller, repo, d)) {
            throw new Errors.Forbidden("Only the author or the repo's writers may " + what);
        }
    }

    private static String checkedTitle(@Nullable String title) {
        String clean = title == null ? "" : title.strip();
        if (clean.isEmpty() || clean.length() > MAX_TITLE) {
            throw new Errors.BadRequest("A title of 1 to " + MAX_TITLE + " characters is required");
        }
        return clean;
    }

    /** A comment event's data as the clients read it. */
    static ObjectNode commentData(String text) {
        ObjectNode data = Json.MAPPER.createObjectNode().put("edited", false).put("hidden", false);
        data.putObject("latest").put("raw", text).put("html", "");
        return data;
    }
}
