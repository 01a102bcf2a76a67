package dev.atrium.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the scripts in {@code src/it/python} with the Hugging Face client configuration Atrium documents:
 * endpoint and token from the environment, Xet uploads off, and a private HF_HOME so that no cache from a
 * previous server (same repo ids, different commits) or from huggingface.co is ever reused.
 */
public final class PythonClient {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** Settings a developer's shell may carry that would send the clients elsewhere or offline. */
    private static final String[] LEAKY_VARIABLES = {
            "HUGGINGFACE_CO_STAGING", "HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_DATASETS_OFFLINE",
            "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HUB_CACHE", "HF_DATASETS_CACHE", "HF_XET_CACHE",
            "HF_ASSETS_CACHE", "TRANSFORMERS_CACHE", "HF_HUB_DISABLE_IMPLICIT_TOKEN", "PYTHONPATH", "PYTHONHOME",
            "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"};

    private final Path python;
    private final Path scriptsDir;

    PythonClient(Path python, Path scriptsDir) {
        this.python = python;
        this.scriptsDir = scriptsDir;
    }

    public Path python() {
        return python;
    }

    /**
     * A configured, not yet started run of {@code src/it/python/<script>}; scratch files (HF_HOME, WORKDIR) go
     * under {@code workDir}. Add more environment (e.g. REPO_NAMESPACE) before running.
     */
    public Proc script(String script, String endpoint, String token, Path workDir, String... args) {
        List<String> command = new ArrayList<>(List.of(python.toString(), scriptsDir.resolve(script).toString()));
        command.addAll(List.of(args));
        return Proc.of(command)
                .removeEnv(LEAKY_VARIABLES)
                .env("HF_ENDPOINT", endpoint)
                .env("HF_TOKEN", token)
                .env("HF_HUB_DISABLE_XET", "1")
                .env("HF_HUB_DISABLE_TELEMETRY", "1")
                .env("HF_HOME", workDir.resolve("hf-home").toString())
                .env("WORKDIR", workDir.resolve("work").toString())
                .env("DISABLE_SAFETENSORS_CONVERSION", "1")
                .env("HF_HUB_DISABLE_PROGRESS_BARS", "1")
                // CI machines are slow and shared; the 10 s defaults would turn load into flaky failures.
                .env("HF_HUB_ETAG_TIMEOUT", "60")
                .env("HF_HUB_DOWNLOAD_TIMEOUT", "120")
                .env("PYTHONUNBUFFERED", "1")
                .env("PYTHONDONTWRITEBYTECODE", "1")
                .env("NO_PROXY", "127.0.0.1,localhost")
                .env("no_proxy", "127.0.0.1,localhost")
                .cwd(workDir)
                .timeout(TIMEOUT);
    }

    /** Runs a script against the server with the given token and requires exit code 0. */
    public Proc.Result run(String script, AtriumProcess server, String token) {
        return script(script, server.baseUrl(), token, ItPaths.newTempDir("py")).runChecked();
    }
}
