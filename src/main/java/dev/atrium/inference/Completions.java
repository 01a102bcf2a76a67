package dev.atrium.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Set;
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
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");
    /** Asked for, these would change the answer's meaning; refused rather than ignored. */
    private static final List<String> NOT_SERVED = List.of("tools", "tool_choice", "response_format", "logit_bias",
            "suffix");
    private static final int MAX_TOKENS = 4096;

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
        JsonNode inputs = kind == Inference.Generation.CHAT ? messages(body.get("messages")) : prompt(body);
        ObjectNode parameters = parameters(body);
        boolean stream = parameters.path("stream").asBoolean(false);
        String completionId = (kind == Inference.Generation.CHAT ? "chatcmpl-" : "cmpl-")
                + UUID.randomUUID().toString().replace("-", "");
        long created = clock.instant().getEpochSecond();
        boolean usageAsked = body.path("stream_options").path("include_usage").asBoolean(false);
        if (stream) {
            stream(ctx, new Chunks(ctx, kind, completionId, created, model.repoId().toString(), usageAsked),
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
    private void stream(Context ctx, Chunks chunks, Inference.Streaming streaming) {
        try {
            boolean cancelled = false;
            while (true) {
                String piece = streaming.pieces().poll(100, TimeUnit.MILLISECONDS);
                if (piece != null) {
                    chunks.text(piece);
                    if (chunks.gone && !cancelled) {
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
                if (!chunks.started) {
                    throw e;
                }
                // Mid-stream, the status is sent: the error goes in the stream, where the clients look for it.
                chunks.send(Json.MAPPER.createObjectNode().put("error", e.getMessage()).put("error_type", "generation"));
                chunks.done();
                return;
            }
            chunks.start();
            chunks.send(chunks.chunk("", result.path("finish_reason").asText("stop")));
            if (chunks.usageAsked) {
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

    /** The messages as the chat template takes them: roles, and content as text (text parts joined). */
    static ArrayNode messages(JsonNode given) {
        if (given == null || !given.isArray() || given.isEmpty()) {
            throw new Errors.BadRequest("'messages' must be a non-empty list of {role, content}");
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode message : given) {
            String role = message.path("role").asText("");
            if (!ROLES.contains(role)) {
                throw new Errors.BadRequest("Each message needs a role: system, user or assistant (got '" + role
                        + "')");
            }
            out.addObject().put("role", role).put("content", content(message.get("content")));
        }
        return out;
    }

    /** A text completion's prompt: one text (OpenAI also takes lists of prompts and of tokens; not served). */
    static JsonNode prompt(JsonNode body) {
        JsonNode prompt = body.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isEmpty()) {
            throw new Errors.BadRequest("'prompt' must be a non-empty text");
        }
        return prompt;
    }

    private static String content(JsonNode content) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content == null || !content.isArray()) {
            throw new Errors.BadRequest("A message's content must be text, or a list of text parts");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            if (!"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                throw new Errors.BadRequest("Only text parts are served (got a part of type '"
                        + part.path("type").asText() + "')");
            }
            text.append(part.get("text").asText());
        }
        return text.toString();
    }

    /** What the worker takes of the request: checked here so that a wrong value is a clear 400. */
    static ObjectNode parameters(JsonNode body) {
        for (String field : NOT_SERVED) {
            if (body.hasNonNull(field)) {
                throw new Errors.BadRequest("'" + field + "' is not supported by this hub's inference");
            }
        }
        // logprobs is a flag for chats, a count for text completions: either way, asked for, it is refused.
        if ((body.hasNonNull("logprobs") && !body.get("logprobs").asText().matches("false|0"))
                || body.path("n").asInt(1) != 1 || body.path("best_of").asInt(1) != 1
                || body.path("echo").asBoolean(false)) {
            throw new Errors.BadRequest("logprobs, echo, and n or best_of other than 1 are not supported by this"
                    + " hub's inference");
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        JsonNode max = body.hasNonNull("max_completion_tokens") ? body.get("max_completion_tokens")
                : body.get("max_tokens");
        if (max != null && !max.isNull()) {
            if (!max.canConvertToInt() || !max.isIntegralNumber() || max.asInt() < 1 || max.asInt() > MAX_TOKENS) {
                throw new Errors.BadRequest("max_tokens must be a whole number from 1 to " + MAX_TOKENS);
            }
            out.put("max_tokens", max.asInt());
        }
        number(body, "temperature", 0, 100).ifPresent(t -> out.put("temperature", t));
        // Not OpenAI's, but @huggingface/inference passes the Hub's text generation parameters on: no sampling is
        // a temperature of 0.
        if (!out.has("temperature") && body.path("do_sample").isBoolean() && !body.get("do_sample").asBoolean()) {
            out.put("temperature", 0.0);
        }
        number(body, "top_p", Double.MIN_VALUE, 1).ifPresent(p -> out.put("top_p", p));
        JsonNode seed = body.get("seed");
        if (seed != null && !seed.isNull()) {
            if (!seed.isIntegralNumber() || !seed.canConvertToLong()) {
                throw new Errors.BadRequest("seed must be a whole number");
            }
            out.put("seed", seed.asLong());
        }
        JsonNode stop = body.get("stop");
        if (stop != null && !stop.isNull()) {
            ArrayNode stops = out.putArray("stop");
            if (stop.isTextual()) {
                stops.add(stop.asText());
            } else if (stop.isArray() && stop.size() <= 4) {
                stop.forEach(s -> {
                    if (!s.isTextual() || s.asText().isEmpty()) {
                        throw new Errors.BadRequest("stop must be text or a list of up to 4 texts");
                    }
                    stops.add(s.asText());
                });
            } else {
                throw new Errors.BadRequest("stop must be text or a list of up to 4 texts");
            }
        }
        out.put("stream", body.path("stream").asBoolean(false));
        return out;
    }

    private static java.util.Optional<Double> number(JsonNode body, String field, double min, double max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return java.util.Optional.empty();
        }
        if (!value.isNumber() || value.asDouble() < min || value.asDouble() > max) {
            throw new Errors.BadRequest(field + " must be a number from " + (min == Double.MIN_VALUE ? 0 : min)
                    + " to " + max);
        }
        return java.util.Optional.of(value.asDouble());
    }

    /** The Server-Sent Events of one streamed completion, begun at its first piece of text. */
    private static final class Chunks {
        private final Context ctx;
        private final Inference.Generation kind;
        private final String id;
        private final long created;
        private final String model;
        private final boolean usageAsked;
        private boolean started;
        /** The reader went away: nothing more is written. */
        private boolean gone;
        private OutputStream out;

        Chunks(Context ctx, Inference.Generation kind, String id, long created, String model, boolean usageAsked) {
            this.ctx = ctx;
            this.kind = kind;
            this.usageAsked = usageAsked;
            this.id = id;
            this.created = created;
            this.model = model;
        }

        void text(String text) {
            start();
            send(chunk(text, null));
        }

        void start() {
            if (started) {
                return;
            }
            started = true;
            ctx.status(200);
            ctx.contentType("text/event-stream; charset=utf-8");
            ctx.header("Cache-Control", "no-cache");
            ctx.header("X-Accel-Buffering", "no");
            try {
                out = ctx.res().getOutputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        ObjectNode envelope() {
            ObjectNode chunk = Json.MAPPER.createObjectNode();
            chunk.put("id", id)
                    .put("object", kind == Inference.Generation.CHAT ? "chat.completion.chunk" : "text_completion")
                    .put("created", created).put("model", model).put("system_fingerprint", "atrium");
            if (usageAsked) {
                chunk.putNull("usage"); // as OpenAI: null on every chunk but the last, which carries it
            }
            return chunk;
        }

        /** One piece of text; the last, empty, carries {@code finish}. */
        ObjectNode chunk(String text, String finish) {
            ObjectNode chunk = envelope();
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", 0);
            if (kind == Inference.Generation.TEXT) {
                choice.put("text", text);
            } else if (finish == null) {
                choice.putObject("delta").put("role", "assistant").put("content", text);
            } else {
                choice.putObject("delta");
            }
            choice.putNull("logprobs");
            if (finish == null) {
                choice.putNull("finish_reason");
            } else {
                choice.put("finish_reason", finish);
            }
            return chunk;
        }

        void send(JsonNode event) {
            try {
                write("data: " + Json.MAPPER.writeValueAsString(event) + "\n\n");
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        void done() {
            write("data: [DONE]\n\n");
        }

        private void write(String event) {
            if (gone) {
                return;
            }
            try {
                out.write(event.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                gone = true;
            }
        }
    }
}
