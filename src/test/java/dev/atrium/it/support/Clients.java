package dev.atrium.it.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the external clients the ITs drive (git + git-lfs, node + the JS client, the Python venv) and skips
 * the calling test, loudly, when one is missing: .ci/run installs them, but a developer machine may lack one.
 *
 * <p>Set {@code ATRIUM_IT_REQUIRE_CLIENTS=true} (or {@code -Datrium.it.requireClients=true}) to turn those skips
 * into failures once every machine that runs the suite is known to have the clients.
 */
public final class Clients {

    private static final Map<String, Optional<String>> PROBES = new ConcurrentHashMap<>();

    private Clients() {}

    /** git and git-lfs, with a clean throw-away HOME. */
    public static GitClient git() {
        Path git = require(onPath("git"), "git is not on PATH");
        require(onPath("git-lfs"), "git-lfs is not on PATH (apt-get install git-lfs)");
        return new GitClient(git);
    }

    /** node plus {@code src/it/js/node_modules} with @huggingface/hub. */
    public static NodeClient node() {
        Path node = require(onPath("node"), "node is not on PATH");
        Path jsDir = ItPaths.repoRoot().resolve("src/it/js");
        boolean installed = Files.isRegularFile(jsDir.resolve("node_modules/@huggingface/hub/package.json"));
        if (!installed) {
            skip("JS client @huggingface/hub not installed (run 'npm ci' in src/it/js)");
        }
        return new NodeClient(node, jsDir);
    }

    /** Debian's Chromium for the browser tests (driven by playwright-core from {@code src/it/js}). */
    public static Path chromium() {
        Path path = Path.of(System.getenv().getOrDefault("ATRIUM_IT_CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(path)) {
            skip("Chromium not installed (" + path + " missing; .ci/run installs Debian's chromium)");
        }
        Path jsDir = ItPaths.repoRoot().resolve("src/it/js");
        if (!Files.isRegularFile(jsDir.resolve("node_modules/playwright-core/package.json"))) {
            skip("playwright-core not installed (run 'npm ci' in src/it/js)");
        }
        return path;
    }

    /**
     * The Python interpreter of {@code .venv-it} (override with {@code ATRIUM_IT_PYTHON}), after checking that
     * it can import {@code huggingface_hub} and the given extra modules, and, when {@code ATRIUM_IT_HUB_VERSION} is
     * set, that its {@code huggingface_hub} version starts with that: a run meant for another release of the client
     * must not pass on the wrong one.
     */
    public static PythonClient python(String... extraModules) {
        String override = System.getenv("ATRIUM_IT_PYTHON");
        Path python = override != null && !override.isBlank()
                ? Path.of(override)
                : ItPaths.repoRoot().resolve(".venv-it/bin/python");
        if (!Files.isExecutable(python)) {
            skip("python huggingface_hub not installed (" + python + " missing; .ci/run creates .venv-it)");
        }
        String[] modules = concat("huggingface_hub", extraModules);
        String failure = PROBES.computeIfAbsent(python + " " + String.join(",", modules),
                key -> probeImports(python, modules)).orElse(null);
        if (failure != null) {
            skip("python modules " + String.join(", ", modules) + " not usable from " + python + ": " + failure);
        }
        return new PythonClient(python, ItPaths.repoRoot().resolve("src/it/python"));
    }

    /** The first executable named {@code name} on PATH. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Aborts the current test as skipped, printing why to stderr so that skips are seen in the build log. */
    public static void skip(String reason) {
        if (Boolean.getBoolean("atrium.it.requireClients")
                || "true".equalsIgnoreCase(System.getenv("ATRIUM_IT_REQUIRE_CLIENTS"))) {
            throw new AssertionError("required client missing: " + reason);
        }
        System.err.println("SKIPPED: " + reason);
        Assumptions.assumeTrue(false, "SKIPPED: " + reason);
    }

    private static Path require(Optional<Path> found, String reasonIfMissing) {
        if (found.isEmpty()) {
            skip(reasonIfMissing);
        }
        return found.orElseThrow();
    }

    private static Optional<String> probeImports(Path python, String[] modules) {
        String code = "import " + String.join(", ", modules);
        String version = System.getenv("ATRIUM_IT_HUB_VERSION");
        if (version != null && !version.isBlank()) {
            code += "\nv = huggingface_hub.__version__\nassert v.startswith('%s'), 'huggingface_hub ' + v + ', not %s*'"
                    .formatted(version, version);
        }
        Proc.Result result = Proc.of(python.toString(), "-c", code)
                .env("PYTHONDONTWRITEBYTECODE", "1")
                .timeout(Duration.ofMinutes(2))
                .run();
        return result.succeeded() ? Optional.empty() : Optional.of(lastLine(result.stderr()));
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines[lines.length - 1];
    }

    private static String[] concat(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }
}
