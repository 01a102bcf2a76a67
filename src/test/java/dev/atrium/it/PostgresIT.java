package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PostgresServer;
import dev.atrium.it.support.PythonClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The same Atrium with its metadata in PostgreSQL instead of SQLite ({@code --database}): the Python client's hub
 * round trip, Xet uploads with deduplication, and discovery (cards, search, likes, downloads) must behave as they do
 * on SQLite, from the same SQL and the PostgreSQL-only migrations (pg_trgm search index, tag count triggers).
 */
class PostgresIT {
    @Test
    void realClients_metadataInPostgres_behaveAsOnSqlite() throws Exception {
        PythonClient python = Clients.python();
        try (PostgresServer postgres = PostgresServer.start();
             AtriumProcess server = AtriumProcess.start("--database", postgres.jdbcUrl())) {
            assertFalse(Files.exists(server.dataDir().resolve("atrium.db")), "no SQLite database beside PostgreSQL");
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            // Discovery first: its listings expect only the repos it made.
            python.script("discovery.py", server.baseUrl(), alice, ItPaths.newTempDir("pg-discovery"))
                    .env("HF_TOKEN_OTHER", bob)
                    .runChecked();
            python.script("hub_roundtrip.py", server.baseUrl(), alice, ItPaths.newTempDir("pg-hub")).runChecked();
            python.script("xet_roundtrip.py", server.baseUrl(), alice, ItPaths.newTempDir("pg-xet"))
                    .removeEnv("HF_HUB_DISABLE_XET")
                    .env("ATRIUM_IT_XET", "default")
                    .env("ATRIUM_DATA_DIR", server.dataDir().toString())
                    .env("HF_TOKEN_OTHER", bob)
                    .runChecked();
            assertTrue(server.served("POST /cas/v1/xorbs/default/[0-9a-f]{64} 200 .*"), "Xet uploads went through");
            assertEquals("repos_search_trgm",
                    postgres.query("SELECT indexname FROM pg_indexes WHERE indexname = 'repos_search_trgm'"),
                    "the PostgreSQL-only migrations ran");
            assertEquals(postgres.query("SELECT COUNT(*) FROM repo_tags WHERE tag = 'license:mit'"),
                    postgres.query("SELECT repos FROM tag_counts WHERE tag = 'license:mit'"),
                    "the triggers keep tag_counts exact");
            searchFindsAMovedRepoUnderItsNewName(HubHttp.of(server), alice);
        }
    }

    /**
     * A search sorted by a repo_meta column walks that sort index's copy of the id on PostgreSQL (migrations V8, V9):
     * a move must update it, or the repo would vanish from searches for its new name. Two-letter searches are too
     * short for the trigram index, so they always walk.
     */
    private static void searchFindsAMovedRepoUnderItsNewName(HubHttp http, String token) {
        assertEquals(200, http.send(http.request("/api/repos/create", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"old-vj-name\"}"))).statusCode());
        assertEquals(200, http.send(http.request("/api/repos/move", token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"fromRepo\":\"alice/old-vj-name\","
                        + "\"toRepo\":\"alice/new-qx-name\",\"type\":\"model\"}"))).statusCode());
        for (String sort : new String[] {"downloads", "likes", "trendingScore", "lastModified"}) {
            JsonNode found = HubHttp.json(http.get("/api/models?search=qx&sort=" + sort, token));
            assertEquals(1, found.size(), "sort " + sort + ": " + found);
            assertEquals("alice/new-qx-name", found.get(0).get("id").asText());
            assertEquals(0, HubHttp.json(http.get("/api/models?search=vj&sort=" + sort, token)).size());
        }
    }
}
