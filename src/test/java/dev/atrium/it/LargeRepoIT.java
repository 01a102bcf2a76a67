package dev.atrium.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.Proc;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A repo of thousands of files with a history of merges: the Python client's paged listings, with and without
 * {@code expand}, checked entry by entry against C git ({@code git ls-tree}, {@code git log -1 -- path});
 * {@code upload_large_folder} through Xet, read back byte for byte ({@code src/it/python/large_repo.py}); the JS
 * client's listing and the files page in Chromium, a hundred rows at a time ({@code src/it/js/large-tree.mjs}).
 */
class LargeRepoIT {

    @Test
    void listingsOfThousandsOfFiles_comeWholeInPages_withGitsLastCommits() throws Exception {
        Path chromium = Clients.chromium();
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            Proc.Result python = Clients.python().script("large_repo.py", server.baseUrl(), alice,
                            ItPaths.newTempDir("large-repo"))
                    .removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default").runChecked();
            JsonNode made = new ObjectMapper().readTree(python.stdout().lines().reduce((a, b) -> b).orElseThrow());
            Clients.node().script("large-tree.mjs").env("HUB_URL", server.baseUrl()).env("HF_TOKEN", alice)
                    .env("REPO", "alice/wide").env("ENTRIES", made.path("entries").asText())
                    .env("DIGEST", made.path("digest").asText())
                    .env("F007_TITLE", made.path("big_f007_title").asText())
                    .env("CHROMIUM", chromium.toString()).runChecked();
        }
    }
}
