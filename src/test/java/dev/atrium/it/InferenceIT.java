package dev.atrium.it;

import dev.atrium.it.support.AdminCli;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.NodeClient;
import dev.atrium.it.support.PythonClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The inference API and widget, with the hub's worker running the IT venv's transformers and torch: small models
 * made and checked by {@code src/it/python/inference.py} through huggingface_hub's InferenceClient and OpenAI's
 * client, the same models through @huggingface/inference ({@code src/it/js/inference-js.mjs}), the widget in
 * Chromium ({@code src/it/js/inference-widget.mjs}), and a hub without a worker or with a short timeout
 * ({@code inference_limits.py}).
 */
class InferenceIT {

    @Test
    void models_runAsTheirPipelines_throughTheClientAndTheWidget() {
        PythonClient python = Clients.python("torch", "transformers", "openai", "PIL", "sentence_transformers");
        NodeClient node = Clients.node();
        Path chromium = Clients.chromium();
        try (AtriumProcess server = AtriumProcess.start("--inference-python", python.python().toString())) {
            AdminCli.Account alice = server.admin().createUserWithToken("alice", "write");
            String bob = server.admin().createUserWithToken("bob", "write").token();
            Path work = ItPaths.newTempDir("inference");
            python.script("inference.py", server.baseUrl(), alice.token(), work).env("TOKEN_BOB", bob).runChecked();
            node.script("inference-js.mjs")
                    .env("HUB_URL", server.baseUrl())
                    .env("HF_TOKEN", alice.token())
                    .runChecked();
            node.script("inference-widget.mjs")
                    .env("HUB_URL", server.baseUrl())
                    .env("USER_NAME", alice.name())
                    .env("USER_PASSWORD", alice.password())
                    .env("CHROMIUM", chromium.toString())
                    .env("PICTURE", work.resolve("work").resolve("picture.png").toString())
                    .env("ARTIFACTS", ItPaths.repoRoot().resolve("target/it-artifacts/web").toString())
                    .runChecked();
        }
    }

    @Test
    void withoutAWorker_theApiSaysSo() {
        PythonClient python = Clients.python("torch", "transformers", "openai", "PIL", "sentence_transformers");
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            python.script("inference_limits.py", server.baseUrl(), alice, ItPaths.newTempDir("inference-off"))
                    .env("EXPECT", "off").runChecked();
        }
    }

    @Test
    void pastTheTimeout_theWorkerIsStopped() {
        PythonClient python = Clients.python("torch", "transformers", "openai", "PIL", "sentence_transformers");
        try (AtriumProcess server = AtriumProcess.start("--inference-python", python.python().toString(),
                "--inference-timeout", "1")) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            python.script("inference_limits.py", server.baseUrl(), alice, ItPaths.newTempDir("inference-timeout"))
                    .env("EXPECT", "timeout").runChecked();
        }
    }
}
