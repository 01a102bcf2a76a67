package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import org.junit.jupiter.api.Test;

/** Pickle scanning seen through the real Python client ({@code src/it/python/pickle_scan.py}), LFS and Xet uploads. */
class PickleScanIT {

    @Test
    void uploadedPickles_areScanned_andTheirVerdictsServedAsTheHubDoes() {
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            Clients.python().script("pickle_scan.py", server.baseUrl(), alice, ItPaths.newTempDir("pickle-lfs"))
                    .runChecked();
            Clients.python().script("pickle_scan.py", server.baseUrl(), alice, ItPaths.newTempDir("pickle-xet"))
                    .removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default").runChecked();
            assertTrue(server.served("POST /cas/v1/xorbs/default/[0-9a-f]{64} 200 .*"), "the Xet run used Xet");
        }
    }
}
