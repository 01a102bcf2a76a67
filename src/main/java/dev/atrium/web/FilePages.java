package dev.atrium.web;

import dev.atrium.http.Errors;
import dev.atrium.http.RawPath;
import dev.atrium.http.RepoRoutes;
import dev.atrium.http.Dates;
import dev.atrium.http.Pagination;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.LastCommits;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Revisions;
import dev.atrium.repo.TreeNode;
import dev.atrium.repo.TreeReader;
import dev.atrium.scan.PickleScanner;
import dev.atrium.scan.FileScans;
import dev.atrium.scan.FileSecurity;
import dev.atrium.scan.VirusScans;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.jspecify.annotations.Nullable;

/**
 * The files tab: a folder at any branch, tag or commit ({@code /tree/{rev}/{path}}) and one file with line numbers
 * or its summary ({@code /blob/{rev}/{path}}). Its bytes come from the API's {@code /raw} and {@code /resolve}.
 */
public final class FilePages {
    /** Text files up to this size are shown inline; larger ones get a summary and the links. */
    private static final int MAX_SHOWN = 512 * 1024;
    /** A folder of 100,000 files is shown this many at a time, as the Hub does. */
    private static final int ROWS_PER_PAGE = 100;
    /** A page's last commits are looked for this far back; older ones are left blank rather than wait for. */
    private static final int MAX_COMMITS_WALKED = 20_000;
    private static final Set<String> IMAGES = Set.of("png", "jpg", "jpeg", "gif", "webp", "svg", "bmp", "ico");

    private final Pages pages;
    private final RepoAccess access;
    private final FileScans scans;

    FilePages(Pages pages, RepoAccess access, FileScans scans) {
        this.scans = scans;
        this.pages = pages;
        this.access = access;
    }

    void register(RoutesConfig routes) {
        RepoRoutes.add(routes, HandlerType.GET, "/tree/<rest>",
                (ctx, t, ns, n) -> pages.run(ctx, () -> tree(ctx, t, ns, n)));
        RepoRoutes.add(routes, HandlerType.GET, "/blob/<rest>",
                (ctx, t, ns, n) -> pages.run(ctx, () -> blob(ctx, t, ns, n)));
    }

    private void tree(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = access.load(ctx, type, namespace, name);
        RawPath.RevisionAndPath at = RepoAccess.revisionPath(ctx, type);
        RepoViews.Header header = access.header(ctx, repo, "files", at.revision());
        try (Repository git = access.openGit(repo)) {
            Revisions.Resolved resolved = Revisions.resolve(git, at.revision());
            if (!at.path().isEmpty()) {
                FileEntry folder = TreeReader.find(git, resolved.commit(), at.path())
                        .orElseThrow(() -> new Errors.EntryNotFound(at.path()));
                if (!folder.isDirectory()) {
                    ctx.redirect(header.blobUrl(at.path()));
                    return;
                }
            }
            List<TreeNode> children = new ArrayList<>(TreeReader.children(git, resolved.commit(), at.path()));
            children.sort(Comparator.comparing((TreeNode e) -> !e.isDirectory()).thenComparing(TreeNode::path));
            int offset = Math.min(Pagination.intParam(ctx, "offset", 0, Integer.MAX_VALUE), children.size());
            List<FileEntry> entries = TreeReader.entries(git,
                    children.subList(offset, Math.min(children.size(), offset + ROWS_PER_PAGE)));
            List<String> asked = new ArrayList<>(entries.stream().map(FileEntry::path).toList());
            if (!at.path().isEmpty()) {
                asked.add(at.path());
            }
            Map<String, RevCommit> lastCommits = LastCommits.of(git, resolved.commit(), asked, MAX_COMMITS_WALKED);
            Map<String, FileSecurity> security = scans.ofFiles(repo, entries);
            List<RepoViews.TreeRow> rows = new ArrayList<>();
            for (FileEntry e : entries) {
                String leaf = e.path().substring(e.path().lastIndexOf('/') + 1);
                String href = e.isDirectory() ? header.treeUrl(e.path()) : header.blobUrl(e.path());
                rows.add(new RepoViews.TreeRow(leaf, href, e.isDirectory(),
                        e.isDirectory() ? "" : Numbers.bytes(e.size()), e.lfs() != null,
                        pickleStatus(security.get(e.path())),
                        security.containsKey(e.path()) && security.get(e.path()).virus() != null
                                && security.get(e.path()).virus().virusFound(),
                        lastCommit(header, lastCommits.get(e.path()))));
            }
            RevCommit folderCommit = at.path().isEmpty() ? resolved.commit() : lastCommits.get(at.path());
            String here = ctx.path();
            RepoViews.Pager pager = new RepoViews.Pager(offset + 1, offset + rows.size(), children.size(),
                    offset == 0 ? null : here + "?offset=" + Math.max(0, offset - ROWS_PER_PAGE),
                    offset + rows.size() < children.size() ? here + "?offset=" + (offset + rows.size()) : null);
            List<String> branches = names(git, Constants.R_HEADS);
            List<String> tags = names(git, Constants.R_TAGS);
            RepoViews.TreePage page = new RepoViews.TreePage(header, at.path(), crumbs(header, at.path()), rows,
                    branches, tags, lastCommit(header, folderCommit), pager);
            pages.render(ctx, 200, "repo/tree.jte", Map.of("frame", Frame.of(ctx, header.id()), "page", page));
        }
    }

