package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.Proc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The disk under the data directory fills up during an upload ({@code src/it/python/disk_full.py}): the client is
 * told so with 507 and a message, the half-written temp file is gone, nothing was committed, and the server goes on
 * working. The data directory is a small tmpfs, which needs root; elsewhere the test is skipped.
 */
class DiskFullIT {
    private static final long MIB = 1 << 20;

    @Test
    void aFullDisk_refusesTheUploadCleanly_andTheServerGoesOn() throws IOException {
        Path mount = Files.createDirectories(ItPaths.newTempDir("disk-full").resolve("mnt"));
        Proc.Result mounted = Proc.of("mount", "-t", "tmpfs", "-o", "size=40m", "tmpfs", mount.toString()).run();
        assumeTrue(mounted.succeeded(), "cannot mount a tmpfs here: " + mounted.stderr());
        try {
            try (AtriumProcess server = AtriumProcess.startOn(mount.resolve("data"))) {
                String token = server.admin().createUserWithToken("alice", "write").token();
                // Larger than what is free, smaller than the 64 MiB a refused request still reads of its body.
                long big = Files.getFileStore(mount).getUsableSpace() / MIB + 8;
                assumeTrue(big < 64, "the tmpfs has more room than expected: " + big + " MiB");
                Clients.python().script("disk_full.py", server.baseUrl(), token, ItPaths.newTempDir("py-full"))
                        .env("BIG_MIB", Long.toString(big)).runChecked();

                try (Stream<Path> left = Files.list(mount.resolve("data/blobs/tmp"))) {
                    assertEquals(0, left.count(), "the refused upload's temp file was removed");
                }
                assertTrue(server.served("PUT /alice/full\\.git/info/lfs/objects/\\S+ 507 .*"),
                        "the LFS PUT itself answered 507");
                assertTrue(Files.readString(server.logFile()).contains("the disk under the data directory is full"),
                        "the operator's log says what happened");
            }
        } finally {
            Proc.of("umount", mount.toString()).run();
        }
    }
}
