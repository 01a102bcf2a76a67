package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PythonClient;
import org.junit.jupiter.api.Test;

/**
 * Limits set with {@code atrium admin set-limits}, enforced with the real huggingface_hub client
 * ({@code src/it/python/quotas.py}): private repo count, file size and private storage, each refused with its
 * X-Error-Code before the bytes move; usage reports the storage.
 */
class QuotasIT {

    @Test
    void limits_refuseUploadsBeforeTheBytesMove() {
        PythonClient python = Clients.python();
        try (AtriumProcess server = AtriumProcess.start()) {
            String token = server.admin().createUserWithToken("alice", "write").token();
            server.admin().setLimits("alice", "--private-storage", "3M", "--max-file-size", "4M",
                    "--private-repos", "1");
            python.script("quotas.py", server.baseUrl(), token, ItPaths.newTempDir("quotas")).runChecked();
            // Of the three 2 MiB uploads, the one over quota was refused at preupload: two LFS PUTs reached the server.
            assertEquals(2, server.accessLog().stream()
                    .filter(l -> l.matches(".*PUT /alice/[\\w-]+\\.git/info/lfs/objects/.* 200 .*")).count());
        }
    }
}
