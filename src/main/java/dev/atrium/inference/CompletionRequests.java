package dev.atrium.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import java.util.List;
import java.util.Set;

/**
 * What a completion request may carry, checked so that a wrong value is a clear 400, and what it becomes for the
 * worker: a chat's messages or a text prompt, and the generation parameters.
 */
final class CompletionRequests {
    private static final Set<String> ROLES = Set.of("system", "user", "assistant");
    /** Asked for, these would change the answer's meaning; refused rather than ignored. */
    private static final List<String> NOT_SERVED = List.of("tools", "tool_choice", "response_format", "logit_bias",
            "suffix");
    private static final int MAX_TOKENS = 4096;

    private CompletionRequests() {}

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
}
