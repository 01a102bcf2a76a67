package dev.atrium.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.card.CardMetadata;
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
        // huggingface.co indexes arXiv papers; a hub keeps none (its cards link to arXiv), so its lists are empty
        // ("hf papers ls" says so rather than failing) and a paper is not found.
        routes.get("/api/daily_papers", ctx -> Json.send(ctx, java.util.List.of()));
        routes.get("/api/papers/search", ctx -> Json.send(ctx, java.util.List.of()));
        routes.get("/api/papers/{id}", ctx -> {
            throw new dev.atrium.http.Errors.NotFound("This hub keeps no index of papers: read "
                    + ctx.pathParam("id") + " on arXiv");
        });
    }

    /**
     * The Python client calls this before a commit that adds a README.md, and reads the JSON before the status: a
     * 400's {@code errors[].message} stops the commit before any file is uploaded, {@code warnings[].message} are
     * shown to the user. Errors are what a commit of the card would be refused for; warnings what the card's pages
     * and search will not understand.
     */
    private void validateYaml(Context ctx) {
        JsonNode body = Json.body(ctx);
        String content = Json.text(body, "content");
        ObjectNode out = Json.MAPPER.createObjectNode();
        var warnings = out.putArray("warnings");
        var errors = out.putArray("errors");
        if (content == null) {
            Json.send(ctx, out);
            return;
        }
        java.util.Optional<Map<String, Object>> metadata;
        try {
            metadata = FrontMatter.validate(content);
        } catch (InvalidCardException e) {
            errors.addObject().put("message", e.getMessage());
            Json.send(ctx, 400, out);
            return;
        }
        if (metadata.isEmpty() || metadata.get().isEmpty()) {
            warnings.addObject().put("message", "empty or missing yaml metadata in repo card");
        } else {
            CardMetadata.of(metadata.get(), FrontMatter.body(content)).warnings()
                    .forEach(w -> warnings.addObject().put("message", w));
        }
        Json.send(ctx, out);
    }
}
