package dev.atrium.web;

import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.commit.CommitHeader;
import dev.atrium.commit.CommitOperation;
import dev.atrium.commit.CommitService;
import dev.atrium.commit.NdjsonCommitParser;
import dev.atrium.commit.PullRequestCommits;
import dev.atrium.commit.StagingArea;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.RawPath;
import dev.atrium.http.RepoRoutes;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoPath;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Revisions;
import dev.atrium.repo.TreeReader;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.UploadedFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.jspecify.annotations.Nullable;

/**
 * Changing a repo in the browser: upload files (large ones become LFS objects, as through the API), create or edit a
 * text file, delete a file. Each is one commit through {@link CommitService}, the API's own path, with a message and
 * optionally on a new branch. Someone who may contribute but not write (an organization's contributor, any signed-in
 * user on a public repo) gets the same pages, and each change opens a pull request instead, as on the Hub.
 */
public final class EditPages {
    /** Text files up to this size can be edited in the page. */
    private static final int MAX_EDITABLE = 1 << 20;

    private final Pages pages;
    private final RepoAccess access;
    private final RepoLookup lookup;
    private final CommitService commits;
    private final Path stagingRoot;
    private final AccessPolicy policy;
    private final PullRequestCommits prCommits;

    /** A repo the caller may change, directly or ({@code proposing}) through a pull request. */
    private record Editable(Repo repo, boolean proposing) {}

    /** Where a change landed: a branch, and the pull request it opened when proposing. */
    private record Landed(String branch, @Nullable String pullRequestUrl) {}

    EditPages(Pages pages, RepoAccess access, RepoLookup lookup, CommitService commits, Path stagingRoot,
              AccessPolicy policy, PullRequestCommits prCommits) {
        this.policy = policy;
        this.prCommits = prCommits;
        this.pages = pages;
        this.access = access;
        this.lookup = lookup;
        this.commits = commits;
        this.stagingRoot = stagingRoot;
    }

    void register(RoutesConfig routes) {
        RepoRoutes.add(routes, HandlerType.GET, "/upload/<rest>", (ctx, t, ns, n) -> pages.run(ctx,
                () -> form(ctx, t, ns, n, "repo/upload.jte")));
        RepoRoutes.add(routes, HandlerType.POST, "/upload/<rest>", this::upload);
        RepoRoutes.add(routes, HandlerType.GET, "/new-file/<rest>", (ctx, t, ns, n) -> pages.run(ctx,
                () -> form(ctx, t, ns, n, "repo/edit.jte")));
        RepoRoutes.add(routes, HandlerType.GET, "/edit/<rest>", (ctx, t, ns, n) -> pages.run(ctx,
                () -> form(ctx, t, ns, n, "repo/edit.jte")));
        RepoRoutes.add(routes, HandlerType.POST, "/edit/<rest>", (ctx, t, ns, n) -> pages.run(ctx,
                () -> save(ctx, t, ns, n)));
        RepoRoutes.add(routes, HandlerType.POST, "/delete/<rest>", (ctx, t, ns, n) -> pages.run(ctx,
                () -> delete(ctx, t, ns, n)));
    }

    private Editable editable(Context ctx, RepoType type, String namespace, String name) {
        if (Caller.of(ctx) == null) {
            throw new Errors.Moved("/login?next=" + Urls.query(ctx.path()));
        }
        Repo repo = lookup.load(ctx, type, namespace, name, AccessPolicy.Action.READ);
        Principal caller = Caller.of(ctx);
        if (policy.canCommit(caller, repo)) {
            return new Editable(repo, false);
        }
        if (!policy.canWrite(caller, repo) && policy.canContribute(caller, repo)) {
            return new Editable(repo, true);
        }
        policy.require(caller, repo, AccessPolicy.Action.COMMIT); // refuses as a commit would
        throw new IllegalStateException("a caller who may not write passed the write check");
    }

