package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PythonClient;
import org.junit.jupiter.api.Test;

/**
 * Cards, file metadata and discovery with the real Python client (discovery.py): card metadata and derived tags in
 * model_info, safetensors parameter counts, warnings for values the Hub would not recognise, broken YAML refused,
 * list_models with search, author, filter, pipeline_tag and sort, private repos hidden, likes, downloads counted as
 * the Hub counts them, and cursor pages through the Link header.
 */
class DiscoveryIT {
    @Test
    void discovery_realPythonClient_findsReposByTheirCards() {
        PythonClient python = Clients.python();
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            python.script("discovery.py", server.baseUrl(), alice, ItPaths.newTempDir("discovery"))
                    .env("HF_TOKEN_OTHER", bob)
                    .runChecked();
            assertTrue(server.served("GET /api/models 200 .*"), "the listing endpoint answered");
            assertTrue(server.served("POST /api/models/alice/gpt-large/like 200 .*"), "likes went through the API");
        }
    }
}
