package dev.atrium.testing;

import dev.atrium.auth.User;
import dev.atrium.db.Ids;
import org.jdbi.v3.core.Jdbi;

/**
 * User rows inserted directly, with a placeholder password hash: tests about what users do (follow, join, ask) need
 * accounts, and {@code Users.create} would spend a 600,000-iteration PBKDF2 on each.
 */
public final class TestUsers {
    private TestUsers() {}

    public static User insert(Jdbi jdbi, String name) {
        return insert(jdbi, name, false);
    }

    public static User insert(Jdbi jdbi, String name, boolean admin) {
        User user = new User(Ids.newId(), name, name + "@example.com", name, admin, 1_000L);
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at)
                VALUES (:id, :name, :email, :name, 'unused', :admin, :created)""")
                .bind("id", user.id()).bind("name", name).bind("email", user.email()).bind("admin", admin)
                .bind("created", user.createdAt()).execute());
        return user;
    }
}
