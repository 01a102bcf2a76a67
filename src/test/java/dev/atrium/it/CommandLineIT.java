package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import org.junit.jupiter.api.Test;

/**
 * The {@code hf} command line as users type it ({@code src/it/python/hf_cli.py}): whoami, create, upload (a large
 * file through Xet, as a default install does), download with bytes compared, branches, tags, discussions, gating,
 * delete-files, move, cp, listings, a dataset, duplicate and delete. Run with both huggingface_hub 1.x and 2.x.
 */
class CommandLineIT {

    @Test
    void theHfCommandLine_worksAgainstThisHub() {
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            Clients.python().script("hf_cli.py", server.baseUrl(), alice, ItPaths.newTempDir("hf-cli"))
                    .removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default").runChecked();
        }
    }
}
