package dev.atrium.api;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.ByteRange;
import dev.atrium.usage.Bandwidth;
import dev.atrium.http.BlobResponses;
import dev.atrium.http.Errors;
import dev.atrium.lfs.RepoLargeFiles;
import dev.atrium.http.RawPath;
import dev.atrium.http.RepoRoutes;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.search.DownloadCounter;
import dev.atrium.repo.RepoPath;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Revisions;
import dev.atrium.repo.TreeReader;
import dev.atrium.storage.BlobStore;
import dev.atrium.storage.Sha256;
import dev.atrium.xet.cas.XetContent;
import dev.atrium.xet.cas.XetStore;
import dev.atrium.xet.shard.FileReconstruction;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.net.URLConnection;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Repository;

/**
 * {@code resolve/{rev}/{path}} (the file's content; for LFS files the large object) and {@code raw/{rev}/{path}}
 * (the git blob as stored; for LFS files the pointer). Answered directly, never by redirect, with the headers
 * {@code hf_hub_download} reads: X-Repo-Commit, ETag, X-Linked-Etag and X-Linked-Size for LFS files.
 */
public final class ResolveApi {
    private final RepoLookup lookup;
    private final RepoService repoService;
    private final BlobResponses responses;

    private final BlobStore blobs;
    private final XetStore xetStore;
    private final XetContent xetContent;
    private final RepoLargeFiles largeFiles;
    private final BaseUrl baseUrl;
    private final DownloadCounter downloads;
    private final Bandwidth bandwidth;

    public ResolveApi(RepoLookup lookup, RepoService repoService, BlobStore blobs, XetStore xetStore,
                      XetContent xetContent, RepoLargeFiles largeFiles, BaseUrl baseUrl, DownloadCounter downloads,
                      Bandwidth bandwidth) {
        this.lookup = lookup;
        this.repoService = repoService;
        this.responses = new BlobResponses(blobs);
        this.blobs = blobs;
        this.xetStore = xetStore;
        this.xetContent = xetContent;
        this.largeFiles = largeFiles;
        this.baseUrl = baseUrl;
        this.downloads = downloads;
        this.bandwidth = bandwidth;
    }

