package dev.atrium.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.repo.InvalidPathException;
import dev.atrium.repo.InvalidRepoIdException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure to a status, an {@code X-Error-Code} where the Hub sends one, and {@code {"error": ...}}. */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);
    /** Smart-HTTP git endpoints: git prints a text/plain error body to the user as {@code remote: ...}. */
    private static final Pattern GIT_PATH = Pattern.compile(".*/(info/refs|git-upload-pack|git-receive-pack)");
    private static final Pattern LFS_PATH = Pattern.compile(".*/info/lfs(/.*)?");
    private static final String CHALLENGE = "Basic realm=\"Atrium\"";
    /**
     * An error refused before the body was read (a bad hash in the path, an expired token) still reads and discards
     * this much of the body, so the client gets the error: closing a connection with unread data makes the kernel
     * send a reset, which can destroy the response before the client reads it. Larger bodies are cut off.
     */
    private static final long DRAIN_LIMIT = 64L << 20;

    private ErrorMapper() {}

    /** A {@link java.lang.Error} a handler threw (a class that failed to load, a stack overflow), as an exception. */
    static final class HandlerError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandlerError(Error error) {
            super(error.toString(), error);
        }
    }

    /**
     * Makes an Error a handler throws take the exceptions' path: logged with its request and answered with the JSON
     * 500 every other failure gets. Javalin handles Errors apart (a plain-text 500, logged without the request), and
     * a thread was once seen spinning in that path (docs/architecture.md, "Errors").
     */
    public static io.javalin.router.HandlerWrapper errorsAsExceptions() {
        return endpoint -> ctx -> {
            try {
                endpoint.handler.handle(ctx);
            } catch (Error e) {
                throw new HandlerError(e);
            }
        };
    }

    public static void register(RoutesConfig routes, BaseUrl baseUrl) {
        routes.exception(HubException.class,
                (e, ctx) -> write(ctx, e.status(), e.errorCode(), e.messageOn(baseUrl.of(ctx)), e.headers()));
        routes.exception(InvalidRepoIdException.class, (e, ctx) -> write(ctx, 400, "BadRequest", e.getMessage(), Map.of()));
        routes.exception(InvalidPathException.class, (e, ctx) -> write(ctx, 400, "BadRequest", e.getMessage(), Map.of()));
        // JGit's last line of defence on paths; RepoPath should refuse these first.
        routes.exception(org.eclipse.jgit.dircache.InvalidPathException.class,
                (e, ctx) -> write(ctx, 400, "BadRequest", e.getMessage(), Map.of()));
        routes.exception(Exception.class, (e, ctx) -> {
            if (outOfDiskSpace(e)) {
                LOG.error("{} {} failed: the disk under the data directory is full", ctx.method(), ctx.path(), e);
                write(ctx, 507, null, "The server is out of storage space; nothing was stored. Ask its "
                        + "administrator to free space, then try again.", Map.of());
                return;
            }
            if (causedBy(e, dev.atrium.storage.UploadsBusy.class)) {
                LOG.warn("{} {} waited too long for upload memory: {}", ctx.method(), ctx.path(), e.getMessage());
                write(ctx, 503, null, "The hub is receiving as many uploads as its memory allows; nothing was stored."
                        + " Try again in a moment.", Map.of("Retry-After", "10"));
                return;
            }
            if (objectStorageUnavailable(e)) {
                LOG.error("{} {} failed: the object storage did not answer", ctx.method(), ctx.path(), e);
                write(ctx, 503, null, "The storage behind this hub did not answer; nothing was changed. Try again"
                        + " in a moment.", Map.of("Retry-After", "30"));
                return;
            }
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            Throwable shown = e instanceof HandlerError ? e.getCause() : e;
            write(ctx, 500, null, "Internal error: " + shown.getClass().getSimpleName(), Map.of());
        });
        routes.error(404, ctx -> {
            String type = ctx.res().getContentType();
            // A JSON error or a page's own 404 page is already the answer; only an unmatched route needs one.
            if (type != null && (type.startsWith("application/json") || type.startsWith("text/html"))) {
                return;
            }
            var legacyRepo = NamespacelessRepoPaths.repoId(ctx.path());
            if (legacyRepo.isPresent()) {
                HubException missing = new Errors.RepoNotFound(Caller.of(ctx) == null);
                write(ctx, missing.status(), missing.errorCode(), missing.getMessage(), Map.of());
                return;
            }
            write(ctx, 404, null, "Not found: " + ctx.method() + " " + ctx.path(), Map.of());
        });
    }

    /**
     * Whether {@code e} or a cause is the kernel's ENOSPC. Java gives it no type of its own, only strerror's text;
     * a full disk is the failure a self-hosted server is likeliest to meet, and deserves better than "Internal
     * error: IOException" (which clients also retry, in vain).
     */
    static boolean outOfDiskSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.IOException && t.getMessage() != null
                    && t.getMessage().contains("No space left on device")) {
                return true;
            }
        }
        return false;
    }

    static boolean objectStorageUnavailable(Throwable e) {
        return causedBy(e, dev.atrium.storage.ObjectStorageUnavailable.class);
    }

    static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The message as an {@code X-Error-Message} header, which the Python client shows with the error: the only
     * place it can read one on a HEAD, which {@code hf_hub_download} sends first. Headers are Latin-1 and one line,
     * so a message that is not printable ASCII goes as a header only on a HEAD (its other characters as '?'); with a
     * body, the body carries it whole.
     */
    static java.util.Optional<String> headerMessage(boolean head, String message) {
        if (message == null || message.isBlank()) {
            return java.util.Optional.empty();
        }
        String shortened = message.length() > 1000 ? message.substring(0, 1000) + "..." : message;
        boolean printable = shortened.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
        if (printable) {
            return java.util.Optional.of(shortened);
        }
        if (!head) {
            return java.util.Optional.empty();
        }
        StringBuilder out = new StringBuilder(shortened.length());
        shortened.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return java.util.Optional.of(out.toString());
    }

    private static void drainBody(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared == 0 || declared > DRAIN_LIMIT) {
            return;
        }
        try {
            java.io.InputStream in = ctx.req().getInputStream();
            byte[] buffer = new byte[64 * 1024];
            long left = DRAIN_LIMIT;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= n;
            }
        } catch (java.io.IOException | IllegalStateException e) {
            // The client went away, or the body was read through a reader: nothing left to drain.
        }
    }

    public static void write(Context ctx, int status, String code, String message, Map<String, String> headers) {
        if (ctx.res().isCommitted()) {
            return; // a streamed response already started: the connection is cut, which the client detects
        }
        headers.forEach(ctx::header);
        if (code != null) {
            ctx.header("X-Error-Code", code);
        }
        headerMessage("HEAD".equals(ctx.method().name()), message).ifPresent(text -> {
            if (!headers.containsKey("X-Error-Message")) {
                ctx.header("X-Error-Message", text);
            }
        });
        drainBody(ctx);
        boolean git = GIT_PATH.matcher(ctx.path()).matches();
        boolean lfs = !git && LFS_PATH.matcher(ctx.path()).matches();
        if (status == 401 && (git || lfs)) {
            // git and git-lfs send credentials (from the URL or a credential helper) only after a challenge.
            ctx.header("WWW-Authenticate", CHALLENGE);
            ctx.header("LFS-Authenticate", CHALLENGE);
        }
        if (git) {
            ctx.status(status).contentType("text/plain; charset=utf-8").result(message + "\n");
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("error", message);
        if (lfs) {
            body.put("message", message); // what git-lfs shows the user
        }
        Json.send(ctx, status, body);
    }
}
