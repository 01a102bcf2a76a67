package dev.atrium.org;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.auth.OrgRole;
import dev.atrium.auth.User;
import dev.atrium.db.Database;
import dev.atrium.db.Ids;
import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrganizationsTest {
    @TempDir
    Path dir;

    private static User user(Jdbi jdbi, String name) {
        User user = new User(Ids.newId(), name, name + "@example.com", name, false, 1L);
        jdbi.useHandle(h -> h.execute("INSERT INTO users (id, name, email, fullname, password_hash, is_admin,"
                + " created_at) VALUES (?, ?, ?, ?, 'unused', FALSE, 1)", user.id(), user.name(), user.email(),
                user.name()));
        return user;
    }

    /** A page names the first members of a large organization and counts the rest without reading them. */
    @Test
    void members_firstByName_andCounted() {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Organizations orgs = new Organizations(jdbi, new SettableClock(1_800_000_000_000L));
        Organization uni = orgs.create("uni", "A University", user(jdbi, "zoe"));
        for (String name : new String[] {"mia", "ada", "lin", "bob"}) {
            orgs.setRole(uni, user(jdbi, name), OrgRole.READ);
        }
        assertEquals(java.util.List.of("ada", "bob", "lin"),
                orgs.members(uni, 3).stream().map(m -> m.user().name()).toList());
        assertEquals(5, orgs.members(uni).size());
        assertEquals(5, orgs.memberCount(uni));
    }
}
