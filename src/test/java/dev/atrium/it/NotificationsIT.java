package dev.atrium.it;

import dev.atrium.it.support.AdminCli;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import org.junit.jupiter.api.Test;

/**
 * Inboxes: discussions opened and answered through the Python client ({@code src/it/python/notifications.py})
 * reach the repo's owner, the thread's participants and whoever was mentioned, never whoever acted nor anyone who
 * may not read the repo; in Chromium, the header counts them and reading a thread clears it
 * ({@code src/it/js/notifications.mjs}).
 */
class NotificationsIT {

    @Test
    void threadsReachOwnersParticipantsAndMentions_andOnlyThoseWhoMayReadThem() {
        try (AtriumProcess server = AtriumProcess.start()) {
            AdminCli.Account alice = server.admin().createUserWithToken("alice", "write");
            AdminCli.Account bob = server.admin().createUserWithToken("bob", "write");
            AdminCli.Account carol = server.admin().createUserWithToken("carol", "read");
            Clients.python().script("notifications.py", server.baseUrl(), alice.token(),
                    ItPaths.newTempDir("notifications")).env("TOKEN_BOB", bob.token()).runChecked();
            String passwords = "{\"alice\": \"" + alice.password() + "\", \"bob\": \"" + bob.password()
                    + "\", \"carol\": \"" + carol.password() + "\"}";
            Clients.node().script("notifications.mjs").env("HUB_URL", server.baseUrl())
                    .env("CHROMIUM", Clients.chromium().toString()).env("PASSWORDS", passwords).runChecked();
        }
    }
}
