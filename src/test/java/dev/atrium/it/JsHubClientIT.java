package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.NodeClient;
import org.junit.jupiter.api.Test;

/**
 * {@code @huggingface/hub} (npm), run by {@code src/it/js/hub-roundtrip.mjs}: createRepo, uploadFiles with a
 * 12 MB file that must take the LFS path, downloadFile with byte comparison, listFiles, listCommits, fileExists,
 * deleteRepo.
 */
class JsHubClientIT {

    @Test
    void hubRoundtrip_jsClient_uploadsThroughLfsAndDownloadsTheSameBytes() {
        NodeClient node = Clients.node();
        try (AtriumProcess server = AtriumProcess.start()) {
            String token = server.admin().createUserWithToken("alice", "write").token();
            node.hubRoundtrip(server, token, "alice/js-model");
        }
    }
}
