package dev.atrium.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Command-line git (with git-lfs) isolated from the machine: a throw-away HOME whose .gitconfig holds only what
 * the tests need, no system config, no credential helpers and no prompts. A developer's own git settings
 * (signing, hooks, url rewrites, credential helpers) would otherwise leak into the results.
 */
public final class GitClient {

    // What `git lfs install --skip-repo` writes, plus identity and a predictable default branch.
    private static final String GITCONFIG = """
            [user]
            \tname = Atrium IT
            \temail = it@atrium.test
            [init]
            \tdefaultBranch = main
            [advice]
            \tdetachedHead = false
            [filter "lfs"]
            \tclean = git-lfs clean -- %f
            \tsmudge = git-lfs smudge -- %f
            \tprocess = git-lfs filter-process
            \trequired = true
            """;

    /** Variables that redirect git elsewhere or inject configuration; never inherited from the test JVM. */
    private static final String[] LEAKY_VARIABLES = {
            "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
            "GIT_CONFIG", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT",
            "GIT_ASKPASS", "SSH_ASKPASS", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_PROXY_COMMAND", "GIT_TRACE",
            "GIT_CURL_VERBOSE", "GIT_LFS_SKIP_SMUDGE", "GIT_LFS_SKIP_PUSH", "GIT_NAMESPACE", "GIT_PROTOCOL",
            "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"};

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Path git;
    private final Path home;

    GitClient(Path git) {
        this.git = git;
        this.home = ItPaths.newTempDir("git-home");
        try {
            Files.writeString(home.resolve(".gitconfig"), GITCONFIG);
            Files.createDirectories(home.resolve(".config"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The isolated HOME; tests may add settings to its .gitconfig. */
    public Path home() {
        return home;
    }

    /** A configured but not yet started git command; {@code cwd} may be null for commands like clone. */
    public Proc command(@Nullable Path cwd, String... args) {
        List<String> command = new ArrayList<>();
        command.add(git.toString());
        command.addAll(List.of(args));
        Proc proc = Proc.of(command).removeEnv(LEAKY_VARIABLES).env(environment()).timeout(TIMEOUT);
        return cwd == null ? proc : proc.cwd(cwd);
    }

    /** Runs git and requires exit code 0. */
    public Proc.Result run(Path cwd, String... args) {
        return command(cwd, args).runChecked();
    }

    /** Clones into {@code target} (which must not exist yet) and returns it. */
    public Path cloneRepo(String url, Path target) {
        command(target.getParent(), "clone", url, target.getFileName().toString()).runChecked();
        return target;
    }

    /** The environment git runs with; also handy for running git-lfs directly. */
    public Map<String, String> environment() {
        return Map.of(
                "HOME", home.toString(),
                "XDG_CONFIG_HOME", home.resolve(".config").toString(),
                "GIT_CONFIG_NOSYSTEM", "1",
                "GIT_TERMINAL_PROMPT", "0",
                "LC_ALL", "C.UTF-8",
                "NO_PROXY", "127.0.0.1,localhost",
                "no_proxy", "127.0.0.1,localhost");
    }

    /**
     * The clone URL with the token as Basic-auth password, as {@code hf auth login --add-to-git-credential} would
     * supply it: {@code http://hf_user:TOKEN@host:port/{prefix}{ns}/{name}}.
     */
    public static String cloneUrl(String baseUrl, String token, String repoPath) {
        URI base = URI.create(baseUrl);
        String path = (base.getPath() == null ? "" : base.getPath()) + "/" + repoPath;
        return base.getScheme() + "://hf_user:" + token + "@" + base.getAuthority() + path;
    }

    /** Clone URL without credentials, for anonymous access to public repos. */
    public static String anonymousCloneUrl(String baseUrl, String repoPath) {
        return baseUrl + "/" + repoPath;
    }
}
