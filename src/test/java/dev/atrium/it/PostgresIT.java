package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.it.support.AdminCli;
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
 * round trip, Xet uploads with deduplication, copies, and discovery (cards, search, likes, downloads) must behave as
 * they do on SQLite, from the same SQL and the PostgreSQL-only migrations (pg_trgm search index, tag count triggers).
 */
class PostgresIT {
    @Test
    void realClients_metadataInPostgres_behaveAsOnSqlite() throws Exception {
        PythonClient python = Clients.python();
        try (PostgresServer postgres = PostgresServer.start();
             AtriumProcess server = AtriumProcess.start("--database", postgres.jdbcUrl(),
                     "--webhook-allowed-networks", "127.0.0.0/8")) {
            assertFalse(Files.exists(server.dataDir().resolve("atrium.db")), "no SQLite database beside PostgreSQL");
            AdminCli.Account aliceAccount = server.admin().createUserWithToken("alice", "write");
            String alice = aliceAccount.token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            // Discovery first: its listings expect only the repos it made.
            python.script("discovery.py", server.baseUrl(), alice, ItPaths.newTempDir("pg-discovery"))
                    .env("HF_TOKEN_OTHER", bob)
                    .runChecked();
            python.script("hub_roundtrip.py", server.baseUrl(), alice, ItPaths.newTempDir("pg-hub")).runChecked();
            python.script("xet_roundtrip.py", server.baseUrl(), alice, ItPaths.newTempDir("pg-xet"))
                    .removeEnv("HF_HUB_DISABLE_XET")
                    .env("ATRIUM_IT_XET", "default")
                    .env("ATRIUM_IT_XET_BIG_MB", "80") // the metadata is the point here; XetIT uploads 200 MB
                    .env("ATRIUM_DATA_DIR", server.dataDir().toString())
                    .env("HF_TOKEN_OTHER", bob)
                    .runChecked();
            assertTrue(server.served("POST /cas/v1/xorbs/default/[0-9a-f]{64} 200 .*"), "Xet uploads went through");
            // Copies: their INSERT ... SELECT and the committed-only filters, on PostgreSQL's booleans.
            String carol = server.admin().createUserWithToken("carol", "write").token();
            server.admin().setLimits("carol", "--private-repos", "0");
            python.script("duplicate.py", server.baseUrl(), alice, ItPaths.newTempDir("pg-dup"))
                    .env("TOKEN_ALICE", alice).env("TOKEN_BOB", bob).env("TOKEN_CAROL", carol).env("PREFIX", "pg-")
                    .runChecked();
            // The garbage collection's SQL on PostgreSQL; nothing above is garbage, so nothing goes.
            String gc = server.admin().run(java.util.List.of("gc", "--grace-hours", "0", "--apply")).stdout();
            assertTrue(gc.startsWith("removed") && gc.contains(" 0 unused Xet files"), gc);
            // Permanent deletion's union over LFS links and Xet registrations; then the collection frees both files.
            python.script("lfs_storage.py", server.baseUrl(), alice, ItPaths.newTempDir("pg-lfs-storage"))
                    .removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default")
                    .env("TOKEN_READ", server.admin().createToken("alice", "read")).env("TOKEN_BOB", bob)
                    .runChecked();
            gc = server.admin().run(java.util.List.of("gc", "--grace-hours", "0", "--apply")).stdout();
            assertTrue(gc.contains(" 2 unused Xet files") && gc.contains(" 1 unused LFS blobs"), gc);
            // Collections: their INSERT ... SELECT of positions and the cascade from a deleted repo.
            python.script("hub_collections.py", server.baseUrl(), alice, ItPaths.newTempDir("pg-collections"))
                    .env("TOKEN_BOB", bob).runChecked();
            // Webhooks: which ones watch a repo (a subquery over watches, PostgreSQL's booleans).
            python.script("hub_webhooks.py", server.baseUrl(), alice, ItPaths.newTempDir("pg-webhooks"))
                    .env("TOKEN_READ", server.admin().createToken("alice", "read")).env("TOKEN_BOB", bob)
                    .runChecked();
            // Browser logins: the device_logins rows, decided and taken in single statements.
            python.script("device_login.py", server.baseUrl(), alice, ItPaths.newTempDir("pg-device-login"))
                    .env("ALICE_PASSWORD", aliceAccount.password()).runChecked();
            // Pickle scans: results by content, looked up with IN (...), inserted ON CONFLICT DO NOTHING.
            python.script("pickle_scan.py", server.baseUrl(), alice, ItPaths.newTempDir("pg-pickles")).runChecked();
            assertEquals("repos_search_trgm",
                    postgres.query("SELECT indexname FROM pg_indexes WHERE indexname = 'repos_search_trgm'"),
                    "the PostgreSQL-only migrations ran");
            assertEquals(postgres.query("SELECT COUNT(*) FROM repo_tags WHERE tag = 'license:mit'"),
                    postgres.query("SELECT repos FROM tag_counts WHERE tag = 'license:mit'"),
                    "the triggers keep tag_counts exact");
            listedTagCountsStayExact(postgres, HubHttp.of(server), alice);
            searchFindsAMovedRepoUnderItsNewName(HubHttp.of(server), alice);
        }
    }

