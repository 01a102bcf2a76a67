package dev.atrium.web;

import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.discussion.Discussions;
import dev.atrium.http.Caller;
import dev.atrium.http.RawPath;
import dev.atrium.http.RepoRoutes;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.mirror.MirrorServices;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.search.Counters;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.List;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;

/**
 * What the repo pages share: finding the repo through the one permission check the API and git use (so a private
 * repo is a 404 page to everyone else), the header every tab shows, and reading a file's first bytes.
 */
final class RepoAccess {
    private final RepoLookup lookup;
    private final RepoService repoService;
    private final LfsObjects lfs;
    private final Counters counters;
    private final AccessPolicy policy;
    private final CloneCommands clone;
    private final Discussions discussions;
    private final MirrorServices mirrors;

    RepoAccess(RepoLookup lookup, RepoService repoService, LfsObjects lfs, Counters counters, AccessPolicy policy,
               CloneCommands clone, Discussions discussions, MirrorServices mirrors) {
        this.mirrors = mirrors;
        this.clone = clone;
        this.discussions = discussions;
        this.lookup = lookup;
        this.repoService = repoService;
        this.lfs = lfs;
        this.counters = counters;
        this.policy = policy;
    }

    Repo load(Context ctx, RepoType type, String namespace, String name) {
        return lookup.load(ctx, type, namespace, name, AccessPolicy.Action.READ);
    }

    Repository openGit(Repo repo) {
        return repoService.openGit(repo);
    }

    /** Whether the viewer may see the repo's files' content (a gated repo's: once let in). */
    boolean canDownload(Context ctx, Repo repo) {
        return policy.canDownload(Caller.of(ctx), repo);
    }

    RepoViews.Header header(Context ctx, Repo repo, String tab, String revision) {
        long likes = counters.snapshot(repo.id()).map(Counters.Snapshot::likes).orElse(0L);
        Principal viewer = Caller.of(ctx);
        boolean signedIn = Caller.session(ctx) != null;
        Boolean liked = viewer == null || !signedIn ? null : counters.likedAt(viewer.user().id(), repo).isPresent();
        boolean canWrite = signedIn && policy.canWrite(viewer, repo);
        return new RepoViews.Header(repo.type().singular(), repo.repoId().toString(), repo.repoId().namespace(),
                repo.repoId().name(), "/" + repo.type().urlPrefix() + repo.repoId(), repo.isPrivate(), likes, liked,
                canWrite, signedIn && !canWrite && policy.canContribute(viewer, repo), policy.canDownload(viewer, repo),
                "/api/" + repo.type().plural() + "/" + repo.repoId(), tab, revision, clone.of(ctx, repo),
                discussions.openCount(repo.id()), mirrorLine(ctx, repo, canWrite).orElse(null));
    }

    private java.util.Optional<RepoViews.MirrorLine> mirrorLine(Context ctx, Repo repo, boolean canWrite) {
        return mirrors.mirrors().find(repo.id()).map(m -> {
            String state;
            if (mirrors.sync().isRunning(repo.id())) {
                state = m.importing() ? "Importing now" : "Syncing now";
            } else if (m.lastError() != null) {
                state = (m.importing() ? "The import failed: " : "The last sync failed: ") + m.lastError();
            } else if (m.importing()) {
                state = "Importing: the files arrive shortly";
            } else {
                state = "Synced " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
                        .format(Instant.ofEpochMilli(m.lastSyncAt()).atOffset(ZoneOffset.UTC));
            }
            return new RepoViews.MirrorLine(m.source().pageUrl(), state, m.lastError() != null,
                    canWrite ? "/" + repo.urlPath() + "/mirror/sync" : null,
                    canWrite ? Caller.session(ctx).csrf() : null);
        });
    }

    /** Up to {@code limit} bytes of a file: the git blob, or for an LFS file the object it points to. */
    byte[] read(Repository git, Repo repo, FileEntry file, int limit) throws IOException {
        return lfs.readStart(git, repo, file, limit);
    }

    /** Up to {@code limit} bytes of a git blob as stored (an LFS file's pointer, not its content). */
    static byte[] readBlob(Repository git, String oid, int limit) throws IOException {
        ObjectLoader loader = git.open(ObjectId.fromString(oid), Constants.OBJ_BLOB);
        try (InputStream in = loader.openStream()) {
            return in.readNBytes(limit);
        }
    }

    /**
     * The revision and path after a tab's segment ({@code tree}, {@code blob}, ...), read as the resolve URLs are;
     * without them, the default branch's root.
     */
    static RawPath.RevisionAndPath revisionPath(Context ctx, RepoType type) {
        List<String> tail = RepoRoutes.rawTail(ctx, type, 1).stream().filter(s -> !s.isEmpty()).toList();
        return tail.isEmpty() ? new RawPath.RevisionAndPath("main", "") : RawPath.revisionAndPath(tail);
    }
}
