package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

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
            assertTrue(server.served("POST /alice/js-model.git/info/lfs/objects/batch 200 .*"));
            assertTrue(server.served("PUT /alice/js-model.git/info/lfs/objects/[0-9a-f]{64}/\\d+ 200 .*"));
        }
    }

    @Test
    void hubRoundtrip_multipartThresholdBelowFileSize_uploadsInParts() {
        NodeClient node = Clients.node();
        try (AtriumProcess server = AtriumProcess.start("--lfs-multipart-threshold", "5000000",
                "--lfs-part-size", "3000000")) {
            String token = server.admin().createUserWithToken("alice", "write").token();
            node.hubRoundtrip(server, token, "alice/js-multipart");
            assertTrue(server.served("PUT /alice/js-multipart.git/info/lfs/objects/[0-9a-f]{64}/\\d+/part/1 200 .*"));
            assertTrue(server.served("POST /alice/js-multipart.git/info/lfs/objects/[0-9a-f]{64}/\\d+ 200 .*"));
        }
    }
}