    private void blob(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = access.load(ctx, type, namespace, name);
        RawPath.RevisionAndPath at = RepoAccess.revisionPath(ctx, type);
        RepoViews.Header header = access.header(ctx, repo, "files", at.revision());
        try (Repository git = access.openGit(repo)) {
            Revisions.Resolved resolved = Revisions.resolve(git, at.revision());
            FileEntry file = TreeReader.find(git, resolved.commit(), at.path())
                    .orElseThrow(() -> new Errors.EntryNotFound(at.path()));
            if (file.isDirectory()) {
                ctx.redirect(header.treeUrl(at.path()));
                return;
            }
            String extension = extension(at.path());
            List<String> lines = null;
            String imageUrl = null;
            String summary = null;
            String pdfUrl = null;
            if (!header.canDownload()) {
                summary = "This repo is gated: its files are shared with people the owners let in. Request access"
                        + " on the repo's page.";
            } else if (IMAGES.contains(extension)) {
                imageUrl = header.resolveUrl(at.path());
            } else if (extension.equals("pdf")) {
                pdfUrl = header.resolveUrl(at.path());
                summary = "PDF document (" + Numbers.bytes(file.size()) + ").";
            } else if (file.lfs() != null) {
                summary = "This file is stored with Git LFS (" + Numbers.bytes(file.size()) + "). It is too big to"
                        + " display, but you can still download it.";
            } else if (file.size() > MAX_SHOWN) {
                summary = "This file is too big to display (" + Numbers.bytes(file.size()) + ").";
            } else {
                byte[] bytes = RepoAccess.readBlob(git, file.oid(), MAX_SHOWN);
                if (isBinary(bytes)) {
                    summary = "This is a binary file (" + Numbers.bytes(file.size()) + ").";
                } else {
                    lines = List.of(new String(bytes, StandardCharsets.UTF_8).split("\r?\n", -1));
                    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                        lines = lines.subList(0, lines.size() - 1);
                    }
                }
            }
            FileSecurity security = scans.ofFiles(repo, List.of(file)).get(file.path());
            RepoViews.BlobPage page = new RepoViews.BlobPage(header, at.path(), crumbs(header, at.path()),
                    Numbers.bytes(file.size()), lines, imageUrl, pdfUrl, summary,
                    file.lfs() == null ? null : file.lfs().oid().hex(), Numbers.bytes(file.pointerSize()),
                    language(extension),
                    header.rawUrl(at.path()), header.resolveUrl(at.path()) + "?download=true",
                    header.base() + "/commits/" + Urls.segment(at.revision()) + "/" + Urls.path(at.path()),
                    pickleView(security), virusView(security));
            pages.render(ctx, 200, "repo/blob.jte", Map.of("frame", Frame.of(ctx, at.path() + " · " + header.id()),
                    "page", page));
        }
    }

    /** The pickle scan's own status: the file's status leaves out what the virus scan says. */
    private static String pickleStatus(FileSecurity security) {
        if (security == null || !security.pickleWanted()) {
            return null;
        }
        return new FileSecurity(true, security.pickle(), false, null).status();
    }

    private static RepoViews.PickleView pickleView(FileSecurity security) {
        String status = pickleStatus(security);
        if (status == null) {
            return null;
        }
        PickleScanner.Result result = security.pickle();
        return new RepoViews.PickleView(status, result == null ? List.of() : result.imports(),
                result == null ? null : result.problem());
    }

    private static RepoViews.VirusView virusView(FileSecurity security) {
        if (security == null || !security.virusWanted()) {
            return null;
        }
        VirusScans.Result result = security.virus();
        return result == null ? new RepoViews.VirusView("queued", List.of())
                : new RepoViews.VirusView(result.outcome().name().toLowerCase(java.util.Locale.ROOT), result.names());
    }

    private static List<String> names(Repository git, String prefix) throws IOException {
        List<String> out = new ArrayList<>();
        for (Ref ref : git.getRefDatabase().getRefsByPrefix(prefix)) {
            out.add(ref.getName().substring(prefix.length()));
        }
        return out;
    }

    private static RepoViews.@Nullable LastCommit lastCommit(RepoViews.Header header, @Nullable RevCommit commit) {
        if (commit == null) {
            return null;
        }
        return new RepoViews.LastCommit(commit.getShortMessage(), commit.getAuthorIdent().getName(),
                commit.abbreviate(7).name(), header.commitUrl(commit.name()),
                Dates.iso(commit.getCommitterIdent().getWhenAsInstant().toEpochMilli()));
    }

    static List<RepoViews.Link> crumbs(RepoViews.Header header, String path) {
        List<RepoViews.Link> out = new ArrayList<>();
        out.add(new RepoViews.Link(header.name(), header.treeUrl("")));
        if (path.isEmpty()) {
            return out;
        }
        String[] parts = path.split("/");
        StringBuilder at = new StringBuilder();
        for (String part : parts) {
            at.append(at.length() == 0 ? "" : "/").append(part);
            out.add(new RepoViews.Link(part, header.treeUrl(at.toString())));
        }
        return out;
    }

    static String extension(String path) {
        String leaf = path.substring(path.lastIndexOf('/') + 1);
        int dot = leaf.lastIndexOf('.');
        return dot < 0 ? leaf.toLowerCase(Locale.ROOT) : leaf.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** The highlighter's grammar for a file, by its extension; "plain" when it has none. */
    static String language(String extension) {
        return switch (extension) {
            case "py" -> "python";
            case "json", "jsonl" -> "json";
            case "yaml", "yml" -> "yaml";
            case "md" -> "markdown";
            case "sh", "bash" -> "bash";
            case "js", "mjs", "ts" -> "javascript";
            default -> "plain";
        };
    }

    /** Git's own test: a NUL byte in the first 8000 bytes. */
    static boolean isBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }
}
