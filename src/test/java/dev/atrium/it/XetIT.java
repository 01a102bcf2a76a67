package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.GitClient;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.Proc;
import dev.atrium.it.support.PythonClient;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Xet storage with the real clients: the Python client with hf_xet (its default settings) uploads through the CAS,
 * deduplicates a 1 MB edit of a 200 MB file, a copy to a second repo and another user's edit uploaded from an
 * empty client cache (global deduplication), and downloads through reconstruction; git
 * with git-lfs and the JS client then fetch the same files without Xet, rebuilt from their chunks.
 */
class XetIT {

    @Test
    void xetRoundtrip_defaultPythonClient_uploadsDedupsAndDownloadsThroughEveryPath() throws Exception {
        PythonClient python = Clients.python();
        GitClient git = Clients.git();
        try (AtriumProcess server = AtriumProcess.start()) {
            String token = server.admin().createUserWithToken("alice", "write").token();
            String otherToken = server.admin().createUserWithToken("bob", "write").token();
            Path work = ItPaths.newTempDir("xet");
            Proc.Result result = python.script("xet_roundtrip.py", server.baseUrl(), token, work)
                    .removeEnv("HF_HUB_DISABLE_XET")
                    .env("HF_TOKEN_OTHER", otherToken)
                    .env("ATRIUM_IT_XET", "default")
                    .env("ATRIUM_DATA_DIR", server.dataDir().toString())
                    .runChecked();
            JsonNode summary = new ObjectMapper().readTree(result.stdout().lines().reduce((a, b) -> b).orElseThrow());
            System.out.println("Bytes stored by each deduplicated upload: edit " + summary.get("added_by_edit")
                    + ", copy " + summary.get("added_by_copy") + ", another user's edit " + summary.get("added_by_other"));

            assertTrue(server.served("POST /cas/v1/xorbs/default/[0-9a-f]{64} 200 .*"), "xorbs were uploaded");
            assertTrue(server.served("POST /cas/v[12]/shards 200 .*"), "shards were registered");
            assertTrue(server.served("GET /cas/v[12]/reconstructions/[0-9a-f]{64} 200 .*"), "downloads reconstructed");
            assertTrue(server.served("GET /cas/fetch/[0-9a-f]{64} 206 .*"), "xorb ranges were fetched");
            assertFalse(server.served("POST /alice/xet-model.git/info/lfs/objects/batch 200 .*")
                    && !server.served("PUT /alice/xet-model.git/info/lfs/objects/[0-9a-f]{64}/12000000 200 .*"),
                    "only the HF_HUB_DISABLE_XET upload may use the LFS batch API");

            Path clone = git.cloneRepo(GitClient.cloneUrl(server.baseUrl(), token, "alice/xet-model"),
                    work.resolve("clone"));
            assertEquals(summary.get("big_sha256").asText(), ItPaths.sha256(clone.resolve("big.bin")));
            assertEquals(summary.get("fifty_sha256").asText(), ItPaths.sha256(clone.resolve("weights/fifty.bin")));
            List<String> lfsDownloads = server.accessLog().stream()
                    .filter(l -> l.matches("GET /alice/xet-model.git/info/lfs/objects/[0-9a-f]{64}/\\d+ 200 .*")).toList();
            assertTrue(lfsDownloads.size() >= 2, "git-lfs fetched the Xet files through the LFS API: " + lfsDownloads);

            Proc.Result js = Clients.node().script("download-sha256.mjs", "big.bin", "weights/fifty.bin")
                    .env("HUB_URL", server.baseUrl()).env("HF_TOKEN", token).env("REPO", "alice/xet-model")
                    .runChecked();
            JsonNode jsSums = new ObjectMapper().readTree(js.stdout().lines().reduce((a, b) -> b).orElseThrow());
            assertEquals(summary.get("big_sha256").asText(), jsSums.get("big.bin").asText());
            assertEquals(summary.get("fifty_sha256").asText(), jsSums.get("weights/fifty.bin").asText());
        }
    }

}
