package dev.atrium.space;

import dev.atrium.repo.Repo;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * The command that runs a Streamlit app, and what it may see.
 *
 * <p>A Space's code is its author's. With bubblewrap, an app runs in namespaces of its own and sees only the system's
 * programs and libraries (read-only), the Python that runs it (read-only), its own files at {@code /app} (read-only),
 * and an empty {@code /tmp}: not the hub's data, other repos, the server's environment or its other processes. It
 * shares the network, as Spaces on the Hub reach the internet. Without a sandbox (a hub whose authors are all
 * trusted) it runs as the server's user, in its snapshot folder, with only a few harmless environment variables.
 */
abstract class SpaceSandbox {
    /** Unconfined: the app runs as the server's user. */
    static final SpaceSandbox NONE = new Unconfined(null);

    private static final String APP = "/app";
    private static final List<String> ETC = List.of("/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf",
            "/etc/ssl", "/etc/ca-certificates", "/etc/localtime", "/etc/mime.types", "/etc/passwd", "/etc/group");

    private final @Nullable Path python;

    private SpaceSandbox(@Nullable Path python) {
        this.python = python;
    }

    static SpaceSandbox of(SpaceSettings settings) {
        Path python = settings.python();
        if (settings.sandbox() == null) {
            return new Unconfined(python);
        }
        return new Bubblewrap(settings.sandbox(), python, pythonFolders(python));
    }

    /** The arguments before the app's command: the sandbox program and its options, or nothing. */
    abstract List<String> confine(Path files, Path appHome);

    /** Where the app sees its files. */
    abstract Path appFolder(Path files);

    /** Where the app sees its home folder (its writable place). */
    abstract Path appHome(Path appHome);

    /** The app's process; {@code variables} are the Space's own (its variables and secrets). */
    ProcessBuilder command(Path files, Path appHome, String appFile, int port, Repo space,
                           Map<String, String> variables) {
        List<String> command = new ArrayList<>(confine(files, appHome));
        command.addAll(List.of(String.valueOf(python), "-m", "streamlit", "run",
                appFolder(files).resolve(appFile).toString(),
                "--server.address", "127.0.0.1", "--server.port", String.valueOf(port),
                "--server.headless", "true", "--server.fileWatcherType", "none",
                "--browser.gatherUsageStats", "false", "--global.developmentMode", "false",
                "--client.toolbarMode", "minimal",
                // The hub's proxy is the app's only client and checks every request; the app's page runs in a
                // sandboxed frame, an opaque origin that has no cookies for Streamlit's own XSRF token.
                "--server.enableCORS", "false", "--server.enableXsrfProtection", "false"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(files.toFile());
        Map<String, String> env = builder.environment();
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        String lang = env.getOrDefault("LANG", "C.UTF-8");
        env.clear();
        env.putAll(variables);
        env.put("PATH", path);
        env.put("LANG", lang);
        env.put("HOME", appHome(appHome).toString());
        env.put("PYTHONUNBUFFERED", "1");
        // What a Space on the Hub finds in its environment.
        env.put("SYSTEM", "spaces");
        env.put("SPACE_ID", space.repoId().toString());
        env.put("SPACE_AUTHOR_NAME", space.repoId().namespace());
        env.put("SPACE_REPO_NAME", space.repoId().name());
        return builder;
    }

    private static final class Unconfined extends SpaceSandbox {
        Unconfined(@Nullable Path python) {
            super(python);
        }

        @Override
        List<String> confine(Path files, Path appHome) {
            return List.of();
        }

        @Override
        Path appFolder(Path files) {
            return files;
        }

        @Override
        Path appHome(Path appHome) {
            return appHome;
        }
    }

    private static final class Bubblewrap extends SpaceSandbox {
        private final Path bwrap;
        private final Set<Path> pythonFolders;

        Bubblewrap(Path bwrap, Path python, Set<Path> pythonFolders) {
            super(python);
            this.bwrap = bwrap;
            this.pythonFolders = pythonFolders;
        }

        @Override
        List<String> confine(Path files, Path appHome) {
            List<String> args = new ArrayList<>(List.of(bwrap.toString(), "--die-with-parent", "--new-session",
                    "--unshare-all", "--share-net", "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
                    "--tmpfs", "/tmp"));
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
            for (Path folder : pythonFolders) {
                args.addAll(List.of("--ro-bind", folder.toString(), folder.toString()));
            }
            args.addAll(List.of("--ro-bind", files.toString(), APP, "--bind", appHome.toString(), "/home/app",
                    "--chdir", APP, "--"));
            return args;
        }

        @Override
        Path appFolder(Path files) {
            return Path.of(APP);
        }

        @Override
        Path appHome(Path appHome) {
            return Path.of("/home/app");
        }
    }

    /** The folders the Python needs beyond {@code /usr}: its environment's and its base installation's. */
    private static Set<Path> pythonFolders(Path python) {
        try {
            Process p = new ProcessBuilder(python.toString(), "-c",
                    "import sys, os; print(sys.prefix); print(sys.base_prefix); print(os.path.realpath(sys.executable))")
                    .redirectErrorStream(true).start();
            List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .toList();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || lines.size() < 3) {
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
            if (!given.startsWith("/usr") && folders.stream().noneMatch(given::startsWith)) {
                folders.add(given);
            }
            return folders;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
