package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PythonClient;
import org.junit.jupiter.api.Test;

/**
 * Organizations with the real huggingface_hub client and git ({@code src/it/python/organizations.py}): create,
 * members in roles, whoami; a write member uploads through the client and pushes with git; a read member downloads
 * but cannot push (API and git); a non-member sees the private repo as absent in info, listing, resolve, git clone
 * and LFS; roles change, members leave, the last admin cannot; moves need admin on both sides.
 */
class OrganizationsIT {

    @Test
    void organizations_realClients_enforceRolesEverywhere() {
        PythonClient python = Clients.python();
        Clients.git();
        try (AtriumProcess server = AtriumProcess.start()) {
            java.util.Map<String, String> tokens = new java.util.LinkedHashMap<>();
            for (String user : new String[] {"alice", "bob", "carol", "dave"}) {
                tokens.put(user, server.admin().createUserWithToken(user, "write").token());
            }
            var script = python.script("organizations.py", server.baseUrl(), tokens.get("alice"),
                    ItPaths.newTempDir("orgs"));
            tokens.forEach((user, token) -> script.env("TOKEN_" + user.toUpperCase(java.util.Locale.ROOT), token));
            script.runChecked();
        }
    }
}
