package dev.atrium.space;

import dev.atrium.repo.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The commands that build and run a Streamlit app, and what they may see.
 *
 * <p>A Space's code is its author's, and so are the packages its requirements name (pip runs their build code). With
 * bubblewrap, both run in namespaces of their own and see only the system's programs and libraries (read-only), the
 * Python that runs them (read-only), the app's files at {@code /app} (read-only), its packages at {@code /packages}
 * (written only by its build), an empty {@code /tmp} and a home of their own: not the hub's data, other repos, the
 * server's environment or its other processes. They share the network, as Spaces on the Hub reach the internet and
 * pip its index. Without a sandbox (a hub whose authors are all trusted) they run as the server's user, with only a
 * few harmless environment variables.
 */
abstract class SpaceSandbox {
    /** Disabled Spaces run nothing; this only keeps the field non-null. */
    static final SpaceSandbox NONE = new Unconfined(null, null, List.of());

    /** What one process may see: the app's files, its home, and its packages (written by a build, else read). */
    record View(Path files, Path home, @Nullable Path packages, boolean build) {}

    private static final String APP = "/app";
    private static final long TMP_BYTES = 1L << 30;
    private static final String PACKAGES = "/packages";
    private static final String PIP_CONFIG = "/etc/atrium-pip.conf";
    private static final List<String> ETC = List.of("/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf",
            "/etc/ssl", "/etc/ca-certificates", "/etc/localtime", "/etc/mime.types", "/etc/passwd", "/etc/group");

    private final @Nullable Path python;
    private final @Nullable Path pipConfig;
    /** Where packages installed with {@code --prefix P} are imported from, relative to P ({@code lib/python3.11/...}). */
    private final List<String> sitePackages;

    private SpaceSandbox(@Nullable Path python, @Nullable Path pipConfig, List<String> sitePackages) {
        this.python = python;
        this.pipConfig = pipConfig;
        this.sitePackages = sitePackages;
    }

