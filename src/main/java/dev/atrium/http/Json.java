package dev.atrium.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** JSON in and out. Bodies are read with a size cap: no handler parses an unbounded JSON document into memory. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final int MAX_JSON_BODY = 16 << 20;

    private Json() {}

    public static void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json; charset=utf-8")
                    .result(MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("response not serialisable", e);
        }
    }

    public static void send(Context ctx, Object body) {
        send(ctx, 200, body);
    }

    /** The request body as a JSON tree; an empty body is an empty object. */
    public static JsonNode body(Context ctx) {
        return object(bytes(ctx));
    }

    /** The request body's bytes, up to the size any body here may have. */
    public static byte[] bytes(Context ctx) {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_JSON_BODY + 1);
            if (bytes.length > MAX_JSON_BODY) {
                throw new Errors.PayloadTooLarge("Request body larger than " + MAX_JSON_BODY + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A request body read as a JSON object; empty is an empty object. */
    public static JsonNode object(byte[] bytes) {
        if (bytes.length == 0) {
            return MAPPER.createObjectNode();
        }
        try {
            JsonNode node = MAPPER.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new Errors.BadRequest("The request body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new Errors.BadRequest("Malformed JSON body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A text field, or null when absent or JSON null. */
    public static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new Errors.BadRequest("'" + field + "' must be a string");
        }
        return value.asText();
    }
}