    /** The upload page, or the editor: for an existing file (edit) or a new one in a folder (new-file). */
    private void form(Context ctx, RepoType type, String namespace, String name, String template) throws IOException {
        Repo repo = editable(ctx, type, namespace, name).repo();
        RawPath.RevisionAndPath at = RepoAccess.revisionPath(ctx, type);
        RepoViews.Header header = access.header(ctx, repo, "files", at.revision());
        boolean editing = ctx.path().contains("/edit/");
        String content = "";
        try (Repository git = access.openGit(repo)) {
            Revisions.Resolved resolved = Revisions.resolve(git, at.revision());
            if (editing) {
                FileEntry file = TreeReader.find(git, resolved.commit(), at.path())
                        .filter(f -> !f.isDirectory())
                        .orElseThrow(() -> new Errors.EntryNotFound(at.path()));
                if (file.lfs() != null || file.size() > MAX_EDITABLE) {
                    throw new Errors.BadRequest("Only text files up to 1 MB stored in git can be edited here");
                }
                content = new String(RepoAccess.readBlob(git, file.oid(), MAX_EDITABLE), StandardCharsets.UTF_8);
            }
        }
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, (editing ? "Edit " : "New file in ") + header.id()));
        params.put("header", header);
        params.put("path", editing ? at.path() : "");
        params.put("folder", editing ? "" : at.path());
        params.put("content", content);
        params.put("editing", editing);
        params.put("action", header.base() + (template.endsWith("upload.jte") ? "/upload/" : "/edit/")
                + Urls.segment(at.revision()) + (editing ? "/" + Urls.path(at.path()) : ""));
        pages.render(ctx, 200, template, params);
    }

    /** Files from a multipart form (sent by the page's script with the CSRF header), committed in one commit. */
    private void upload(Context ctx, RepoType type, String namespace, String name) throws Exception {
        Editable target = editable(ctx, type, namespace, name);
        Repo repo = target.repo();
        RawPath.RevisionAndPath at = RepoAccess.revisionPath(ctx, type);
        String folder = RepoPath.normalizeFolder(ctx.formParam("folder"));
        List<UploadedFile> files = ctx.uploadedFiles("files");
        if (files.isEmpty()) {
            throw new Errors.BadRequest("Choose at least one file");
        }
        try (StagingArea staging = StagingArea.open(stagingRoot)) {
            List<CommitOperation> operations = new ArrayList<>();
            for (UploadedFile file : files) {
                String path = path(folder, file.filename());
                StagingArea.Staged staged = staging.stage(out -> {
                    try (InputStream in = file.content()) {
                        in.transferTo(out);
                    }
                });
                operations.add(new CommitOperation.AddFile(path, staged));
            }
            String message = message(ctx, "Upload " + (files.size() == 1 ? files.get(0).filename()
                    : files.size() + " files"));
            Landed landed = commit(ctx, target, at.revision(), message, operations);
            Json.send(ctx, Map.of("url", landed.pullRequestUrl() != null ? landed.pullRequestUrl()
                    : access.header(ctx, repo, "files", landed.branch()).treeUrl(folder)));
        }
    }

    private void save(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Editable target = editable(ctx, type, namespace, name);
        Repo repo = target.repo();
        RawPath.RevisionAndPath at = RepoAccess.revisionPath(ctx, type);
        String path = Optional.ofNullable(ctx.formParam("path")).map(String::strip).filter(p -> !p.isEmpty())
                .orElseThrow(() -> new Errors.BadRequest("Give the file a name"));
        path = RepoPath.normalize(path);
        String content = Optional.ofNullable(ctx.formParam("content")).orElse("").replace("\r\n", "\n");
        try (StagingArea staging = StagingArea.open(stagingRoot)) {
            byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
            StagingArea.Staged staged = staging.stage(out -> out.write(bytes));
            List<CommitOperation> operations = new ArrayList<>();
            if (!at.path().isEmpty() && !at.path().equals(path)) {
                operations.add(new CommitOperation.DeleteFile(at.path())); // renamed in the editor
            }
            operations.add(new CommitOperation.AddFile(path, staged));
            Landed landed = commit(ctx, target, at.revision(), message(ctx, (at.path().isEmpty() ? "Create "
                    : "Update ") + path), operations);
            ctx.redirect(landed.pullRequestUrl() != null ? landed.pullRequestUrl()
                    : access.header(ctx, repo, "files", landed.branch()).blobUrl(path), HttpStatus.SEE_OTHER);
        }
    }

    private void delete(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Editable target = editable(ctx, type, namespace, name);
        Repo repo = target.repo();
        RawPath.RevisionAndPath at = RepoAccess.revisionPath(ctx, type);
        Landed landed = commit(ctx, target, at.revision(), message(ctx, "Delete " + at.path()),
                List.of(new CommitOperation.DeleteFile(at.path())));
        if (landed.pullRequestUrl() != null) {
            ctx.redirect(landed.pullRequestUrl(), HttpStatus.SEE_OTHER);
            return;
        }
        String branch = landed.branch();
        String parent = at.path().contains("/") ? at.path().substring(0, at.path().lastIndexOf('/')) : "";
        try (Repository git = access.openGit(repo)) {
            boolean parentLeft = parent.isEmpty()
                    || TreeReader.find(git, Revisions.resolve(git, branch).commit(), parent).isPresent();
            ctx.redirect(access.header(ctx, repo, "files", branch).treeUrl(parentLeft ? parent : ""),
                    HttpStatus.SEE_OTHER);
        }
    }

    /**
     * Commits on {@code revision}, or on a new branch started from it when the form names one; when proposing, opens
     * a pull request into {@code revision} with the commit on it.
     */
    private Landed commit(Context ctx, Editable target, String revision, String message,
                          List<CommitOperation> operations) throws IOException {
        Principal caller = Caller.required(ctx);
        Repo repo = target.repo();
        String newBranch = Optional.ofNullable(ctx.formParam("branch")).map(String::strip).orElse("");
        int newline = message.indexOf('\n');
        CommitHeader header = new CommitHeader(newline < 0 ? message : message.substring(0, newline),
                newline < 0 ? "" : message.substring(newline + 1).strip(), null);
        NdjsonCommitParser.ParsedCommit parsed = new NdjsonCommitParser.ParsedCommit(header, operations);
        try (Repository git = access.openGit(repo)) {
            if (target.proposing()) {
                PullRequestCommits.Opened opened = prCommits.open(git, repo, caller, revision, parsed);
                return new Landed(revision, access.header(ctx, repo, "community", revision).base() + "/discussions/"
                        + opened.pullRequest().num());
            }
            String branch = revision;
            if (!newBranch.isEmpty()) {
                createBranch(git, newBranch, Revisions.resolve(git, revision).commit());
                branch = newBranch;
            }
            commits.apply(git, repo, caller, branch, parsed);
            return new Landed(branch, null);
        }
    }

    private static void createBranch(Repository git, String branch, ObjectId at) throws IOException {
        String ref = Constants.R_HEADS + branch;
        if (!Repository.isValidRefName(ref)) {
            throw new Errors.BadRequest("'" + branch + "' is not a valid branch name");
        }
        RefUpdate update = git.updateRef(ref);
        update.setExpectedOldObjectId(ObjectId.zeroId());
        update.setNewObjectId(at);
        RefUpdate.Result result = update.update();
        if (result != RefUpdate.Result.NEW) {
            throw new Errors.Conflict("The branch " + branch + " already exists");
        }
    }

    private static String message(Context ctx, String fallback) {
        String message = Optional.ofNullable(ctx.formParam("message")).map(String::strip).orElse("");
        return message.isEmpty() ? fallback : message;
    }

    private static String path(String folder, String filename) {
        String leaf = filename.replace('\\', '/');
        leaf = leaf.substring(leaf.lastIndexOf('/') + 1); // browsers send a name, never a path; be sure
        return RepoPath.normalize(folder.isEmpty() ? leaf : folder + "/" + leaf);
    }
}
