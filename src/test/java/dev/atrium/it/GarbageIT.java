package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PythonClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code atrium admin gc}, run while the server runs, after repos whose files were uploaded through Xet and through
 * LFS are deleted ({@code src/it/python/gc.py}): a dry run frees nothing, the real run frees the deleted repos' own
 * files, and another repo's files that shared their chunks or their blob still download byte for byte.
 */
class GarbageIT {
    private static final long MIB = 1 << 20;

    @Test
    void gc_freesWhatDeletedReposAloneUsed_andKeepsWhatOthersShare() throws IOException {
        PythonClient python = Clients.python();
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            Path work = ItPaths.newTempDir("gc");
            for (String phase : List.of("upload", "check")) {
                if (phase.equals("check")) {
                    long before = stored(server);
                    String dryRun = server.admin().run(List.of("gc", "--grace-hours", "0")).stdout();
                    assertTrue(dryRun.contains("would remove") && !dryRun.contains(" 0 unused xorbs"), dryRun);
                    assertEquals(before, stored(server), "a dry run frees nothing");
                    String applied = server.admin().run(List.of("gc", "--grace-hours", "0", "--apply")).stdout();
                    assertTrue(applied.startsWith("removed"), applied);
                    long freed = before - stored(server);
                    assertTrue(freed >= 9 * MIB && freed < 10 * MIB, "alice's own files are freed (6 MiB through "
                            + "Xet, 3 MiB through LFS), the shared ones are not: " + freed + " bytes; " + applied);
                }
                python.script("gc.py", server.baseUrl(), alice, work, phase)
                        .removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default").env("TOKEN_BOB", bob)
                        .runChecked();
            }
            assertTrue(server.admin().run(List.of("gc", "--grace-hours", "0", "--apply")).stdout()
                    .contains(" 0 unused xorbs"), "a second collection finds nothing left");
        }
    }

    /** Bytes of the blobs under the data directory, upload temp files left out. */
    private static long stored(AtriumProcess server) throws IOException {
        Path blobs = server.dataDir().resolve("blobs");
        try (Stream<Path> files = Files.walk(blobs)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.startsWith(blobs.resolve("tmp")))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
