package dev.atrium.it;

import dev.atrium.it.support.AdminCli;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import org.junit.jupiter.api.Test;

/**
 * {@code hf auth login}'s browser login (RFC 8628) with the real CLI, approved and denied on Atrium's page
 * ({@code src/it/python/device_login.py}).
 */
class DeviceLoginIT {

    @Test
    void hfAuthLogin_throughTheBrowser_savesAWorkingToken() {
        try (AtriumProcess server = AtriumProcess.start()) {
            AdminCli.Account alice = server.admin().createUserWithToken("alice", "write");
            Clients.python().script("device_login.py", server.baseUrl(), alice.token(),
                            ItPaths.newTempDir("device-login"))
                    .env("ALICE_PASSWORD", alice.password()).runChecked();
        }
    }
}
