package dev.atrium.inference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Optional;

/**
 * The serverless inference API, at the paths the clients post to: {@code /hf-inference/models/{id}} (the router's
 * provider path, and what {@code InferenceClient(model=URL)} posts to), its {@code /pipeline/{task}} form for
 * feature extraction, and the legacy {@code /models/{id}} of the old inference host. Running a model reads its
 * files, so the caller needs what a download needs: access to a gated model, a token for a private one.
 */
public final class InferenceApi {
    private final RepoLookup lookup;
    private final Inference inference;

    public InferenceApi(RepoLookup lookup, Inference inference) {
        this.lookup = lookup;
        this.inference = inference;
    }

    public void register(RoutesConfig routes) {
        routes.post("/hf-inference/models/{ns}/{name}", ctx -> run(ctx, Optional.empty()));
        routes.post("/hf-inference/models/{ns}/{name}/pipeline/{task}",
                ctx -> run(ctx, Optional.of(ctx.pathParam("task"))));
        routes.post("/models/{ns}/{name}", ctx -> run(ctx, Optional.empty()));
    }

    private void run(Context ctx, Optional<String> task) {
        Repo model = lookup.load(ctx, RepoType.MODEL, ctx.pathParam("ns"), ctx.pathParam("name"),
                AccessPolicy.Action.DOWNLOAD);
        String type = ctx.contentType();
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new Errors.BadRequest("The hub's models take JSON: {\"inputs\": ..., \"parameters\": {...}}");
        }
        JsonNode body = Json.body(ctx);
        JsonNode inputs = body.get("inputs");
        if (inputs == null || inputs.isNull()) {
            throw new Errors.BadRequest("'inputs' is required");
        }
        JsonNode parameters = body.path("parameters");
        if (!parameters.isMissingNode() && !parameters.isNull() && !parameters.isObject()) {
            throw new Errors.BadRequest("'parameters' must be an object");
        }
        long started = System.nanoTime();
        JsonNode result = inference.run(model, task, inputs,
                parameters.isObject() ? parameters : Json.MAPPER.createObjectNode());
        ctx.header("X-Compute-Type", "cpu");
        ctx.header("X-Compute-Time", String.format(java.util.Locale.ROOT, "%.3f",
                (System.nanoTime() - started) / 1e9));
        Json.send(ctx, result);
    }
}