    /**
     * {@code /api/health/ready} follows the database: 503 naming it while PostgreSQL is down (the process still
     * answers {@code /api/health}), ready again once it is back, without a restart of the hub.
     */
    @Test
    void readiness_followsTheDatabase() throws Exception {
        try (PostgresServer postgres = PostgresServer.start();
             AtriumProcess server = AtriumProcess.start("--database", postgres.jdbcUrl())) {
            HubHttp http = HubHttp.of(server);
            var ready = http.get("/api/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertEquals("ok", HubHttp.json(ready).get("checks").get("database").asText());

            postgres.stop();
            var down = http.get("/api/health/ready");
            assertEquals(503, down.statusCode(), down.body());
            assertTrue(java.util.Set.of("failing", "timeout").contains(HubHttp.json(down).get("checks")
                    .get("database").asText()), down.body());
            assertEquals("ok", HubHttp.json(down).get("checks").get("blobs").asText(), down.body());
            assertEquals(200, http.get("/api/health").statusCode(), "the process itself still answers");

            postgres.restart();
            int status = 0;
            for (int i = 0; i < 60 && status != 200; i++) {
                status = http.get("/api/health/ready").statusCode();
                Thread.sleep(500);
            }
            assertEquals(200, status, "ready again once the database is back");
        }
    }

    /**
     * The sidebar counts (public repos per type, V21 and the PostgreSQL triggers of V22) equal a recount from scratch,
     * after everything the scripts did and across a repo turning private and public again.
     */
    private static void listedTagCountsStayExact(PostgresServer postgres, HubHttp http, String token) throws Exception {
        String counted = "SELECT COALESCE(string_agg(type || ' ' || tag || ' ' || repos, ',' ORDER BY type, tag), '')"
                + " FROM listed_tag_counts WHERE repos > 0";
        String recount = "SELECT COALESCE(string_agg(type || ' ' || tag || ' ' || n, ',' ORDER BY type, tag), '')"
                + " FROM (SELECT r.type AS type, t.tag AS tag, COUNT(*) AS n FROM repo_tags t"
                + " JOIN repos r ON r.id = t.repo_id WHERE r.private = FALSE GROUP BY r.type, t.tag) x";
        assertEquals(postgres.query(recount), postgres.query(counted), "after the scripts");
        String repo = postgres.query("SELECT r.namespace || '/' || r.name FROM repos r WHERE r.type = 'MODEL'"
                + " AND r.namespace = 'alice' AND r.private = FALSE AND EXISTS (SELECT 1 FROM repo_tags t"
                + " WHERE t.repo_id = r.id) ORDER BY r.name LIMIT 1");
        String before = postgres.query(counted);
        for (boolean isPrivate : new boolean[] {true, false}) {
            assertEquals(200, http.send(http.request("/api/models/" + repo + "/settings", token)
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"private\": " + isPrivate + "}"))).statusCode());
            assertEquals(postgres.query(recount), postgres.query(counted), repo + " private: " + isPrivate);
        }
        assertEquals(before, postgres.query(counted), "public again, counted again");
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
