package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PythonClient;
import org.junit.jupiter.api.Test;

/**
 * Tokens over the API with the real huggingface_hub client ({@code src/it/python/tokens.py}): a fine-grained token
 * scoped to one repo writes and reads there, sees other private repos as absent and cannot write public ones or
 * create repos; a namespace read scope reads everything there; whoami reports the scopes; only sessions and write
 * tokens manage tokens; expiry and revocation take effect at once.
 */
class TokensIT {

    @Test
    void tokens_fineGrainedScopesExpiryAndRevocation_holdForTheRealClient() {
        PythonClient python = Clients.python();
        try (AtriumProcess server = AtriumProcess.start()) {
            String write = server.admin().createUserWithToken("alice", "write").token();
            String read = server.admin().createToken("alice", "read");
            python.script("tokens.py", server.baseUrl(), write, ItPaths.newTempDir("tokens"))
                    .env("TOKEN_ALICE", write)
                    .env("TOKEN_ALICE_READ", read)
                    .runChecked();
        }
    }
}
