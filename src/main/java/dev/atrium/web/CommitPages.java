package dev.atrium.web;

import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.RawPath;
import dev.atrium.http.RepoRoutes;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Revisions;
import dev.atrium.signing.CommitSignatures;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.AbstractTreeIterator;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;
import org.eclipse.jgit.treewalk.EmptyTreeIterator;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.jspecify.annotations.Nullable;

/** The commits tab: history of a revision (or of one path in it), and a commit with its diff. */
public final class CommitPages {
    private static final int PAGE = 30;
    /** Diffs stop here; the rest of a big commit is listed by name with links to the files. */
    private static final int MAX_LINES_PER_FILE = 1000;
    private static final int MAX_LINES = 5000;
    private static final int MAX_FILES = 300;
    /** Larger files are treated as binary in diffs, so a diff never holds a big file in memory. */
    private static final int MAX_DIFFED_FILE = 1 << 20;

    private final Pages pages;
    private final RepoAccess access;
    private final CommitSignatures signatures;

    CommitPages(Pages pages, RepoAccess access, CommitSignatures signatures) {
        this.pages = pages;
        this.access = access;
        this.signatures = signatures;
    }

    void register(RoutesConfig routes) {
        RepoRoutes.add(routes, HandlerType.GET, "/commits/<rest>",
                (ctx, t, ns, n) -> pages.run(ctx, () -> commits(ctx, t, ns, n)));
        RepoRoutes.add(routes, HandlerType.GET, "/commit/{sha}",
                (ctx, t, ns, n) -> pages.run(ctx, () -> commit(ctx, t, ns, n)));
        RepoRoutes.add(routes, HandlerType.GET, "/compare/<rest>",
                (ctx, t, ns, n) -> pages.run(ctx, () -> compare(ctx, t, ns, n)));
    }

    private void commits(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = access.load(ctx, type, namespace, name);
        RawPath.RevisionAndPath at = RepoAccess.revisionPath(ctx, type);
        RepoViews.Header header = access.header(ctx, repo, "commits", at.revision());
        int page = Math.max(0, parseInt(ctx.queryParam("p")));
        try (Repository git = access.openGit(repo); RevWalk walk = new RevWalk(git)) {
            Revisions.Resolved resolved = Revisions.resolve(git, at.revision());
            walk.markStart(walk.parseCommit(resolved.commit()));
            if (!at.path().isEmpty()) {
                walk.setTreeFilter(AndTreeFilter.create(PathFilter.create(at.path()), TreeFilter.ANY_DIFF));
            }
            List<RepoViews.CommitRow> rows = new ArrayList<>();
            int skipped = 0;
            boolean more = false;
            for (RevCommit c : walk) {
                if (skipped < page * PAGE) {
                    skipped++;
                    continue;
                }
                if (rows.size() == PAGE) {
                    more = true;
                    break;
                }
                rows.add(row(c, header));
            }
            String self = header.commitsUrl() + (at.path().isEmpty() ? "" : "/" + Urls.path(at.path()));
            RepoViews.CommitsPage view = new RepoViews.CommitsPage(header, at.path(), rows,
                    page == 0 ? null : self + (page == 1 ? "" : "?p=" + (page - 1)),
                    more ? self + "?p=" + (page + 1) : null);
            pages.render(ctx, 200, "repo/commits.jte", Map.of("frame", Frame.of(ctx, "Commits · " + header.id()),
                    "page", view));
        }
    }

    private void commit(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = access.load(ctx, type, namespace, name);
        String sha = ctx.pathParam("sha");
        try (Repository git = access.openGit(repo); RevWalk walk = new RevWalk(git)) {
            Revisions.Resolved resolved = Revisions.resolve(git, sha);
            RevCommit commit = walk.parseCommit(resolved.commit());
            RepoViews.Header header = access.header(ctx, repo, "commits", commit.name());
            List<RepoViews.Link> parents = new ArrayList<>();
            for (RevCommit p : commit.getParents()) {
                parents.add(new RepoViews.Link(p.name().substring(0, 7), header.base() + "/commit/" + p.name()));
            }
            boolean[] truncated = {false};
            List<RepoViews.FileDiff> files = withoutContent(diff(git, walk, commit, header, truncated), header);
            String message = commit.getFullMessage().strip();
            int newline = message.indexOf('\n');
            RepoViews.CommitPage view = new RepoViews.CommitPage(header, commit.name(),
                    newline < 0 ? message : message.substring(0, newline),
                    newline < 0 ? "" : message.substring(newline + 1).strip(), commit.getAuthorIdent().getName(),
                    Dates.iso(commit.getCommitterIdent().getWhenAsInstant().toEpochMilli()), parents, files,
                    truncated[0], badge(commit));
            pages.render(ctx, 200, "repo/commit.jte", Map.of("frame", Frame.of(ctx, view.title() + " · "
                    + header.id()), "page", view));
        }
    }

    private RepoViews.CommitRow row(RevCommit c, RepoViews.Header header) {
        return new RepoViews.CommitRow(c.name(), c.name().substring(0, 7), c.getShortMessage(),
                c.getAuthorIdent().getName(), Dates.iso(c.getCommitterIdent().getWhenAsInstant().toEpochMilli()),
                header.base() + "/commit/" + c.name(), badge(c));
    }

    private RepoViews.@Nullable SignatureBadge badge(RevCommit c) {
        CommitSignatures.Verification v = signatures.verify(c);
        return v.state() == CommitSignatures.State.UNSIGNED ? null
                : new RepoViews.SignatureBadge(v.state() == CommitSignatures.State.VERIFIED, v.reason());
    }

