package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import org.junit.jupiter.api.Test;

/** Webhooks with the real huggingface_hub client and a local receiver ({@code src/it/python/hub_webhooks.py}). */
class WebhooksIT {

    @Test
    void webhooks_areManagedByTheClient_andDeliveredWhenWatchedReposChange() {
        // The receiver listens on loopback, which webhooks may reach only when an administrator allows it.
        try (AtriumProcess server = AtriumProcess.start("--webhook-allowed-networks", "127.0.0.0/8")) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String read = server.admin().createToken("alice", "read");
            String bob = server.admin().createUserWithToken("bob", "write").token();
            Clients.python().script("hub_webhooks.py", server.baseUrl(), alice, ItPaths.newTempDir("webhooks"))
                    .env("TOKEN_READ", read).env("TOKEN_BOB", bob).runChecked();
        }
    }
}
