package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PostgresServer;
import dev.atrium.it.support.PythonClient;
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
        }
    }
}
