package dev.atrium.api;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.ByteRange;
import dev.atrium.http.Errors;
import dev.atrium.http.RawPath;
import dev.atrium.http.RepoRoutes;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoPath;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Revisions;
import dev.atrium.repo.TreeReader;
import dev.atrium.storage.BlobStore;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLConnection;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.HttpOutput;
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
    private final FileSender sender;

    public ResolveApi(RepoLookup lookup, RepoService repoService, BlobStore blobs) {
        this.lookup = lookup;
        this.repoService = repoService;
        this.sender = new FileSender(blobs);
    }

    public void register(RoutesConfig routes) {
        for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.HEAD}) {
            RepoRoutes.add(routes, method, "/resolve/<rest>", (ctx, type, ns, name) -> serve(ctx, type, ns, name, true));
            RepoRoutes.add(routes, method, "/raw/<rest>", (ctx, type, ns, name) -> serve(ctx, type, ns, name, false));
        }
    }

    private void serve(Context ctx, RepoType type, String ns, String name, boolean resolveLfs) throws IOException {
        Repo repo = lookup.load(ctx, type, ns, name, AccessPolicy.Action.READ);
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
            ctx.header("X-Repo-Commit", sha);
            ctx.header("Accept-Ranges", "bytes");
            ctx.header("Content-Disposition", disposition(ctx, file.path()));
            ctx.header("Vary", "Origin, Range");
            if (file.lfs() != null && resolveLfs) {
                String etag = "\"" + file.lfs().oid().hex() + "\"";
                ctx.header("ETag", etag);
                ctx.header("X-Linked-Etag", etag);
                ctx.header("X-Linked-Size", String.valueOf(file.size()));
                ctx.contentType(contentType(file.path()));
                sender.sendBlob(ctx, file.lfs().oid(), file.size());
            } else {
                ctx.header("ETag", "\"" + file.oid() + "\"");
                ctx.contentType(file.lfs() != null ? "text/plain; charset=utf-8" : contentType(file.path()));
                ObjectLoader loader = git.open(ObjectId.fromString(file.oid()), Constants.OBJ_BLOB);
                sender.sendGitBlob(ctx, loader);
            }
        }
    }

    private static String disposition(Context ctx, String path) {
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        String ascii = fileName.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
        String kind = "true".equals(ctx.queryParam("download")) ? "attachment" : "inline";
        return kind + "; filename*=UTF-8''" + URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20")
                + "; filename=\"" + ascii + "\";";
    }

    /** Text is served as plain text whatever its extension: user content must never render as a page here. */
    static String contentType(String path) {
        String guessed = URLConnection.guessContentTypeFromName(path);
        if (guessed == null || guessed.startsWith("text/") || guessed.contains("html") || guessed.contains("xml")
                || guessed.contains("javascript") || guessed.contains("svg")) {
            return guessed == null ? "application/octet-stream" : "text/plain; charset=utf-8";
        }
        return guessed;
    }

    /** Streams content with Range support, never holding a whole file in memory. */
    static final class FileSender {
        private static final int BUFFER = 256 * 1024;
        /** One per server thread that has sent a blob; server threads are pooled, so these are few and reused. */
        private static final ThreadLocal<ByteBuffer> DIRECT_BUFFER =
                ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(BUFFER));
        private final BlobStore blobs;

        FileSender(BlobStore blobs) {
            this.blobs = blobs;
        }

        void sendBlob(Context ctx, dev.atrium.storage.Sha256 oid, long size) throws IOException {
            Optional<ByteRange> range = ByteRange.parse(ctx.header("Range"), size);
            long start = range.map(ByteRange::start).orElse(0L);
            long length = range.map(ByteRange::length).orElse(size);
            if (!blobs.contains(oid)) {
                throw new Errors.EntryNotFound("The content of this LFS file (" + oid + ") is not stored on this server");
            }
            writeHead(ctx, range, length, size);
            if (ctx.method() == HandlerType.HEAD) {
                return;
            }
            Optional<FileChannel> channel = blobs.channel(oid);
            if (channel.isPresent()) {
                try (FileChannel ch = channel.get()) {
                    OutputStream out = ctx.res().getOutputStream();
                    if (out instanceof HttpOutput jetty) {
                        sendCopied(ch, start, length, jetty);
                    } else {
                        copy(ch, start, length, out);
                    }
                }
            } else {
                try (InputStream in = blobs.open(oid, start)) {
                    copy(in, length, ctx.outputStream());
                }
            }
        }

        void sendGitBlob(Context ctx, ObjectLoader loader) throws IOException {
            long size = loader.getSize();
            Optional<ByteRange> range = ByteRange.parse(ctx.header("Range"), size);
            long start = range.map(ByteRange::start).orElse(0L);
            long length = range.map(ByteRange::length).orElse(size);
            writeHead(ctx, range, length, size);
            if (ctx.method() == HandlerType.HEAD) {
                return;
            }
            try (InputStream in = loader.openStream()) {
                in.skipNBytes(start);
                copy(in, length, ctx.outputStream());
            }
        }

        private static void writeHead(Context ctx, Optional<ByteRange> range, long length, long size) {
            if (range.isPresent()) {
                ctx.status(206);
                ctx.header("Content-Range", "bytes " + range.get().start() + "-" + range.get().endInclusive() + "/" + size);
            } else {
                ctx.status(200);
            }
            ctx.res().setContentLengthLong(length);
        }

        /**
         * Reads the file into a direct buffer of this thread's and hands that to Jetty: one copy into the buffer, one
         * out of it to the socket, no trip through the Java heap. (Mapping the file instead kept every mapped chunk
         * in the process until a GC collected its buffer: a server with {@code -Xmx256m} reached an RSS of 17 GB
         * after serving a 1 GiB file 38 times, and the mapped transfers were slower too.) Jetty's blocking write
         * has consumed the buffer when it returns, so the buffer can be refilled at once.
         */
        private static void sendCopied(FileChannel ch, long start, long length, HttpOutput out) throws IOException {
            ByteBuffer buffer = DIRECT_BUFFER.get();
            long position = start;
            long remaining = length;
            while (remaining > 0) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), remaining));
                int n = ch.read(buffer, position);
                if (n < 0) {
                    throw new IOException("blob shorter than its recorded size");
                }
                buffer.flip();
                out.write(buffer);
                position += n;
                remaining -= n;
            }
        }

        private static void copy(FileChannel ch, long start, long length, OutputStream out) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
            long position = start;
            long remaining = length;
            while (remaining > 0) {
                buffer.clear().limit((int) Math.min(BUFFER, remaining));
                int n = ch.read(buffer, position);
                if (n < 0) {
                    throw new IOException("blob shorter than its recorded size");
                }
                out.write(buffer.array(), 0, n);
                position += n;
                remaining -= n;
            }
        }

        private static void copy(InputStream in, long length, OutputStream out) throws IOException {
            byte[] buffer = new byte[BUFFER];
            long remaining = length;
            while (remaining > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                if (n < 0) {
                    throw new IOException("content shorter than its recorded size");
                }
                out.write(buffer, 0, n);
                remaining -= n;
            }
        }
    }
}
