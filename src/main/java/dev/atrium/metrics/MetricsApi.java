package dev.atrium.metrics;

import dev.atrium.auth.Principal;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import io.javalin.config.RoutesConfig;

/**
 * {@code GET /metrics}, for Prometheus: for the hub's administrators only (a token of an admin account, given to the
 * scraper as its bearer credentials), since route counts and resource use are the operator's to see. Not limited to
 * loopback: behind a reverse proxy every request comes from there.
 */
public final class MetricsApi {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final Metrics metrics;

    public MetricsApi(Metrics metrics) {
        this.metrics = metrics;
    }

    public void register(RoutesConfig routes) {
        routes.get("/metrics", ctx -> {
            Principal caller = Caller.required(ctx);
            if (!caller.user().isAdmin()) {
                throw new Errors.Forbidden("Only the hub's administrators may read its metrics");
            }
            ctx.contentType(CONTENT_TYPE).result(metrics.text());
        });
    }
}
