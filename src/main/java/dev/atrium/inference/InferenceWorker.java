package dev.atrium.inference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.http.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python process that runs pipelines ({@code inference/worker.py}), started on first use and again after it
 * dies or is stopped. One request at a time, one JSON line each way; callers serialize.
 */
final class InferenceWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceWorker.class);

    private final Path python;
    private final Path home;
    private @Nullable Process process;
    private @Nullable Writer requests;
    private @Nullable BufferedReader answers;
    private static final java.util.Set<String> KEPT = java.util.Set.of("PATH", "LANG", "TZ", "TMPDIR",
            "LD_LIBRARY_PATH");

    /** @param home the worker's own folder: its script and its library caches, never the user's */
    InferenceWorker(Path python, Path home) {
        this.python = python;
        this.home = home;
    }

    /** The running process, started now if there is none: the one a watchdog may {@link #stop(Process)}. */
    synchronized Process start() throws IOException {
        if (process == null || !process.isAlive()) {
            launch();
        }
        return process;
    }

    /**
     * Sends one request and waits for its answer; pieces of text streamed before it go to {@code chunks}. A
     * consumer that fails (its caller went away) gets no more, and the answer is still read to its end. Any failure
     * here stops the worker: a line left unread would be taken as the next request's answer.
     */
    JsonNode call(long id, Map<String, Object> request, Consumer<String> chunks) throws IOException {
        Map<String, Object> numbered = new java.util.LinkedHashMap<>(request);
        numbered.put("id", id);
        try {
            start();
            send(Json.MAPPER.writeValueAsString(numbered));
            boolean listening = true;
            while (true) {
                JsonNode answer = read(id);
                if (!answer.has("chunk")) {
                    return answer;
                }
                if (listening) {
                    try {
                        chunks.accept(answer.get("chunk").asText());
                    } catch (RuntimeException e) {
                        listening = false;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            stop();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
    }

    private JsonNode read(long id) throws IOException {
        String line = answers.readLine();
        if (line == null) {
            throw new IOException("the inference worker exited; its log is in the server's output");
        }
        JsonNode answer = Json.MAPPER.readTree(line);
        if (answer == null || !answer.isObject() || answer.path("id").asLong(-1) != id) {
            throw new IOException("the inference worker answered out of turn");
        }
        return answer;
    }

    /**
     * Asks the worker to end request {@code id}'s generation early (its reader went away); its answer still comes.
     * Safe from any thread; nothing happens if the request is not running.
     */
    void cancel(long id) {
        try {
            send("{\"cancel\": " + id + "}");
        } catch (IOException e) {
            LOG.debug("Cancelling inference request {}: {}", id, e.toString());
        }
    }

    private synchronized void send(String line) throws IOException {
        if (process == null || requests == null) {
            throw new IOException("the inference worker is not running");
        }
        requests.write(line);
        requests.write('\n');
        requests.flush();
    }

    /** Ends the process; the next call starts a new one. Safe from any thread. */
    synchronized void stop() {
        stop(process);
    }

    /** Ends {@code expected} if it is still the worker (a late watchdog must not end the next request's). */
    synchronized void stop(@Nullable Process expected) {
        Process p = process;
        if (p == null || p != expected) {
            return;
        }
        process = null;
        // Its children too: one that outlived it would hold the answers' pipe open, and the read with it.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    @Override
    public void close() {
        stop();
    }

    private void launch() throws IOException {
        Path script = home.resolve("worker.py");
        Files.createDirectories(home);
        try (InputStream in = InferenceWorker.class.getResourceAsStream("/inference/worker.py")) {
            Path temp = Files.createTempFile(home, ".worker-", ".py");
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(temp, script, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        // -I: no user site-packages or PYTHON* variables; the worker sees only the environment's packages.
        ProcessBuilder builder = new ProcessBuilder(List.of(python.toString(), "-I", "-u", script.toString()))
                .directory(home.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // Nothing of the server's environment (cloud keys, database URLs, tokens) but what Python and torch need.
        Map<String, String> env = builder.environment();
        Map<String, String> kept = new java.util.HashMap<>();
        env.forEach((k, v) -> {
            if (KEPT.contains(k) || k.startsWith("LC_") || k.startsWith("OMP_") || k.startsWith("MKL_")
                    || k.startsWith("OPENBLAS_")) {
                kept.put(k, v);
            }
        });
        env.clear();
        env.putAll(kept);
        env.put("HOME", home.toString());
        env.put("HF_HOME", home.resolve("hf-home").toString());
        env.put("HF_HUB_OFFLINE", "1");
        env.put("HF_HUB_DISABLE_TELEMETRY", "1");
        env.put("TRANSFORMERS_VERBOSITY", "error");
        env.put("TOKENIZERS_PARALLELISM", "false");
        env.put("HF_HUB_DISABLE_PROGRESS_BARS", "1");
        env.put("TQDM_DISABLE", "1");
        Process started = builder.start();
        LOG.info("Started the inference worker (pid {}) with {}", started.pid(), python);
        process = started;
        requests = new java.io.OutputStreamWriter(started.getOutputStream(), StandardCharsets.UTF_8);
        answers = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8));
    }
}
