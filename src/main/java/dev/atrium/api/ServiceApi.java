package dev.atrium.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.card.FrontMatter;
import dev.atrium.card.InvalidCardException;
import dev.atrium.http.Json;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;

/** Health, card validation, and the calls clients make that Atrium answers without doing anything. */
public final class ServiceApi {
    private final String version;

    public ServiceApi(String version) {
        this.version = version;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/health", ctx -> Json.send(ctx, Map.of("status", "ok", "version", version)));
        routes.post("/api/validate-yaml", this::validateYaml);
        routes.get("/api/agent-harnesses", ctx -> Json.send(ctx, Map.of("standardEnvVars", new String[0],
                "harnesses", Map.of())));
        routes.head("/api/telemetry/<topic>", ctx -> ctx.status(200));
    }

    /** The Python client reads the JSON before the status; 400 carries {@code errors[].message}. */
    private void validateYaml(Context ctx) {
        JsonNode body = Json.body(ctx);
        String content = Json.text(body, "content");
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.putArray("warnings");
        var errors = out.putArray("errors");
        if (content != null) {
            try {
                FrontMatter.extract(content).ifPresent(FrontMatter::parse);
            } catch (InvalidCardException e) {
                errors.addObject().put("message", e.getMessage());
                Json.send(ctx, 400, out);
                return;
            }
        }
        Json.send(ctx, out);
    }
}
