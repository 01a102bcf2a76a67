package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code list_lfs_files} and {@code permanently_delete_lfs_files} with the real huggingface_hub client
 * ({@code src/it/python/lfs_storage.py}), then {@code atrium admin gc}: the deleted files' bytes are freed.
 */
class LfsStorageIT {
    private static final long MIB = 1 << 20;

    @Test
    void permanentDeletion_rewritesHistory_andGcFreesTheBytes() throws IOException {
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String read = server.admin().createToken("alice", "read");
            String bob = server.admin().createUserWithToken("bob", "write").token();
            Clients.python().script("lfs_storage.py", server.baseUrl(), alice, ItPaths.newTempDir("lfs-storage"))
                    .removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default")
                    .env("TOKEN_READ", read).env("TOKEN_BOB", bob).runChecked();
            long before = stored(server);
            String applied = server.admin().run(List.of("gc", "--grace-hours", "0", "--apply")).stdout();
            long freed = before - stored(server);
            // 3 MiB of checkpoint through Xet and 1 MiB through LFS (whose Xet form reads the LFS blob).
            assertTrue(freed >= 4 * MIB && freed < 4 * MIB + MIB / 2, "the deleted files are freed, the kept "
                    + "checkpoint is not: " + freed + " bytes; " + applied);
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
