package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.Proc;
import org.junit.jupiter.api.Test;

/**
 * The dataset viewer's API on datasets pushed by {@code datasets.push_to_hub} (Parquet through Xet) and by
 * {@code upload_file} (CSV in git), with private and gated datasets ({@code src/it/python/dataset_viewer.py}); and
 * their Parquet export on {@code refs/convert/parquet}, read with the clients ({@code parquet_export.py}, and the JS
 * client's downloadFile).
 */
class DatasetViewerIT {

    @Test
    void viewerApi_readsWhatTheClientsPushed_asTheyPushedIt() throws Exception {
        // A small split limit, so that a 1.2 MB CSV is over it.
        try (AtriumProcess server = AtriumProcess.start("--viewer-split-limit", "1000000",
                "--viewer-cache-size", "50000000")) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            Clients.python("datasets", "PIL").script("dataset_viewer.py", server.baseUrl(), alice,
                            ItPaths.newTempDir("viewer"))
                    .env("TOKEN_BOB", bob).env("ATRIUM_IT_XET", "default").runChecked();
            // The same server: its split limit leaves one split of the export out.
            Clients.python("datasets").script("parquet_export.py", server.baseUrl(), alice,
                            ItPaths.newTempDir("parquet-export"))
                    .env("TOKEN_BOB", bob).env("ATRIUM_IT_XET", "default").runChecked();

            // The JS client downloads the export's files too: the bytes its pointers name.
            JsonNode tree = HubHttp.json(HubHttp.of(server).get(
                    "/api/datasets/alice/exported/tree/refs%2Fconvert%2Fparquet/default/train", alice));
            String oid = tree.get(0).path("lfs").path("oid").asText();
            Proc.Result js = Clients.node().script("download-sha256.mjs", "default/train/0000.parquet")
                    .env("HUB_URL", server.baseUrl()).env("HF_TOKEN", alice).env("REPO", "datasets/alice/exported")
                    .env("REVISION", "refs/convert/parquet").runChecked();
            JsonNode sums = new ObjectMapper().readTree(js.stdout().lines().reduce((a, b) -> b).orElseThrow());
            assertEquals(64, oid.length(), tree.toString());
            assertEquals(oid, sums.path("default/train/0000.parquet").asText());
        }
    }
}