    /** The commit against its first parent (an empty tree for the first commit), as unified diffs. */
    private static List<RepoViews.FileDiff> diff(Repository git, RevWalk walk, RevCommit commit,
                                                 RepoViews.Header header, boolean[] truncated) throws IOException {
        RevCommit parent = commit.getParentCount() == 0 ? null : walk.parseCommit(commit.getParent(0));
        return diff(git, parent, commit, header, truncated);
    }

    /** From {@code base} (null: the empty tree) to {@code head}, as unified diffs. */
    private static List<RepoViews.FileDiff> diff(Repository git, RevCommit base, RevCommit head,
                                                 RepoViews.Header header, boolean[] truncated) throws IOException {
        RevCommit commit = head;
        List<RepoViews.FileDiff> out = new ArrayList<>();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (ObjectReader reader = git.newObjectReader(); DiffFormatter formatter = new DiffFormatter(buffer)) {
            formatter.setRepository(git);
            formatter.setDetectRenames(true);
            formatter.setBinaryFileThreshold(MAX_DIFFED_FILE);
            AbstractTreeIterator before = base == null ? new EmptyTreeIterator() : tree(reader, base.getTree());
            List<DiffEntry> entries = formatter.scan(before, tree(reader, commit.getTree()));
            int linesLeft = MAX_LINES;
            for (DiffEntry entry : entries) {
                String path = entry.getChangeType() == DiffEntry.ChangeType.DELETE ? entry.getOldPath()
                        : entry.getNewPath();
                String view = entry.getChangeType() == DiffEntry.ChangeType.DELETE
                        ? header.base() + "/blob/" + base.name() + "/" + Urls.path(path)
                        : header.base() + "/blob/" + commit.name() + "/" + Urls.path(path);
                String oldPath = entry.getChangeType() == DiffEntry.ChangeType.RENAME
                        || entry.getChangeType() == DiffEntry.ChangeType.COPY ? entry.getOldPath() : null;
                String change = entry.getChangeType().name().toLowerCase(java.util.Locale.ROOT);
                if (out.size() >= MAX_FILES || linesLeft <= 0) {
                    truncated[0] = true;
                    out.add(new RepoViews.FileDiff(change, path, oldPath, List.of(), false, true, view));
                    continue;
                }
                buffer.reset();
                formatter.format(entry);
                List<RepoViews.DiffLine> lines = new ArrayList<>();
                boolean binary = false;
                boolean inHunk = false;
                boolean cut = false;
                for (String line : buffer.toString(StandardCharsets.UTF_8).split("\n")) {
                    if (line.startsWith("Binary files")) {
                        binary = true;
                    } else if (line.startsWith("@@")) {
                        inHunk = true;
                        lines.add(new RepoViews.DiffLine("hunk", line));
                    } else if (inHunk) {
                        String kind = line.startsWith("+") ? "add" : line.startsWith("-") ? "del" : "ctx";
                        lines.add(new RepoViews.DiffLine(kind, line));
                    }
                    if (lines.size() >= Math.min(MAX_LINES_PER_FILE, linesLeft)) {
                        cut = true;
                        break;
                    }
                }
                linesLeft -= lines.size();
                truncated[0] |= cut;
                out.add(new RepoViews.FileDiff(change, path, oldPath, lines, binary, cut, view));
            }
        }
        return out;
    }

    /** {@code /compare/{a}...{b}}: the commits on {@code b} that {@code a} lacks, and the diff from a to b. */
    private void compare(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = access.load(ctx, type, namespace, name);
        List<String> tail = RepoRoutes.rawTail(ctx, type, 1);
        String spec = String.join("/", tail.stream().map(RawPath::decode).toList());
        int dots = spec.indexOf("...");
        if (dots <= 0 || dots + 3 >= spec.length()) {
            throw new Errors.BadRequest("Compare two revisions as /compare/{base}...{head}");
        }
        String baseName = spec.substring(0, dots);
        String headName = spec.substring(dots + 3);
        RepoViews.Header header = access.header(ctx, repo, "commits", headName);
        try (Repository git = access.openGit(repo); RevWalk walk = new RevWalk(git)) {
            RevCommit base = walk.parseCommit(Revisions.resolve(git, baseName).commit());
            RevCommit head = walk.parseCommit(Revisions.resolve(git, headName).commit());
            walk.markStart(head);
            walk.markUninteresting(base);
            List<RepoViews.CommitRow> commits = new ArrayList<>();
            for (RevCommit c : walk) {
                if (commits.size() == 250) {
                    break;
                }
                commits.add(row(c, header));
            }
            boolean[] truncated = {false};
            List<RepoViews.FileDiff> files = withoutContent(diff(git, base, head, header, truncated), header);
            RepoViews.ComparePage view = new RepoViews.ComparePage(header, baseName, headName, commits, files,
                    truncated[0]);
            pages.render(ctx, 200, "repo/compare.jte", Map.of("frame", Frame.of(ctx, baseName + "..." + headName
                    + " · " + header.id()), "page", view));
        }
    }

    /** A gated repo's diffs name the files that changed but show no content to whoever is not let in. */
    private static List<RepoViews.FileDiff> withoutContent(List<RepoViews.FileDiff> files, RepoViews.Header header) {
        if (header.canDownload()) {
            return files;
        }
        return files.stream().map(f -> new RepoViews.FileDiff(f.change(), f.path(), f.oldPath(), List.of(), false,
                false, f.viewUrl())).toList();
    }

    private static CanonicalTreeParser tree(ObjectReader reader, ObjectId tree) throws IOException {
        CanonicalTreeParser parser = new CanonicalTreeParser();
        parser.reset(reader, tree);
        return parser;
    }

    private static int parseInt(String text) {
        if (text == null) {
            return 0;
        }
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new Errors.BadRequest("p must be a page number");
        }
    }
}
