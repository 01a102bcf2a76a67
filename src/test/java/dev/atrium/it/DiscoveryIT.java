package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.Ndjson;
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

    /**
     * A hub upgraded from before the search index: its repos have no discovery rows. After a restart they are indexed
     * in the background and join the listings, card tags included.
     */
    @Test
    void restart_reposWithoutDiscoveryRows_areIndexedInTheBackground() throws Exception {
        try (AtriumProcess server = AtriumProcess.start()) {
            String token = server.admin().createUserWithToken("carol", "write").token();
            HubHttp http = HubHttp.of(server);
            assertEquals(200, http.send(http.request("/api/repos/create", token)
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\": \"old-model\"}"))).statusCode());
            assertEquals(200, http.send(http.request("/api/models/carol/old-model/commit/main", token)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(Ndjson.commit("card")
                            .file("README.md", "---\ntags: [from-before]\n---\n").build()))).statusCode());
            server.stop();
            try (java.sql.Connection db = java.sql.DriverManager.getConnection(
                    "jdbc:sqlite:" + server.dataDir().resolve("atrium.db"))) {
                db.createStatement().execute("DELETE FROM repo_meta");
                db.createStatement().execute("DELETE FROM repo_tags");
            }
            server.restart();
            long deadline = System.nanoTime() + 30_000_000_000L;
            String listed;
            do {
                Thread.sleep(100);
                listed = http.get("/api/models?filter=from-before").body();
            } while (!listed.contains("carol/old-model") && System.nanoTime() < deadline);
            assertTrue(listed.contains("carol/old-model"), listed);
        }
    }
}
