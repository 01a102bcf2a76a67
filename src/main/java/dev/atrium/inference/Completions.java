package dev.atrium.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * OpenAI-style chat and text completions by the hub's text-generation models, where the clients post them:
 * {@code InferenceClient(model=URL)} appends {@code /v1/chat/completions} to the model's URL, @huggingface/inference
 * appends that or {@code /v1/completions} (its text generation), and clients given a base URL of {@code {hub}/v1}
 * (InferenceClient's {@code base_url}, OpenAI's own client) post to {@code /v1/chat/completions} or
 * {@code /v1/completions} with the model in the body. With {@code stream}, the answer is Server-Sent Events of
 * chunks, ended by {@code data: [DONE]}.
 */
public final class Completions {
    private final RepoLookup lookup;
    private final Inference inference;
    private final Clock clock;

    public Completions(RepoLookup lookup, Inference inference, Clock clock) {
        this.lookup = lookup;
        this.inference = inference;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        for (Inference.Generation kind : Inference.Generation.values()) {
            String path = kind == Inference.Generation.CHAT ? "/v1/chat/completions" : "/v1/completions";
            routes.post("/hf-inference/models/{ns}/{name}" + path,
                    ctx -> complete(ctx, kind, ctx.pathParam("ns"), ctx.pathParam("name"), Json.body(ctx)));
            routes.post("/models/{ns}/{name}" + path,
                    ctx -> complete(ctx, kind, ctx.pathParam("ns"), ctx.pathParam("name"), Json.body(ctx)));
            routes.post(path, ctx -> completeNamedInBody(ctx, kind));
        }
    }

    private void completeNamedInBody(Context ctx, Inference.Generation kind) {
        JsonNode body = Json.body(ctx);
        String model = Json.text(body, "model");
        if (model == null || model.isBlank()) {
            throw new Errors.BadRequest("'model' is required: the id of a model on this hub, like alice/my-model");
        }
        RepoId id;
        try {
            id = RepoId.parse(model);
        } catch (RuntimeException e) {
            throw new Errors.BadRequest("'model' must be the id of a model on this hub, like alice/my-model");
        }
        complete(ctx, kind, id.namespace(), id.name(), body);
    }

    private void complete(Context ctx, Inference.Generation kind, String namespace, String name, JsonNode body) {
        Repo model = lookup.load(ctx, RepoType.MODEL, namespace, name, AccessPolicy.Action.DOWNLOAD);
        JsonNode inputs = kind == Inference.Generation.CHAT ? CompletionRequests.messages(body.get("messages"))
                : CompletionRequests.prompt(body);
        ObjectNode parameters = CompletionRequests.parameters(body);
        boolean stream = parameters.path("stream").asBoolean(false);
        String completionId = (kind == Inference.Generation.CHAT ? "chatcmpl-" : "cmpl-")
                + UUID.randomUUID().toString().replace("-", "");
        long created = clock.instant().getEpochSecond();
        boolean usageAsked = body.path("stream_options").path("include_usage").asBoolean(false);
        if (stream) {
            stream(ctx, new CompletionChunks(ctx, kind, completionId, created, model.repoId().toString(), usageAsked),
                    inference.generateStreaming(InferenceApi.callerOf(ctx), model, kind, inputs, parameters));
            return;
        }
        JsonNode result = inference.generate(InferenceApi.callerOf(ctx), model, kind, inputs, parameters, text -> { });
        String finish = result.path("finish_reason").asText("stop");
        ObjectNode usage = usage(result);
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("id", completionId)
                .put("object", kind == Inference.Generation.CHAT ? "chat.completion" : "text_completion")
                .put("created", created).put("model", model.repoId().toString()).put("system_fingerprint", "atrium");
        ObjectNode choice = answer.putArray("choices").addObject();
        choice.put("index", 0);
        if (kind == Inference.Generation.CHAT) {
            choice.putObject("message").put("role", "assistant").put("content", result.path("content").asText());
        } else {
            choice.put("text", result.path("content").asText());
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finish);
        answer.set("usage", usage);
        Json.send(ctx, answer);
    }

    private static ObjectNode usage(JsonNode result) {
        int prompt = result.path("prompt_tokens").asInt();
        int completion = result.path("completion_tokens").asInt();
        return Json.MAPPER.createObjectNode().put("prompt_tokens", prompt).put("completion_tokens", completion)
                .put("total_tokens", prompt + completion);
    }

    /**
     * Sends the pieces of a streamed completion as they come, from this request's thread: a reader that takes its
     * time holds up this thread, never the worker's. A reader that went away gets nothing more, and its generation
     * is cancelled.
     */
    private void stream(Context ctx, CompletionChunks chunks, Inference.Streaming streaming) {
        try {
            boolean cancelled = false;
            while (true) {
                String piece = streaming.pieces().poll(100, TimeUnit.MILLISECONDS);
                if (piece != null) {
                    chunks.text(piece);
                    if (chunks.gone() && !cancelled) {
                        // The reader went away: its generation must not hold the worker to its end.
                        inference.cancel(streaming.ticket());
                        cancelled = true;
                    }
                } else if (streaming.ticket().result().isDone() && streaming.pieces().isEmpty()) {
                    break;
                }
            }
            JsonNode result;
            try {
                result = Inference.outcome(streaming.ticket());
            } catch (RuntimeException e) {
                if (!chunks.started()) {
                    throw e;
                }
                // Mid-stream, the status is sent: the error goes in the stream, where the clients look for it.
                chunks.send(Json.MAPPER.createObjectNode().put("error", e.getMessage())
                        .put("error_type", "generation"));
                chunks.done();
                return;
            }
            chunks.start();
            chunks.send(chunks.chunk("", result.path("finish_reason").asText("stop")));
            if (chunks.usageAsked()) {
                ObjectNode withUsage = chunks.envelope();
                withUsage.putArray("choices");
                withUsage.set("usage", usage(result));
                chunks.send(withUsage);
            }
            chunks.done();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inference.leave(streaming.ticket());
        }
    }

}
