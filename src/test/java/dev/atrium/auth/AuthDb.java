package dev.atrium.auth;

import dev.atrium.db.Database;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;

/** A migrated temporary SQLite database and a settable clock, for the auth tests. */
final class AuthDb {
    private AuthDb() {}

    static Jdbi open(Path dir) {
        return Database.openSqlite(dir.resolve("atrium.db"));
    }

    static User insertUser(Jdbi jdbi, String name, boolean admin) {
        return dev.atrium.testing.TestUsers.insert(jdbi, name, admin);
    }
}
