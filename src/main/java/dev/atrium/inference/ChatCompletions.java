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

/**
 * OpenAI-style chat completions by the hub's text-generation models, where the clients post them:
 * {@code InferenceClient(model=URL)} appends {@code /v1/chat/completions} to the model's URL, and clients given a
 * base URL of {@code {hub}/v1} (InferenceClient's {@code base_url}, OpenAI's own client) post to
 * {@code /v1/chat/completions} with the model in the body. With {@code stream}, the answer is Server-Sent Events of
 * {@code chat.completion.chunk}s, ended by {@code data: [DONE]}.
 */
public final class ChatCompletions {
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");
    /** Asked for, these would change the answer's meaning; refused rather than ignored. */
    private static final List<String> NOT_SERVED = List.of("tools", "tool_choice", "response_format", "logit_bias");
    private static final int MAX_TOKENS = 4096;

    private final RepoLookup lookup;
    private final Inference inference;
    private final Clock clock;

    public ChatCompletions(RepoLookup lookup, Inference inference, Clock clock) {
        this.lookup = lookup;
        this.inference = inference;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.post("/hf-inference/models/{ns}/{name}/v1/chat/completions",
                ctx -> complete(ctx, ctx.pathParam("ns"), ctx.pathParam("name")));
        routes.post("/models/{ns}/{name}/v1/chat/completions",
                ctx -> complete(ctx, ctx.pathParam("ns"), ctx.pathParam("name")));
        routes.post("/v1/chat/completions", this::completeNamedInBody);
    }

    private void completeNamedInBody(Context ctx) {
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
        complete(ctx, id.namespace(), id.name(), body);
    }

    private void complete(Context ctx, String namespace, String name) {
        complete(ctx, namespace, name, Json.body(ctx));
    }

    private void complete(Context ctx, String namespace, String name, JsonNode body) {
        Repo model = lookup.load(ctx, RepoType.MODEL, namespace, name, AccessPolicy.Action.DOWNLOAD);
        ArrayNode messages = messages(body.get("messages"));
        ObjectNode parameters = parameters(body);
        boolean stream = parameters.path("stream").asBoolean(false);
        String completionId = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = clock.instant().getEpochSecond();
        Chunks chunks = new Chunks(ctx, completionId, created, model.repoId().toString());
        JsonNode result;
        try {
            result = inference.chat(model, messages, parameters, stream ? chunks::text : text -> { });
        } catch (RuntimeException e) {
            if (!chunks.started) {
                throw e;
            }
            // Mid-stream, the status is sent: the error goes in the stream, where the clients look for it.
            ObjectNode error = Json.MAPPER.createObjectNode().put("error", e.getMessage())
                    .put("error_type", "generation");
            chunks.send(error);
            chunks.done();
            return;
        }
        String finish = result.path("finish_reason").asText("stop");
        ObjectNode usage = Json.MAPPER.createObjectNode();
        int prompt = result.path("prompt_tokens").asInt();
        int completion = result.path("completion_tokens").asInt();
        usage.put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
        if (stream) {
            chunks.start();
            ObjectNode last = chunks.chunk(Json.MAPPER.createObjectNode(), finish);
            chunks.send(last);
            if (body.path("stream_options").path("include_usage").asBoolean(false)) {
                ObjectNode withUsage = chunks.envelope();
                withUsage.putArray("choices");
                withUsage.set("usage", usage);
                chunks.send(withUsage);
            }
            chunks.done();
            return;
        }
        ObjectNode answer = Json.MAPPER.createObjectNode();
        answer.put("id", completionId).put("object", "chat.completion").put("created", created)
                .put("model", model.repoId().toString()).put("system_fingerprint", "atrium");
        ObjectNode choice = answer.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", result.path("content").asText());
        choice.putNull("logprobs");
        choice.put("finish_reason", finish);
        answer.set("usage", usage);
        Json.send(ctx, answer);
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
        if (body.path("logprobs").asBoolean(false) || body.path("n").asInt(1) != 1) {
            throw new Errors.BadRequest("logprobs and n other than 1 are not supported by this hub's inference");
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
        private final String id;
        private final long created;
        private final String model;
        private boolean started;
        private OutputStream out;

        Chunks(Context ctx, String id, long created, String model) {
            this.ctx = ctx;
            this.id = id;
            this.created = created;
            this.model = model;
        }

        void text(String text) {
            start();
            send(chunk(Json.MAPPER.createObjectNode().put("role", "assistant").put("content", text), null));
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
            chunk.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model)
                    .put("system_fingerprint", "atrium");
            return chunk;
        }

        ObjectNode chunk(ObjectNode delta, String finish) {
            ObjectNode chunk = envelope();
            ObjectNode choice = chunk.putArray("choices").addObject();
            choice.put("index", 0);
            choice.set("delta", delta);
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
            try {
                out.write(event.getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