    /**
     * The sandbox for {@code settings}. Refuses a Python whose folders (which apps see) hold the hub's data: an app
     * that read the server secret could forge any grant and unseal every Space's secrets.
     */
    static SpaceSandbox of(SpaceSettings settings, Path dataDir) {
        Path python = settings.python();
        PythonLayout layout = PythonLayout.of(python);
        if (settings.sandbox() == null) {
            return new Unconfined(python, settings.pipConfig(), layout.sitePackages());
        }
        Path data = realPath(dataDir);
        for (Path folder : layout.folders()) {
            if (folder.getParent() == null || data.startsWith(folder)) {
                throw new IllegalArgumentException("--spaces-python " + python + " would show Space apps " + folder
                        + ", which holds the hub's data (" + data + "): use a Python environment of its own, such"
                        + " as a venv outside the data folder");
            }
        }
        return new Bubblewrap(settings.sandbox(), python, settings.pipConfig(), layout);
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** The arguments before the command: the sandbox program and its options, or nothing. */
    abstract List<String> confine(View view);

    /** Where the process sees {@code path} of the host (the app's files, its home, its packages, pip's config). */
    abstract String seen(Path path, String inSandbox);

    /**
     * The app's process; {@code variables} are the Space's own (its variables and secrets). It answers only under
     * {@code secretPath}, which the hub alone knows: other apps on this machine can reach its port, not its pages.
     */
    ProcessBuilder command(View view, String appFile, int port, String secretPath, Repo space,
                           Map<String, String> variables) {
        List<String> command = new ArrayList<>(List.of(String.valueOf(python), "-m", "streamlit", "run",
                seen(view.files(), APP) + "/" + appFile,
                "--server.address", "127.0.0.1", "--server.port", String.valueOf(port),
                "--server.baseUrlPath", secretPath,
                "--server.headless", "true", "--server.fileWatcherType", "none",
                "--browser.gatherUsageStats", "false", "--global.developmentMode", "false",
                "--client.toolbarMode", "minimal",
                // The hub's proxy is the app's only client and checks every request; the app's page runs in a
                // sandboxed frame, an opaque origin that has no cookies for Streamlit's own XSRF token.
                "--server.enableCORS", "false", "--server.enableXsrfProtection", "false"));
        ProcessBuilder builder = process(view, command, variables);
        Map<String, String> env = builder.environment();
        if (view.packages() != null) {
            String packages = seen(view.packages(), PACKAGES);
            env.put("PYTHONPATH", String.join(":", sitePackages.stream().map(s -> packages + "/" + s).toList()));
        }
        // What a Space on the Hub finds in its environment.
        env.put("SYSTEM", "spaces");
        env.put("SPACE_ID", space.repoId().toString());
        env.put("SPACE_AUTHOR_NAME", space.repoId().namespace());
        env.put("SPACE_REPO_NAME", space.repoId().name());
        return builder;
    }

    /** pip installing the app's requirements into its packages folder, beside what the Spaces Python has. */
    ProcessBuilder build(View view) {
        ProcessBuilder builder = process(view, List.of(String.valueOf(python), "-m", "pip", "install",
                "--disable-pip-version-check", "--no-input", "--no-warn-script-location", "--progress-bar", "off",
                "--prefix", seen(view.packages(), PACKAGES), "-r",
                seen(view.files(), APP) + "/" + SpaceBuilds.REQUIREMENTS), Map.of());
        Map<String, String> env = builder.environment();
        env.put("PIP_NO_CACHE_DIR", "1");
        if (pipConfig != null) {
            env.put("PIP_CONFIG_FILE", seen(pipConfig, PIP_CONFIG));
        }
        return builder;
    }

    private ProcessBuilder process(View view, List<String> command, Map<String, String> variables) {
        List<String> all = new ArrayList<>(confine(view));
        all.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(all).directory(view.files().toFile());
        Map<String, String> env = builder.environment();
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        String lang = env.getOrDefault("LANG", "C.UTF-8");
        env.clear();
        env.putAll(variables);
        env.put("PATH", path);
        env.put("LANG", lang);
        env.put("HOME", seen(view.home(), "/home/app"));
        env.put("PYTHONUNBUFFERED", "1");
        return builder;
    }

    private static final class Unconfined extends SpaceSandbox {
        Unconfined(@Nullable Path python, @Nullable Path pipConfig, List<String> sitePackages) {
            super(python, pipConfig, sitePackages);
        }

        @Override
        List<String> confine(View view) {
            return List.of();
        }

        @Override
        String seen(Path path, String inSandbox) {
            return path.toString();
        }
    }

    private static final class Bubblewrap extends SpaceSandbox {
        private final Path bwrap;
        private final PythonLayout layout;
        private final @Nullable Path pipConfig;
        private final Set<Path> pipFolders;

        Bubblewrap(Path bwrap, Path python, @Nullable Path pipConfig, PythonLayout layout) {
            super(python, pipConfig, layout.sitePackages());
            this.bwrap = bwrap;
            this.layout = layout;
            this.pipConfig = pipConfig;
            this.pipFolders = pipConfig == null ? Set.of() : localFolders(pipConfig);
        }

        @Override
        List<String> confine(View view) {
            List<String> args = new ArrayList<>(List.of(bwrap.toString(), "--die-with-parent", "--new-session",
                    "--unshare-all", "--share-net", "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
                    // /tmp is memory: bounded, so that an app cannot fill the machine's memory through it.
                    "--size", String.valueOf(TMP_BYTES), "--tmpfs", "/tmp"));
            for (String top : List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64")) {
                Path p = Path.of(top);
                if (Files.isSymbolicLink(p)) {
                    try {
                        args.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), top));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                } else if (Files.isDirectory(p)) {
                    args.addAll(List.of("--ro-bind", top, top));
                }
            }
            for (String etc : ETC) {
                args.addAll(List.of("--ro-bind-try", etc, etc));
            }
            for (Path folder : layout.folders()) {
                args.addAll(List.of("--ro-bind", folder.toString(), folder.toString()));
            }
            if (view.build()) {
                // The machine's pip configuration may hold an index's credentials: builds only, never apps.
                args.addAll(List.of("--ro-bind-try", "/etc/pip.conf", "/etc/pip.conf"));
                if (pipConfig != null) {
                    args.addAll(List.of("--ro-bind", pipConfig.toString(), PIP_CONFIG));
                }
                for (Path folder : pipFolders) {
                    args.addAll(List.of("--ro-bind-try", folder.toString(), folder.toString()));
                }
            }
            if (view.packages() != null) {
                args.addAll(List.of(view.build() ? "--bind" : "--ro-bind", view.packages().toString(), PACKAGES));
            }
            args.addAll(List.of("--ro-bind", view.files().toString(), APP, "--bind", view.home().toString(),
                    "/home/app", "--chdir", APP, "--"));
            return args;
        }

