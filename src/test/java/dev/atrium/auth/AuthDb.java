package dev.atrium.auth;

import dev.atrium.db.Database;
import dev.atrium.db.Ids;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;

/** A migrated temporary SQLite database and a settable clock, for the auth tests. */
final class AuthDb {
    private AuthDb() {}

    static Jdbi open(Path dir) {
        return Database.openSqlite(dir.resolve("atrium.db"));
    }

    /**
     * Inserts a user row directly, with a placeholder password hash: the tests that need users are about tokens,
     * and {@link Users#create} would spend a 600,000-iteration PBKDF2 on each.
     */
    static User insertUser(Jdbi jdbi, String name, boolean admin) {
        User user = new User(Ids.newId(), name, name + "@example.com", name, admin, 1_000L);
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at)
                VALUES (:id, :name, :email, :name, 'unused', :admin, :created)""")
                .bind("id", user.id()).bind("name", name).bind("email", user.email()).bind("admin", admin)
                .bind("created", user.createdAt()).execute());
        return user;
    }
}
