package dev.atrium.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    private static final java.util.List<String> ROOT_OPTIONS = java.util.List.of("normalize", "prompt_name", "truncate",
            "truncation_direction");

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
        long started = System.nanoTime();
        byte[] body = Json.bytes(ctx);
        if (body.length == 0) {
            throw new Errors.BadRequest("'inputs' is required: send JSON with inputs, or the input as the body");
        }
        String caller = callerOf(ctx);
        JsonNode result = isJson(ctx.contentType(), body) ? runOnJson(caller, model, task, Json.object(body))
                // An image as the body itself, as the clients send one without parameters (with a type, or none).
                : inference.runOnBody(caller, model, task, body, Json.MAPPER.createObjectNode());
        ctx.header("X-Compute-Type", "cpu");
        ctx.header("X-Compute-Time", String.format(java.util.Locale.ROOT, "%.3f",
                (System.nanoTime() - started) / 1e9));
        Json.send(ctx, result);
    }

    private static boolean isJson(String type, byte[] body) {
        if (type != null) {
            return type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json");
        }
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b == '{';
            }
        }
        return false;
    }

    /** Whose share of the queue a request takes: its user's, or, without one, its address's. */
    static String callerOf(Context ctx) {
        var principal = dev.atrium.http.Caller.of(ctx);
        return principal != null ? "user:" + principal.user().id()
                : "address:" + dev.atrium.http.ClientAddress.limitKeyOf(ctx);
    }

    private JsonNode runOnJson(String caller, Repo model, Optional<String> task, JsonNode body) {
        JsonNode inputs = body.get("inputs");
        if (inputs == null || inputs.isNull()) {
            throw new Errors.BadRequest("'inputs' is required");
        }
        JsonNode parameters = body.path("parameters");
        if (!parameters.isMissingNode() && !parameters.isNull() && !parameters.isObject()) {
            throw new Errors.BadRequest("'parameters' must be an object");
        }
        ObjectNode merged = parameters.isObject() ? ((ObjectNode) parameters).deepCopy()
                : Json.MAPPER.createObjectNode();
        // Feature extraction's options travel beside inputs, not under parameters (the task's spec, and the clients).
        for (String option : ROOT_OPTIONS) {
            if (body.has(option) && !merged.has(option)) {
                merged.set(option, body.get(option));
            }
        }
        return inference.run(caller, model, task, inputs, merged);
    }
}
