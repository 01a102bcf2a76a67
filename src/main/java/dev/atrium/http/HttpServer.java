package dev.atrium.http;

import dev.atrium.auth.Authenticator;
import dev.atrium.auth.Sessions;
import dev.atrium.metrics.RequestMetrics;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.compression.CompressionStrategy;
import io.javalin.router.Endpoint;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.http.UriCompliance;

/** The Javalin/Jetty server: cross-cutting request handling, then the feature modules' routes. */
public final class HttpServer {
    private static final org.slf4j.Logger ACCESS = org.slf4j.LoggerFactory.getLogger("atrium.access");
    private final Javalin app;

    public HttpServer(String host, int port, Authenticator authenticator, RequestMetrics metrics, BaseUrl baseUrl,
                      TrustedProxies proxies, List<Consumer<RoutesConfig>> modules) {
        this.app = Javalin.create(config -> {
            config.jetty.host = host;
            config.jetty.port = port;
            config.startup.showJavalinBanner = false;
            // Downloads are mostly compressed binaries; compressing would also hide the sizes clients check.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.maxRequestSize = 16L << 20;
            config.router.ignoreTrailingSlashes = true;
            config.router.handlerWrapper(ErrorMapper.errorsAsExceptions());
            // Clients percent-encode '/' inside revisions and paths (refs%2Fpr%2F1); Jetty 12 rejects that by default.
            config.jetty.modifyHttpConfiguration(http -> {
                http.setUriCompliance(UriCompliance.LEGACY);
                http.setSendServerVersion(false);
                // Request bodies are read from the socket in buffers of this size, and uploads reach the blob store
                // in pieces of it: Jetty's 8 KiB default cost an LFS upload a read and a file write per 8 KiB.
                http.setInputBufferSize(64 * 1024);
            });
            config.routes.before(ctx -> {
                // The headers are read only from a trusted proxy: for everyone else the peer is the client.
                java.net.InetAddress peer = ClientAddress.peer(ctx);
                ctx.attribute(ClientAddress.ATTRIBUTE, proxies.trusts(peer)
                        ? proxies.client(peer, java.util.Collections.list(ctx.req().getHeaders("X-Forwarded-For")))
                        : peer);
                String trace = ctx.header("X-Amzn-Trace-Id");
                if (trace != null && trace.length() < 200) {
                    ctx.header("X-Request-Id", trace);
                }
                // The CAS endpoints carry Xet access tokens, not hub tokens; they check them themselves.
                if (!ctx.path().startsWith("/cas/")) {
                    var caller = authenticator.authenticate(ctx.header("Authorization"), ctx.cookie(Sessions.COOKIE));
                    ctx.attribute(Caller.ATTRIBUTE, caller.map(Authenticator.Authenticated::principal).orElse(null));
                    var session = caller.map(Authenticator.Authenticated::session);
                    if (session.isPresent()) {
                        ctx.attribute(Caller.SESSION, session.get());
                        requireCsrfToken(ctx, session.get());
                    }
                }
            });
            // Path only: query strings carry LFS transfer signatures, which must not end up in logs. The client's
            // address last, so that a line's other fields keep their places.
            config.requestLogger.http((ctx, ms) -> {
                ACCESS.info("{} {} {} {}ms {}", ctx.method(), ctx.req().getRequestURI(), ctx.statusCode(),
                        ms.longValue(), ClientAddress.of(ctx).getHostAddress());
                // By the route's pattern: the series stay as few as the routes, and carry no repo names.
                Endpoint matched = ctx.endpoints().lastHttpEndpoint();
                metrics.record(ctx.method().name(), matched == null ? null : matched.path, ctx.statusCode(),
                        ms.doubleValue() / 1000);
            });
            ErrorMapper.register(config.routes, baseUrl);
            modules.forEach(module -> module.accept(config.routes));
        });
    }

    /**
     * A request that changes something and rides on the session cookie must carry the session's CSRF token (form
     * field {@code csrf}, or header {@code X-CSRF-Token} from scripts): another site can make a browser send the
     * cookie, not read the token.
     */
    private static void requireCsrfToken(io.javalin.http.Context ctx, Sessions.Session session) {
        String method = ctx.method().name();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return;
        }
        String sent = ctx.header("X-CSRF-Token");
        String type = ctx.contentType();
        if (sent == null && type != null && type.startsWith("application/x-www-form-urlencoded")) {
            sent = ctx.formParam("csrf");
        }
        if (!Sessions.csrfMatches(session, sent)) {
            throw new Errors.Forbidden("This form has expired or did not come from this site: reload the page");
        }
    }

    public HttpServer start() {
        app.start();
        return this;
    }

    public int port() {
        return app.port();
    }

    public void stop() {
        app.stop();
    }
}
