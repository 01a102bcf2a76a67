package dev.atrium.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control groups for Space apps. The tests named {@code onThisMachine} use the kernel's own control groups (the
 * memory limit really kills, the processes really end) and are skipped where the tests may not make groups (not
 * root, no delegated cgroup v2): CI runs them as root. This machine has cgroup v1 controllers only, so the cgroup v2
 * layout is checked against a folder laid out as the kernel lays out cgroup v2 files, which stands in for it.
 */
class SpaceCgroupsTest {
    private static final SpaceHardware ONE_GIB = new SpaceHardware("tiny", 1, 1, 1);
    private final List<SpaceCgroups> made = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void removeFolders() {
        made.forEach(SpaceCgroups::close);
    }

    private SpaceCgroups onThisMachine(String folder) throws IOException {
        String self = Files.isReadable(Path.of("/proc/self/cgroup")) ? Files.readString(Path.of("/proc/self/cgroup"))
                : "";
        SpaceCgroups groups = SpaceCgroups.of("auto", Path.of("/sys/fs/cgroup"), self, folder);
        assumeTrue(groups.limits(), groups.describe());
        made.add(groups);
        return groups;
    }

    private static Process run(SpaceCgroups.Group group, String... command) throws IOException {
        List<String> words = new ArrayList<>(group.enter());
        words.addAll(List.of(command));
        return new ProcessBuilder(words).redirectErrorStream(true).start();
    }

    private static int exit(Process process) throws Exception {
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the process ended");
        return process.exitValue();
    }

    @Test
    void anAppOverItsMemory_isKilled_andTheGroupSaysWhy_onThisMachine() throws Exception {
        SpaceCgroups groups = onThisMachine("atrium-spaces-test-" + ProcessHandle.current().pid() + "-memory");
        try (SpaceCgroups.Group hog = groups.create("hog", ONE_GIB);
             SpaceCgroups.Group modest = groups.create("modest", ONE_GIB)) {
            // Two GiB written (not just reserved) in a group of one.
            Process over = run(hog, "python3", "-c", "b = b'x' * (2 << 30); print(len(b))");
            Process within = run(modest, "python3", "-c", "b = b'x' * (256 << 20); print(len(b))");

            assertEquals(137, exit(over), "killed (SIGKILL) by the kernel");
            assertTrue(hog.memoryExceeded());
            assertEquals(0, exit(within), new String(within.getInputStream().readAllBytes()));
            assertFalse(modest.memoryExceeded());
        }
    }

