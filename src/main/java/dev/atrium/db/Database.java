package dev.atrium.db;

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
    private Database() {}

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
        return migrate(new HikariDataSource(pool));
    }

    public static Jdbi migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                // db/migration/{vendor} holds what only one database can express (SQLite's FTS5 search index).
                .locations("classpath:db/migration", "classpath:db/migration/{vendor}")
                .load()
                .migrate();
        Jdbi jdbi = Jdbi.create(dataSource);
        jdbi.installPlugin(new SqlObjectPlugin());
        return jdbi;
    }
}
