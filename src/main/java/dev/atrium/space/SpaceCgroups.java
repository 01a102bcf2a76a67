package dev.atrium.space;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kernel control groups that hold each Space app's processes (its requirements' build too), so that together they
 * use no more memory and CPU than its {@link SpaceHardware} and no more than {@link #PROCESSES} processes: without
 * them one app that leaks memory or forks without end takes the machine, and the hub on it, down. An app over its
 * memory is killed by the kernel, as a Space on the Hub is, and its runtime says "Memory limit exceeded".
 *
 * <p>Groups are made in a folder of the hub's own ({@code atrium-spaces-} and a name for its data folder, so that two
 * hubs on one machine never touch each other's apps): on cgroup v2, beside the hub's own group (with systemd's
 * {@code Delegate=yes} and {@code DelegateSubgroup=hub}, inside the service's, which is the hub's to manage), or
 * in a group given with {@code --spaces-cgroup}; on a machine still on cgroup v1, inside the hub's group in each
 * hierarchy. A process enters its group before it runs anything (a shell writes its own PID there and then executes
 * the app's command), so nothing it starts runs outside.
 */
abstract class SpaceCgroups {
    private static final Logger LOG = LoggerFactory.getLogger(SpaceCgroups.class);
    /** Processes and threads of one app: many more than Streamlit or pip use, few enough to stop a fork bomb. */
    static final int PROCESSES = 4096;
    private static final long CPU_PERIOD_MICROS = 100_000;
    /** Writes its PID to each {@code cgroup.procs} named before {@code --}, then becomes the command after it. */
    private static final String ENTER = "for f; do if [ \"$f\" = -- ]; then break; fi; echo $$ > \"$f\" || exit 125;"
            + " shift; done; shift; exec \"$@\"";

    /** Apps run without limits: the machine has no control groups the hub may manage, or its owner said none. */
    static SpaceCgroups none(String why) {
        return new None(why);
    }

    /** One app run's group: made before its first process starts, removed when it stops. */
    interface Group extends AutoCloseable {
        /** The words to put before a command so that its process runs in this group. */
        List<String> enter();

        /** Whether the kernel killed a process of the group because the group was at its memory limit. */
        boolean memoryExceeded();

        /** Ends what still runs in the group and removes it; again does nothing. */
        @Override
        void close();
    }

    /** A new group named {@code name}, limited to {@code hardware}. */
    abstract Group create(String name, SpaceHardware hardware) throws IOException;

    /** What confines apps, said once at start-up. */
    abstract String describe();

    /** Whether apps get limits at all. */
    abstract boolean limits();

    /** Removes this hub's folder of groups, once every group in it is closed (the hub stops). */
    abstract void close();

    /**
     * The groups {@code option} asks for: {@code auto} (where this machine lets the hub make them, else none, which
     * start-up says), {@code none}, or a cgroup v2 folder the hub may manage. {@code root} is where cgroups are
     * mounted ({@code /sys/fs/cgroup}), {@code self} what {@code /proc/self/cgroup} says, {@code folder} the name of
     * this hub's folder of groups. Groups that a hub that ended left there are removed, with what still ran in them.
     */
    static SpaceCgroups of(String option, Path root, String self, String folder) {
        if (option.equals("none")) {
            return none("--spaces-cgroup none");
        }
        boolean auto = option.equals("auto");
        try {
            if (!auto) {
                Path given = Path.of(option);
                if (!Files.isRegularFile(given.resolve("cgroup.procs"))
                        || !Files.isRegularFile(given.resolve("cgroup.controllers"))) {
                    throw new IllegalArgumentException("--spaces-cgroup " + option + " is not a cgroup v2 folder");
                }
                return Unified.prepare(given);
            }
            if (Files.isRegularFile(root.resolve("cgroup.controllers"))) {
                String own = ownPath(self, "").orElse("/");
                Path parent = own.equals("/") ? root : root.resolve(own.substring(1)).getParent();
                return Unified.prepare(parent.resolve(folder));
            }
            if (Files.isRegularFile(root.resolve("memory").resolve("cgroup.procs"))) {
                return Legacy.prepare(root, self, folder);
            }
            return none("this machine has no cgroup v1 memory hierarchy or cgroup v2 under " + root);
        } catch (IOException | UncheckedIOException e) {
            String why = "the hub may not make control groups here (" + e.getMessage() + ")";
            if (auto) {
                return none(why);
            }
            throw new IllegalArgumentException("--spaces-cgroup " + option + ": " + why, e);
        }
    }

    /**
     * The hub's own group in the hierarchy of {@code controller} ({@code ""}: cgroup v2), from the lines of
     * {@code /proc/self/cgroup} ({@code id:controllers:path}).
     */
    static Optional<String> ownPath(String self, String controller) {
        for (String line : self.split("\n")) {
            String[] parts = line.split(":", 3);
            if (parts.length == 3 && (controller.isEmpty() ? parts[0].equals("0") && parts[1].isEmpty()
                    : List.of(parts[1].split(",")).contains(controller))) {
                return Optional.of(parts[2].strip());
            }
        }
        return Optional.empty();
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static void write(Path file, String value) throws IOException {
        Files.writeString(file, value, StandardCharsets.UTF_8);
    }

    /** The number after {@code key} in a file of {@code key value} lines ({@code memory.events}). */
    private static long field(Path file, String key) {
        try {
            for (String line : read(file).split("\n")) {
                String[] parts = line.strip().split("\\s+");
                if (parts.length == 2 && parts[0].equals(key)) {
                    return Long.parseLong(parts[1]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("Reading {}: {}", file, e.toString());
        }
        return 0;
    }

    /** Kills every process in {@code folders} and removes them, waiting a little for the dying to go. */
    private static void remove(List<Path> folders) {
        for (int attempt = 0; ; attempt++) {
            for (Path folder : folders) {
                killAll(folder);
            }
            try {
                for (Path folder : folders) {
                    Files.deleteIfExists(folder);
                }
                return;
            } catch (FileSystemException e) {
                if (attempt == 100) {
                    LOG.warn("Removing the control group {}: {}", e.getFile(), e.getReason());
                    return;
                }
                sleep();
            } catch (IOException e) {
                LOG.warn("Removing a Space's control group: {}", e.toString());
                return;
            }
        }
    }

    private static void killAll(Path folder) {
        try {
            for (String pid : read(folder.resolve("cgroup.procs")).split("\\s+")) {
                if (!pid.isEmpty()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (NoSuchFileException e) {
            // Removed already.
        } catch (IOException | NumberFormatException e) {
            LOG.debug("Listing the processes of {}: {}", folder, e.toString());
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes the groups under {@code base} that a hub that ended left, with what still runs in them. */
    private static void removeLeftovers(Path base) throws IOException {
        List<Path> left = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(base, Files::isDirectory)) {
            children.forEach(left::add);
        }
        for (Path child : left) {
            remove(List.of(child));
        }
    }

    /** One group's folders (one per hierarchy on cgroup v1) and where it learns of the kernel's memory kills. */
    private record GroupFolders(List<Path> folders, Path memoryEvents, String oomKey) implements Group {
        @Override
        public List<String> enter() {
            List<String> words = new ArrayList<>(List.of("/bin/sh", "-c", ENTER, "atrium-space"));
            folders.forEach(f -> words.add(f.resolve("cgroup.procs").toString()));
            words.add("--");
            return words;
        }

        @Override
        public boolean memoryExceeded() {
            return field(memoryEvents, oomKey) > 0;
        }

        @Override
        public void close() {
            remove(folders);
        }
    }

    private static final class None extends SpaceCgroups {
        private final String why;

        None(String why) {
            this.why = why;
        }

        @Override
        Group create(String name, SpaceHardware hardware) {
            return new Group() {
                @Override public List<String> enter() { return List.of(); }
                @Override public boolean memoryExceeded() { return false; }
                @Override public void close() { }
            };
        }

        @Override
        String describe() {
            return "Space apps run without memory, CPU or process limits: " + why;
        }

        @Override
        boolean limits() {
            return false;
        }

        @Override
        void close() {
        }
    }

    /** cgroup v2: one hierarchy, controllers enabled for a folder's children by its {@code cgroup.subtree_control}. */
    private static final class Unified extends SpaceCgroups {
        private static final List<String> WANTED = List.of("memory", "cpu", "pids");
        private final Path base;
        private final Set<String> controllers;

        private Unified(Path base, Set<String> controllers) {
            this.base = base;
            this.controllers = controllers;
        }

        /** Makes {@code base} and lets its children be limited; the memory controller at least must be there. */
        static Unified prepare(Path base) throws IOException {
            if (!Files.isDirectory(base)) {
                Files.createDirectories(base);
            }
            enable(base.getParent());
            enable(base);
            Set<String> available = Set.of(read(base.resolve("cgroup.subtree_control")).strip().split("\\s+"));
            if (!available.contains("memory")) {
                throw new IOException("the memory controller cannot be enabled in " + base);
            }
            removeLeftovers(base);
            return new Unified(base, available);
        }

        /** Turns on, for {@code folder}'s children, the wanted controllers it has and has not turned on yet. */
        private static void enable(Path folder) throws IOException {
            Set<String> has = Set.of(read(folder.resolve("cgroup.controllers")).strip().split("\\s+"));
            Set<String> on = Set.of(read(folder.resolve("cgroup.subtree_control")).strip().split("\\s+"));
            for (String controller : WANTED) {
                if (has.contains(controller) && !on.contains(controller)) {
                    try {
                        write(folder.resolve("cgroup.subtree_control"), "+" + controller);
                    } catch (IOException e) {
                        throw new IOException("enabling the " + controller + " controller in " + folder + ": "
                                + (e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                                : e.toString()), e);
                    }
                }
            }
        }

        @Override
        Group create(String name, SpaceHardware hardware) throws IOException {
            Path folder = base.resolve(name);
            Files.createDirectory(folder);
            GroupFolders group = new GroupFolders(List.of(folder), folder.resolve("memory.events"), "oom_kill");
            try {
                write(folder.resolve("memory.max"), String.valueOf(hardware.memoryBytes()));
                // Memory is memory: an app that swapped instead of stopping would slow every other one.
                writeIfPresent(folder.resolve("memory.swap.max"), "0");
                // The whole app stops at its limit, as on the Hub, not just its largest process.
                writeIfPresent(folder.resolve("memory.oom.group"), "1");
                if (controllers.contains("cpu")) {
                    write(folder.resolve("cpu.max"), hardware.cpus() * CPU_PERIOD_MICROS + " " + CPU_PERIOD_MICROS);
                }
                if (controllers.contains("pids")) {
                    write(folder.resolve("pids.max"), String.valueOf(PROCESSES));
                }
                return group;
            } catch (IOException | RuntimeException e) {
                group.close();
                throw e;
            }
        }

        private static void writeIfPresent(Path file, String value) throws IOException {
            if (Files.exists(file)) {
                write(file, value);
            }
        }

        @Override
        String describe() {
            return "Space apps run in control groups under " + base + " (cgroup v2: " + String.join(", ",
                    controllers.stream().filter(WANTED::contains).sorted().toList()) + ")";
        }

        @Override
        boolean limits() {
            return true;
        }

        @Override
        void close() {
            remove(List.of(base));
        }
    }

    /** cgroup v1: a hierarchy per controller, each with the hub's own group in it. */
    private static final class Legacy extends SpaceCgroups {
        private final Map<String, Path> bases;

        private Legacy(Map<String, Path> bases) {
            this.bases = bases;
        }

        static Legacy prepare(Path root, String self, String folder) throws IOException {
            Map<String, Path> bases = new LinkedHashMap<>();
            for (String controller : List.of("memory", "cpu", "pids")) {
                Path hierarchy = root.resolve(controller);
                Optional<String> own = ownPath(self, controller);
                if (own.isEmpty() || !Files.isRegularFile(hierarchy.resolve("cgroup.procs"))) {
                    if (controller.equals("memory")) {
                        throw new IOException("no cgroup v1 memory hierarchy under " + root);
                    }
                    continue;
                }
                Path base = hierarchy.resolve(own.get().substring(1)).resolve(folder);
                Files.createDirectories(base);
                removeLeftovers(base);
                bases.put(controller, base);
            }
            return new Legacy(bases);
        }

        @Override
        Group create(String name, SpaceHardware hardware) throws IOException {
            List<Path> folders = new ArrayList<>();
            Path memory = bases.get("memory").resolve(name);
            GroupFolders group = new GroupFolders(folders, memory.resolve("memory.oom_control"), "oom_kill");
            try {
                for (Map.Entry<String, Path> base : bases.entrySet()) {
                    Path folder = base.getValue().resolve(name);
                    Files.createDirectory(folder);
                    folders.add(folder);
                    switch (base.getKey()) {
                        case "memory" -> write(folder.resolve("memory.limit_in_bytes"),
                                String.valueOf(hardware.memoryBytes()));
                        case "cpu" -> {
                            write(folder.resolve("cpu.cfs_period_us"), String.valueOf(CPU_PERIOD_MICROS));
                            write(folder.resolve("cpu.cfs_quota_us"), String.valueOf(hardware.cpus()
                                    * CPU_PERIOD_MICROS));
                        }
                        default -> write(folder.resolve("pids.max"), String.valueOf(PROCESSES));
                    }
                }
                return new GroupFolders(List.copyOf(folders), group.memoryEvents(), group.oomKey());
            } catch (IOException | RuntimeException e) {
                group.close();
                throw e;
            }
        }

        @Override
        String describe() {
            return "Space apps run in control groups under " + bases.get("memory") + " (cgroup v1: "
                    + String.join(", ", bases.keySet()) + ")";
        }

        @Override
        boolean limits() {
            return true;
        }

        @Override
        void close() {
            remove(List.copyOf(bases.values()));
        }
    }
}
