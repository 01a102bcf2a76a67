package dev.atrium.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs the ESM scripts in {@code src/it/js} (official @huggingface/hub client) with node. */
public final class NodeClient {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private final Path node;
    private final Path jsDir;

    NodeClient(Path node, Path jsDir) {
        this.node = node;
        this.jsDir = jsDir;
    }

    /** A configured, not yet started run of {@code src/it/js/<script>}; add environment before running. */
    public Proc script(String script, String... args) {
        List<String> command = new ArrayList<>(List.of(node.toString(), jsDir.resolve(script).toString()));
        command.addAll(List.of(args));
        return Proc.of(command)
                .removeEnv("NODE_OPTIONS", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY")
                .env("NO_PROXY", "127.0.0.1,localhost")
                .cwd(jsDir)
                .timeout(TIMEOUT);
    }

    /** hub-roundtrip.mjs on model repo {@code repo} (e.g. {@code alice/js-model}); requires exit code 0. */
    public Proc.Result hubRoundtrip(AtriumProcess server, String token, String repo) {
        return hubRoundtrip(server, token, repo, true);
    }

    /** As above; {@code useXet} false uploads as a user who turned Xet off ({@code useXet: false}). */
    public Proc.Result hubRoundtrip(AtriumProcess server, String token, String repo, boolean useXet) {
        return hubRoundtrip(server, token, repo, useXet, null);
    }

    /** As above; with {@code contributorToken} (another user's read token) a pull request is opened too. */
    public Proc.Result hubRoundtrip(AtriumProcess server, String token, String repo, boolean useXet,
                                    String contributorToken) {
        Proc run = script("hub-roundtrip.mjs")
                .env("HUB_URL", server.baseUrl())
                .env("HF_TOKEN", token)
                .env("REPO", repo)
                .env("WORKDIR", ItPaths.newTempDir("js").toString());
        if (contributorToken != null) {
            run = run.env("HF_TOKEN_CONTRIBUTOR", contributorToken);
        }
        return (useXet ? run : run.env("JS_USE_XET", "0")).runChecked();
    }
}
