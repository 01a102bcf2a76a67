package dev.atrium.usage;

import dev.atrium.db.Database;
import dev.atrium.it.support.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.jdbi.v3.core.Jdbi;

/** One migrated PostgreSQL database for the usage tests' PostgreSQL runs, emptied before each test. */
final class PostgresUsageDb {
    private static PostgresServer server;
    private static Jdbi jdbi;

    private PostgresUsageDb() {}

    static synchronized Jdbi fresh() {
        if (jdbi == null) {
            server = PostgresServer.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            try {
                jdbi = Database.open(server.jdbcUrl(), Files.createTempDirectory("atrium-usage-pg")).jdbi();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        jdbi.useHandle(h -> h.execute("TRUNCATE statements, usage_days, bandwidth_days, plans"));
        return jdbi;
    }
}
