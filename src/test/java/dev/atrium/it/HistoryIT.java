package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import org.junit.jupiter.api.Test;

/** {@code super_squash_history} with the real huggingface_hub client ({@code src/it/python/history.py}). */
class HistoryIT {

    @Test
    void superSquash_leavesOneCommitWithTheSameFiles_andRefusesWhatItShould() {
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String read = server.admin().createToken("alice", "read");
            Clients.python().script("history.py", server.baseUrl(), alice, ItPaths.newTempDir("history"))
                    .env("TOKEN_READ", read).runChecked();
        }
    }
}
