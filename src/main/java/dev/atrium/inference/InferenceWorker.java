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

    /** @param home the worker's own folder: its script and its library caches, never the user's */
    InferenceWorker(Path python, Path home) {
        this.python = python;
        this.home = home;
    }

    /**
     * Sends one request and waits for its answer; pieces of text streamed before it go to {@code chunks}. A
     * consumer that fails (its caller went away) gets no more, and the answer is still read to its end.
     */
    JsonNode call(Map<String, Object> request, Consumer<String> chunks) throws IOException {
        boolean listening = true;
        ensureStarted();
        requests.write(Json.MAPPER.writeValueAsString(request));
        requests.write('\n');
        requests.flush();
        while (true) {
            String line = answers.readLine();
            if (line == null) {
                stop();
                throw new IOException("the inference worker exited; its log is in the server's output");
            }
            JsonNode answer = Json.MAPPER.readTree(line);
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
    }

    /** Ends the process; the next call starts a new one. Safe from any thread. */
    synchronized void stop() {
        Process p = process;
        process = null;
        if (p != null) {
            // Its children too: one that outlived it would hold the answers' pipe open, and the read with it.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private synchronized void ensureStarted() throws IOException {
        if (process != null && process.isAlive()) {
            return;
        }
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
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("HF_") || k.startsWith("ATRIUM_") || k.contains("TOKEN"));
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
