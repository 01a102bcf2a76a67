package dev.atrium.testing;

import dev.atrium.db.Database;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PostgresServer;
import org.jdbi.v3.core.Jdbi;

/**
 * One migrated PostgreSQL database for the unit tests' PostgreSQL runs (the {@code *PostgresIT} subclasses), started
 * once per JVM; each test empties the tables it uses.
 */
public final class MigratedPostgres {
    private static PostgresServer server;
    private static Jdbi jdbi;

    private MigratedPostgres() {}

    /** The database, with {@code tables} (comma-separated, as TRUNCATE takes them) emptied. */
    public static synchronized Jdbi fresh(String tables) {
        if (jdbi == null) {
            server = PostgresServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            // Under target/, not /tmp: the data directory is left behind (it stays empty with PostgreSQL).
            jdbi = Database.open(server.jdbcUrl(), ItPaths.newTempDir("atrium-pg")).jdbi();
        }
        jdbi.useHandle(h -> h.execute("TRUNCATE " + tables + " CASCADE"));
        return jdbi;
    }
}
