package dev.atrium.db;

import dev.atrium.xet.cas.V29__XetChunkLayout;
import java.nio.file.Path;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Opens the metadata database and brings its schema up to date with the Flyway migrations. */
public final class Database {
    /** The databases Atrium runs on. Plain SQL serves both; a few migrations and the id search differ. */
    public enum Dialect { SQLITE, POSTGRESQL }

    /** An open database. */
    public record Opened(Jdbi jdbi, Dialect dialect) {}

    private Database() {}

    /**
     * PostgreSQL at a JDBC URL ({@code jdbc:postgresql://host:5432/atrium?user=...&password=...}), or SQLite in
     * {@code dataDir} when the URL is null.
     */
    public static Opened open(@org.jspecify.annotations.Nullable String url, Path dataDir) {
        if (url == null) {
            return new Opened(openSqlite(dataDir.resolve("atrium.db")), Dialect.SQLITE);
        }
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--database must be a jdbc:postgresql:// URL");
        }
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setPoolName("atrium-postgresql");
        pool.setMaximumPoolSize(16);
        pool.setMinimumIdle(1);
        return new Opened(migrate(new HikariDataSource(pool), Dialect.POSTGRESQL), Dialect.POSTGRESQL);
    }

    /** The embedded default: one SQLite file, in WAL mode so the admin CLI can write while the server runs. */
    public static Jdbi openSqlite(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(30_000);
        // Write transactions take the write lock when they begin. A deferred one that reads first and writes later
        // fails with SQLITE_BUSY at once, without waiting, when another connection wrote in between (seen with
        // parallel xorb uploads).
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        // Opening a SQLite connection (file, WAL, pragmas) costs more than most queries: keep a few open.
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(sqlite);
        pool.setPoolName("atrium-sqlite");
        pool.setMaximumPoolSize(16);
        pool.setMinimumIdle(1);
        return migrate(new HikariDataSource(pool), Dialect.SQLITE);
    }

    public static Jdbi migrate(DataSource dataSource, Dialect dialect) {
        Flyway.configure()
                .dataSource(dataSource)
                // common/ runs everywhere; sqlite/ and postgresql/ hold what only one database can express, such as
                // the id search index. (Locations are scanned recursively, hence siblings rather than a parent.)
                .locations("classpath:db/migration/common",
                        "classpath:db/migration/" + dialect.name().toLowerCase(java.util.Locale.ROOT))
                // Named, not scanned for: a class-path scan for migration classes would walk the whole shaded jar.
                .javaMigrations(new V29__XetChunkLayout())
                .load()
                .migrate();
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.installPlugin(new SqlObjectPlugin());
        return jdbi;
    }
}
