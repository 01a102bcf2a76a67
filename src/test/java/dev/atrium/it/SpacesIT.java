package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import org.junit.jupiter.api.Test;

/**
 * Static Spaces through the Python client and plain HTTP: runtime, sdk and tags, the app's files and headers, grants,
 * private Spaces, and Spaces of SDKs Atrium does not run ({@code src/it/python/spaces.py}).
 */
class SpacesIT {

    @Test
    void staticSpaces_servedSandboxed_asUploaded() {
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            Clients.python().script("spaces.py", server.baseUrl(), alice, ItPaths.newTempDir("spaces"))
                    .env("TOKEN_BOB", bob).runChecked();
        }
    }
}
