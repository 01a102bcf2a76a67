package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PythonClient;
import org.junit.jupiter.api.Test;

/**
 * The Python {@code huggingface_hub} client, run by {@code src/it/python/hub_roundtrip.py}: repos, uploads (inline
 * and LFS), deletes, branches, tags, downloads at a branch, a tag and an old commit, snapshots, refs, commits, tree
 * listings and HfFileSystem range reads, comparing bytes on every round trip.
 */
class PythonHubClientIT {

    /** A user who configured nothing: hf_xet is installed and enabled, so large files go through Xet. */
    @Test
    void hubRoundtrip_unconfiguredClientWithXet_largeFilesGoThroughXet() {
        PythonClient python = Clients.python();
        try (AtriumProcess server = AtriumProcess.start()) {
            String token = server.admin().createUserWithToken("alice", "write").token();
            python.script("hub_roundtrip.py", server.baseUrl(), token, ItPaths.newTempDir("py-xet"))
                    .removeEnv("HF_HUB_DISABLE_XET")
                    .env("ATRIUM_IT_XET", "default")
                    .runChecked();
            assertFalse(server.served(".*/info/lfs/objects/batch.*"), "Xet uploads need no LFS batch");
            assertTrue(server.served("GET /api/models/alice/py-roundtrip-model/xet-write-token/main 200 .*"));
            assertTrue(server.served("POST /cas/v[12]/shards 200 .*"));
        }
    }

    /**
     * With HF_HUB_DISABLE_XET=1 the client takes the LFS batch API path for the 15 MB file: preupload says lfs,
     * batch, signed PUT, verify, commit.
     */
    @Test
    void hubRoundtrip_xetDisabled_largeFilesGoThroughLfs() {
        PythonClient python = Clients.python();
        try (AtriumProcess server = AtriumProcess.start()) {
            String token = server.admin().createUserWithToken("alice", "write").token();
            python.script("hub_roundtrip.py", server.baseUrl(), token, ItPaths.newTempDir("py-lfs"))
                    .env("HF_HUB_DISABLE_XET", "1")
                    .runChecked();
            assertTrue(server.served("POST /alice/py-roundtrip-model.git/info/lfs/objects/batch 200 .*"));
            assertTrue(server.served("PUT /alice/py-roundtrip-model.git/info/lfs/objects/[0-9a-f]{64}/15728640 200 .*"));
            assertTrue(server.served("POST /alice/py-roundtrip-model.git/info/lfs/objects/[0-9a-f]{64}/15728640/verify 200 .*"));
        }
    }

    /**
     * What the client's own test suite expects of the Hub ({@code src/it/python/client_expectations.py}): ids
     * without a namespace are missing repos, ids ignore case, abbreviated commit ids, empty files never in LFS, a
     * folder deleted by its bare name, a squashed pull request, the initial commit's author, a new Space's card.
     */
    @Test
    void clientExpectations_realClient_behavesAsTheHub() {
        PythonClient python = Clients.python();
        try (AtriumProcess server = AtriumProcess.start()) {
            String token = server.admin().createUserWithToken("Alice", "write").token();
            python.script("client_expectations.py", server.baseUrl(), token, ItPaths.newTempDir("py-expectations"))
                    .runChecked();
        }
    }

    /** Above the multipart threshold the client uploads numbered parts and completes them with a POST. */
    @Test
    void hubRoundtrip_multipartThresholdBelowFileSize_uploadsInParts() {
        PythonClient python = Clients.python();
        try (AtriumProcess server = AtriumProcess.start(
                "--lfs-multipart-threshold", "5000000", "--lfs-part-size", "2000000")) {
            String token = server.admin().createUserWithToken("alice", "write").token();
            python.script("hub_roundtrip.py", server.baseUrl(), token, ItPaths.newTempDir("py-multipart"))
                    .env("HF_HUB_DISABLE_XET", "1")
                    .runChecked();
            for (int part = 1; part <= 8; part++) {
                assertTrue(server.served("PUT /alice/py-roundtrip-model.git/info/lfs/objects/[0-9a-f]{64}/15728640/part/"
                        + part + " 200 .*"), "part " + part);
            }
            assertTrue(server.served("POST /alice/py-roundtrip-model.git/info/lfs/objects/[0-9a-f]{64}/15728640 200 .*"));
        }
    }
}
