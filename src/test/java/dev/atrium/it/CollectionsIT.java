package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import org.junit.jupiter.api.Test;

/** Collections with the real huggingface_hub client ({@code src/it/python/hub_collections.py}). */
class CollectionsIT {

    @Test
    void collections_itemsOrderVisibilityAndRenames_asTheClientExpects() {
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            Clients.python().script("hub_collections.py", server.baseUrl(), alice, ItPaths.newTempDir("collections"))
                    .env("TOKEN_BOB", bob).runChecked();
        }
    }
}
