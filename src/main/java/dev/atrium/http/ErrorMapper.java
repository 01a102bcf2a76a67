package dev.atrium.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.repo.InvalidPathException;
import dev.atrium.repo.InvalidRepoIdException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure to a status, an {@code X-Error-Code} where the Hub sends one, and {@code {"error": ...}}. */
public final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {}

    public static void register(RoutesConfig routes) {
        routes.exception(HubException.class, (e, ctx) -> write(ctx, e.status(), e.errorCode(), e.getMessage(), e.headers()));
        routes.exception(InvalidRepoIdException.class, (e, ctx) -> write(ctx, 400, "BadRequest", e.getMessage(), Map.of()));
        routes.exception(InvalidPathException.class, (e, ctx) -> write(ctx, 400, "BadRequest", e.getMessage(), Map.of()));
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            write(ctx, 500, null, "Internal error: " + e.getClass().getSimpleName(), Map.of());
        });
        routes.error(404, ctx -> {
            String type = ctx.res().getContentType();
            if (type == null || !type.startsWith("application/json")) {
                write(ctx, 404, null, "Not found: " + ctx.method() + " " + ctx.path(), Map.of());
            }
        });
    }

    public static void write(Context ctx, int status, String code, String message, Map<String, String> headers) {
        if (ctx.res().isCommitted()) {
            return; // a streamed response already started: the connection is cut, which the client detects
        }
        headers.forEach(ctx::header);
        if (code != null) {
            ctx.header("X-Error-Code", code);
        }
        ObjectNode body = Json.MAPPER.createObjectNode().put("error", message);
        Json.send(ctx, status, body);
    }
}