    @Test
    void closingAGroup_endsWhatRunsInIt_andAStartRemovesWhatAnEndedHubLeft_onThisMachine() throws Exception {
        String folder = "atrium-spaces-test-" + ProcessHandle.current().pid() + "-close";
        SpaceCgroups groups = onThisMachine(folder);
        SpaceCgroups.Group group = groups.create("sleeper", ONE_GIB);
        // A shell whose child sleeps: the child is in the group too, though not the started process.
        Process shell = run(group, "sh", "-c", "sleep 600 & echo $!; wait");
        long child = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(shell.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8)).readLine().strip());

        group.close();

        assertEquals(137, exit(shell));
        assertTrue(ended(child), "the shell's child ended too");

        SpaceCgroups.Group left = groups.create("left", ONE_GIB);
        Process orphan = run(left, "sleep", "600");
        awaitCommand(orphan, "sleep");
        SpaceCgroups again = onThisMachine(folder);

        assertEquals(137, exit(orphan), "a group left by an earlier hub is emptied at start");
        assertTrue(again.limits());
    }

    /** Waits until {@code process} runs {@code command}: it has entered its group, then become the command. */
    private static void awaitCommand(Process process, String command) throws InterruptedException {
        for (int i = 0; i < 100 && !process.info().command().orElse("").endsWith(command); i++) {
            Thread.sleep(20);
        }
    }

    private static boolean ended(long pid) {
        return ProcessHandle.of(pid).map(p -> p.onExit().orTimeout(5, TimeUnit.SECONDS)
                .handle((done, failure) -> failure == null).join()).orElse(true);
    }

    @Test
    void v2_theGroupGetsItsHardwaresLimits_andTheHubsControllersAreEnabled() throws Exception {
        // A cgroup v2 tree as the kernel shows it (see the class comment): the hub in atrium.service/hub, as systemd's
        // DelegateSubgroup=hub puts it, and its groups' folder beside it.
        Path root = dir.resolve("cgroup");
        Path service = root.resolve("system.slice/atrium.service");
        Path base = service.resolve("atrium-spaces-x");
        for (Path folder : List.of(root, service, base)) {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("cgroup.controllers"), "cpuset cpu io memory pids\n");
            Files.writeString(folder.resolve("cgroup.subtree_control"), "cpu memory pids\n");
            Files.writeString(folder.resolve("cgroup.procs"), "");
        }

        SpaceCgroups groups = SpaceCgroups.of("auto", root, "0::/system.slice/atrium.service/hub\n",
                "atrium-spaces-x");
        SpaceCgroups.Group group = groups.create("app-1", new SpaceHardware("cpu-basic", 2, 16, 50));

        assertTrue(groups.limits(), groups.describe());
        Path app = base.resolve("app-1");
        assertEquals(String.valueOf(16L << 30), Files.readString(app.resolve("memory.max")));
        assertEquals("200000 100000", Files.readString(app.resolve("cpu.max")));
        assertEquals(String.valueOf(SpaceCgroups.PROCESSES), Files.readString(app.resolve("pids.max")));
        List<String> enter = group.enter();
        assertEquals(List.of("/bin/sh", "-c"), enter.subList(0, 2));
        assertEquals(List.of(app.resolve("cgroup.procs").toString(), "--"), enter.subList(4, 6));
    }

    @Test
    void v2_withoutTheMemoryController_givesNoLimits_orRefusesTheFolderItWasGiven() throws Exception {
        Path root = dir.resolve("cgroup");
        Files.createDirectories(root);
        Files.writeString(root.resolve("cgroup.controllers"), "cpu pids\n");
        Files.writeString(root.resolve("cgroup.subtree_control"), "cpu pids\n");
        Files.writeString(root.resolve("cgroup.procs"), "");
        Path base = root.resolve("atrium-spaces-x");
        Files.createDirectories(base);
        Files.writeString(base.resolve("cgroup.controllers"), "cpu pids\n");
        Files.writeString(base.resolve("cgroup.subtree_control"), "cpu pids\n");
        Files.writeString(base.resolve("cgroup.procs"), "");

        SpaceCgroups auto = SpaceCgroups.of("auto", root, "0::/\n", "atrium-spaces-x");

        assertFalse(auto.limits());
        assertTrue(auto.describe().contains("memory controller"), auto.describe());
        IllegalArgumentException given = assertThrows(IllegalArgumentException.class,
                () -> SpaceCgroups.of(base.toString(), root, "0::/\n", "unused"));
        assertTrue(given.getMessage().contains("memory controller"), given.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpaceCgroups.of(dir.toString(), root, "0::/\n", "unused"),
                "a folder that is not a cgroup");
        assertFalse(SpaceCgroups.of("none", root, "0::/\n", "unused").limits());
    }

    @Test
    void theHubsOwnGroup_isReadFromProcSelfCgroup() {
        String v1 = "12:pids:/a\n4:memory:/process_api/x\n3:cpu,cpuacct:/b\n0::/\n";

        assertEquals(Optional.of("/process_api/x"), SpaceCgroups.ownPath(v1, "memory"));
        assertEquals(Optional.of("/b"), SpaceCgroups.ownPath(v1, "cpu"));
        assertEquals(Optional.of("/"), SpaceCgroups.ownPath(v1, ""));
        assertEquals(Optional.of("/system.slice/atrium.service/hub"),
                SpaceCgroups.ownPath("0::/system.slice/atrium.service/hub\n", ""));
        assertEquals(Optional.empty(), SpaceCgroups.ownPath("0::/\n", "memory"));
    }

    @Test
    void hardware_isParsedFromItsOption_andNamedAsOnTheHub() {
        assertEquals(List.of(new SpaceHardware("cpu-basic", 2, 16, 50), new SpaceHardware("cpu-upgrade", 8, 32, 50)),
                SpaceHardware.parseAll("cpu-basic:2:16, cpu-upgrade:8:32"));
        assertEquals(List.of(new SpaceHardware("big", 4, 8, 200)), SpaceHardware.parseAll("big:4:8:200"));
        assertEquals("CPU Basic", new SpaceHardware("cpu-basic", 2, 16, 50).prettyName());
        assertEquals("16Gi", new SpaceHardware("cpu-basic", 2, 16, 50).memoryLabel());
        assertThrows(IllegalArgumentException.class, () -> SpaceHardware.parseAll("cpu-basic:2"));
        assertThrows(IllegalArgumentException.class, () -> SpaceHardware.parseAll("cpu-basic:2:16,cpu-basic:4:8"));
        assertThrows(IllegalArgumentException.class, () -> SpaceHardware.parseAll("CPU:0:16"));
    }
}