    public void register(RoutesConfig routes) {
        for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.HEAD}) {
            RepoRoutes.add(routes, method, "/resolve/<rest>", (ctx, type, ns, name) -> serve(ctx, type, ns, name, true));
            RepoRoutes.add(routes, method, "/raw/<rest>", (ctx, type, ns, name) -> serve(ctx, type, ns, name, false));
        }
    }

    private void serve(Context ctx, RepoType type, String ns, String name, boolean resolveLfs) throws IOException {
        Repo repo = lookup.load(ctx, type, ns, name, AccessPolicy.Action.DOWNLOAD);
        RawPath.RevisionAndPath target = RawPath.revisionAndPath(RepoRoutes.rawTail(ctx, type, 1));
        try (Repository git = repoService.openGit(repo)) {
            Revisions.Resolved resolved = Revisions.resolve(git, target.revision());
            String sha = resolved.sha();
            Optional<String> problem = RepoPath.validate(target.path());
            Optional<FileEntry> entry = problem.isPresent() ? Optional.empty()
                    : TreeReader.find(git, resolved.commit(), RepoPath.normalize(target.path()));
            if (entry.isEmpty() || entry.get().isDirectory()) {
                throw new Errors.EntryNotFound("Entry not found: " + target.path() + " does not exist at " + sha, sha);
            }
            FileEntry file = entry.get();
            if (resolveLfs && file.lfs() != null && !largeFiles.holds(repo.id(), file.lfs().oid())) {
                throw new Errors.EntryNotFound("Entry not found: the content of " + target.path()
                        + " was permanently deleted from this repository", sha);
            }
            downloads.onFileRequest(repo, file.path(), ctx.method() == HandlerType.GET, ctx.header("Range"));
            if (ctx.method() == HandlerType.GET) {
                // raw serves an LFS file's pointer, resolve its content
                long size = file.lfs() != null && !resolveLfs ? file.pointerSize() : file.size();
                bandwidth.served(repo.repoId().namespace(), ByteRange.parse(ctx.header("Range"), size)
                        .map(ByteRange::length).orElse(size));
            }
            ctx.header("X-Repo-Commit", sha);
            ctx.header("Accept-Ranges", "bytes");
            String disposition = disposition(ctx, file.path());
            ctx.header("Content-Disposition", disposition);
            ctx.header("Vary", "Origin, Range");
            // Opened directly in a browser, a file runs nothing on this origin (an SVG's script, say). A PDF is left
            // to the browser's viewer, which runs apart from the page's origin and refuses sandboxed documents.
            if (!file.path().toLowerCase(java.util.Locale.ROOT).endsWith(".pdf")) {
                ctx.header("Content-Security-Policy", "sandbox; default-src 'none'; img-src 'self' data:;"
                        + " style-src 'unsafe-inline'");
            }
            ctx.header("X-Content-Type-Options", "nosniff");
            if (file.lfs() != null && resolveLfs) {
                String etag = "\"" + file.lfs().oid().hex() + "\"";
                ctx.header("ETag", etag);
                ctx.header("X-Linked-Etag", etag);
                ctx.header("X-Linked-Size", String.valueOf(file.size()));
                ctx.contentType(contentType(file.path()));
                sendLfsContent(ctx, repo, sha, file, disposition);
            } else {
                ctx.header("ETag", "\"" + file.oid() + "\"");
                ctx.contentType(file.lfs() != null ? "text/plain; charset=utf-8" : contentType(file.path()));
                ObjectLoader loader = git.open(ObjectId.fromString(file.oid()), Constants.OBJ_BLOB);
                BlobResponses.sendGitBlob(ctx, loader);
            }
        }
    }

    /**
     * An LFS file's content: the stored blob, or, for a file uploaded through Xet, a reconstruction from its chunks.
     * A Xet file (uploaded through Xet, or an LFS upload converted since) is announced with the headers that let Xet
     * clients fetch the chunks themselves (hub-api.md §8.6).
     */
    private void sendLfsContent(Context ctx, Repo repo, String sha, FileEntry file, String disposition)
            throws IOException {
        Sha256 oid = file.lfs().oid();
        Optional<XetStore.XetFile> xet = xetStore.fileBySha256(repo.id(), oid);
        Optional<BlobStore.DirectDownload> direct = blobs.directDownload(oid, disposition)
                .filter(d -> d.leaves(baseUrl.of(ctx)));
        // Asked once, and only when it decides something: sendBlob finds a missing blob by itself.
        boolean stored = xet.isEmpty() && direct.isEmpty() || blobs.contains(oid);
        if (xet.isPresent()) {
            ctx.header("X-Xet-Hash", xet.get().fileHash().hex());
            ctx.header("Link", "<" + baseUrl.of(ctx) + "/api/" + repo.type().plural() + "/" + repo.repoId()
                    + "/xet-read-token/" + sha + ">; rel=\"xet-auth\"");
            if (!stored) {
                // Only chunks hold it (uploaded through Xet): rebuilt; otherwise the blob is the cheaper read.
                FileReconstruction chunks = xetStore.file(xet.get().fileHash(), repo.id()).orElseThrow();
                BlobResponses.sendContent(ctx, file.size(), (offset, length, out) ->
                        xetContent.write(chunks, offset, length, out));
                return;
            }
        }
        if (direct.isPresent() && stored) {
            // Object storage serves the bytes itself, as the Hub's CDN does: the size and etag headers above are what
            // the clients read from this answer (hub-api.md §7.1); they fetch the URL without their token.
            ctx.status(302);
            ctx.header("Location", direct.get().url().toString());
            return;
        }
        responses.sendBlob(ctx, oid, file.size());
    }

    private static String disposition(Context ctx, String path) {
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        String ascii = fileName.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
        String kind = "true".equals(ctx.queryParam("download")) ? "attachment" : "inline";
        return kind + "; filename*=UTF-8''" + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20")
                + "; filename=\"" + ascii + "\";";
    }

    /**
     * Text is served as plain text whatever its extension: user content must never render as a page here. SVG keeps
     * its type so cards can show it as an image; the sandboxing CSP stops its scripts when it is opened directly.
     */
    static String contentType(String path) {
        if (path.toLowerCase(java.util.Locale.ROOT).endsWith(".svg")) {
            return "image/svg+xml";
        }
        String guessed = URLConnection.guessContentTypeFromName(path);
        if (guessed == null || guessed.startsWith("text/") || guessed.contains("html") || guessed.contains("xml")
                || guessed.contains("javascript") || guessed.contains("svg")) {
            return guessed == null ? "application/octet-stream" : "text/plain; charset=utf-8";
        }
        return guessed;
    }
}