        @Override
        String seen(Path path, String inSandbox) {
            return inSandbox;
        }
    }

    /**
     * The local folders a pip configuration reads packages from ({@code find-links} folders, {@code file://}
     * indexes): a build must see them, as the machine's own pip does.
     */
    static Set<Path> localFolders(Path pipConfig) {
        Set<Path> folders = new LinkedHashSet<>();
        try {
            for (String line : Files.readAllLines(pipConfig, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                String key = eq < 0 ? "" : line.substring(0, eq).strip();
                if (!Set.of("find-links", "index-url", "extra-index-url").contains(key)) {
                    continue;
                }
                for (String value : line.substring(eq + 1).strip().split("\\s+")) {
                    Path local = value.startsWith("file:") ? Path.of(URI.create(value))
                            : value.startsWith("/") ? Path.of(value) : null;
                    if (local != null) {
                        folders.add(local.normalize());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return folders;
    }

    /**
     * Where the Spaces Python lives beyond {@code /usr} (its environment's and its base installation's folders, to
     * bind), and where packages installed with {@code --prefix} go, asked of the Python itself once.
     */
    record PythonLayout(Set<Path> folders, List<String> sitePackages) {
        static PythonLayout of(@Nullable Path python) {
            if (python == null) {
                return new PythonLayout(Set.of(), List.of());
            }
            try {
                Process p = new ProcessBuilder(python.toString(), "-c", String.join("\n",
                        "import os, sys, sysconfig",
                        "print(sys.prefix); print(sys.base_prefix); print(os.path.realpath(sys.executable))",
                        "v = {'base': '/P', 'platbase': '/P'}",
                        "print(os.path.relpath(sysconfig.get_path('purelib', vars=v), '/P'))",
                        "print(os.path.relpath(sysconfig.get_path('platlib', vars=v), '/P'))"))
                        .redirectErrorStream(true).start();
                List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                        .toList();
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || lines.size() < 5) {
                    throw new IllegalArgumentException("--spaces-python " + python + " did not run: "
                            + String.join(" ", lines));
                }
                Set<Path> folders = new LinkedHashSet<>();
                for (String line : lines.subList(0, 2)) {
                    Path folder = Path.of(line).toRealPath();
                    if (!folder.startsWith("/usr")) {
                        folders.add(folder);
                    }
                }
                Path executableFolder = Path.of(lines.get(2)).getParent();
                if (folders.stream().noneMatch(executableFolder::startsWith) && !executableFolder.startsWith("/usr")) {
                    folders.add(executableFolder);
                }
                // The environment's own path too, when it is reached through a link: the app is started by that path.
                Path given = python.toAbsolutePath().getParent().getParent();
                if (given != null && Files.isRegularFile(given.resolve("pyvenv.cfg")) && !given.startsWith("/usr")
                        && folders.stream().noneMatch(given::startsWith)) {
                    folders.add(given);
                }
                return new PythonLayout(folders, List.copyOf(new LinkedHashSet<>(lines.subList(3, 5))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
