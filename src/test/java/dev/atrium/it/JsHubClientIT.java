package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.NodeClient;
import org.junit.jupiter.api.Test;

/**
 * {@code @huggingface/hub} (npm), run by {@code src/it/js/hub-roundtrip.mjs}: createRepo, uploadFiles with a
 * 12 MB file (through Xet, which the client negotiates in the LFS batch, or through LFS with Xet turned off),
 * downloadFile with byte comparison, listFiles, listCommits, fileExists, a pull request with a large file from a user
 * who may only read, deleteRepo.
 */
class JsHubClientIT {

    /** The client's defaults: it offers Xet in the batch, Atrium accepts, the file goes to the CAS as xorbs. */
    @Test
    void hubRoundtrip_jsClientDefaults_uploadsThroughXetAndDownloadsTheSameBytes() {
        NodeClient node = Clients.node();
        try (AtriumProcess server = AtriumProcess.start()) {
            String token = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "read").token();
            node.hubRoundtrip(server, token, "alice/js-model", true, bob);
            assertTrue(server.served("POST /alice/js-model.git/info/lfs/objects/batch 200 .*"));
            assertTrue(server.served("POST /cas/v1/xorbs/default/[0-9a-f]{64} 200 .*"));
            assertTrue(server.served("POST /cas/v1/shards 200 .*"));
            assertFalse(server.served("PUT /alice/js-model.git/info/lfs/objects/.*"), "no LFS upload");
        }
    }

    @Test
    void hubRoundtrip_xetTurnedOff_uploadsThroughLfs() {
        NodeClient node = Clients.node();
        try (AtriumProcess server = AtriumProcess.start()) {
            String token = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "read").token();
            node.hubRoundtrip(server, token, "alice/js-model", false, bob);
            assertTrue(server.served("PUT /alice/js-model.git/info/lfs/objects/[0-9a-f]{64}/\\d+ 200 .*"));
            assertFalse(server.served("POST /cas/v1/xorbs/.*"), "no Xet upload");
        }
    }

    @Test
    void hubRoundtrip_multipartThresholdBelowFileSize_uploadsInParts() {
        NodeClient node = Clients.node();
        try (AtriumProcess server = AtriumProcess.start("--lfs-multipart-threshold", "5000000",
                "--lfs-part-size", "3000000")) {
            String token = server.admin().createUserWithToken("alice", "write").token();
            node.hubRoundtrip(server, token, "alice/js-multipart", false);
            assertTrue(server.served("PUT /alice/js-multipart.git/info/lfs/objects/[0-9a-f]{64}/\\d+/part/1 200 .*"));
            assertTrue(server.served("POST /alice/js-multipart.git/info/lfs/objects/[0-9a-f]{64}/\\d+ 200 .*"));
        }
    }
}
