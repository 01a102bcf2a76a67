package dev.atrium.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.http.Json;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The Server-Sent Events of one streamed completion, begun at its first piece of text. */
final class CompletionChunks {
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

    CompletionChunks(Context ctx, Inference.Generation kind, String id, long created, String model,
                     boolean usageAsked) {
        this.ctx = ctx;
        this.kind = kind;
        this.usageAsked = usageAsked;
        this.id = id;
        this.created = created;
        this.model = model;
    }

    /** The reader went away. */
    boolean gone() {
        return gone;
    }

    /** The first event is sent, and with it the status. */
    boolean started() {
        return started;
    }

    /** The request asked for usage at the end ({@code stream_options.include_usage}). */
    boolean usageAsked() {
        return usageAsked;
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
