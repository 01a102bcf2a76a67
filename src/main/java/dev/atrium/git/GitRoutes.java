package dev.atrium.git;

import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.RepoRoutes;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import org.eclipse.jgit.errors.PackProtocolException;
import org.eclipse.jgit.errors.UnpackException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ServiceMayNotContinueException;
import org.eclipse.jgit.transport.UploadPackInternalServerErrorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smart-HTTP URLs of every repo, {@code {prefix}{ns}/{name}[.git]/info/refs|git-upload-pack|git-receive-pack}:
 * access checks through {@link RepoLookup}, then {@link SmartHttp} streams the protocol. Fetching needs read access
 * (none for public repos); pushing needs write access, so an anonymous push is challenged and git retries with the
 * credentials from the URL or its credential helper.
 */
public final class GitRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(GitRoutes.class);

    private final RepoLookup lookup;
    private final RepoService repoService;
    private final SmartHttp smartHttp;

    public GitRoutes(RepoLookup lookup, RepoService repoService, SmartHttp smartHttp) {
        this.lookup = lookup;
        this.repoService = repoService;
        this.smartHttp = smartHttp;
    }

    public void register(RoutesConfig routes) {
        RepoRoutes.add(routes, HandlerType.GET, "/info/refs", this::infoRefs);
        RepoRoutes.add(routes, HandlerType.POST, "/git-upload-pack", (ctx, type, ns, name) ->
                service(ctx, type, ns, name, SmartHttp.Service.UPLOAD_PACK));
        RepoRoutes.add(routes, HandlerType.POST, "/git-receive-pack", (ctx, type, ns, name) ->
                service(ctx, type, ns, name, SmartHttp.Service.RECEIVE_PACK));
    }

    private void infoRefs(Context ctx, RepoType type, String namespace, String name) throws IOException {
        SmartHttp.Service service = SmartHttp.Service.of(ctx.queryParam("service")).orElseThrow(
                () -> new Errors.Forbidden("Only the smart HTTP protocol is supported; use git 1.6.6 or newer"));
        Repo repo = lookup.load(ctx, type, namespace, name, accessFor(service));
        noCache(ctx);
        ctx.status(200).contentType(service.advertisementType());
        try (Repository git = repoService.openGit(repo)) {
            OutputStream out = ctx.res().getOutputStream();
            smartHttp.advertise(git, repo, service, ctx.header("Git-Protocol"), Caller.of(ctx), out);
        }
    }

    private void service(Context ctx, RepoType type, String namespace, String name, SmartHttp.Service service)
            throws IOException {
        Repo repo = lookup.load(ctx, type, namespace, name, accessFor(service));
        String contentType = ctx.req().getContentType();
        if (!service.requestType().equals(contentType)) {
            throw new Errors.BadRequest("Expected Content-Type " + service.requestType() + ", got " + contentType);
        }
        noCache(ctx);
        ctx.status(200).contentType(service.resultType());
        try (Repository git = repoService.openGit(repo); InputStream in = requestBody(ctx)) {
            OutputStream out = ctx.res().getOutputStream();
            if (service == SmartHttp.Service.UPLOAD_PACK) {
                smartHttp.upload(git, ctx.header("Git-Protocol"), in, out);
            } else {
                smartHttp.receive(git, repo, Caller.required(ctx), in, out);
            }
            out.flush();
        } catch (ServiceMayNotContinueException e) {
            if (!e.isOutput()) {
                throw e.getStatusCode() == 400 ? new Errors.BadRequest(e.getMessage())
                        : new Errors.Forbidden(e.getMessage());
            }
            // JGit already told the client in protocol terms.
        } catch (UploadPackInternalServerErrorException | UnpackException | PackProtocolException e) {
            // Reported to the client inside the protocol stream; only the server log still needs it.
            LOG.warn("{} {} on {} failed: {}", ctx.method(), service.wireName(), repo.repoId(), e.getMessage());
        }
    }

    private static AccessPolicy.Action accessFor(SmartHttp.Service service) {
        return service == SmartHttp.Service.RECEIVE_PACK ? AccessPolicy.Action.COMMIT : AccessPolicy.Action.DOWNLOAD;
    }

    /** git compresses large negotiation requests; JGit reads the plain protocol. */
    private static InputStream requestBody(Context ctx) throws IOException {
        InputStream in = ctx.req().getInputStream();
        String encoding = ctx.header("Content-Encoding");
        if (encoding == null || encoding.isEmpty() || encoding.equalsIgnoreCase("identity")) {
            return in;
        }
        if (encoding.equalsIgnoreCase("gzip") || encoding.equalsIgnoreCase("x-gzip")) {
            return new GZIPInputStream(in, 1 << 16);
        }
        throw new Errors.BadRequest("Unsupported Content-Encoding " + encoding);
    }

    private static void noCache(Context ctx) {
        ctx.header("Cache-Control", "no-cache, max-age=0, must-revalidate");
        ctx.header("Pragma", "no-cache");
        ctx.header("Expires", "Fri, 01 Jan 1980 00:00:00 GMT");
    }
}
