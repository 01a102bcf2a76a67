package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PythonClient;
import org.junit.jupiter.api.Test;

/**
 * Gated repos with the real huggingface_hub client ({@code src/it/python/gated.py}): info and file list stay
 * visible; downloads through resolve, LFS and Xet tokens are refused with GatedRepo (401 anonymous, 403 otherwise);
 * ask-access with the card's fields, pending, accept (download, bytes compared), reject (GatedRepoError again),
 * cancel, grant; {@code auth_check} says GatedRepo until access is given; an answer given twice is a 409; the owner
 * sees the email of a user who asked, not of one granted access without asking; an automatic gate; opening it.
 */
class GatedReposIT {

    @Test
    void gatedFlow_realClient_requestPendingAcceptRejectGrant() {
        PythonClient python = Clients.python();
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            server.admin().createUserWithToken("carol", "read");
            python.script("gated.py", server.baseUrl(), alice, ItPaths.newTempDir("gated"))
                    .env("TOKEN_ALICE", alice)
                    .env("TOKEN_BOB", bob)
                    .runChecked();
        }
    }
}
