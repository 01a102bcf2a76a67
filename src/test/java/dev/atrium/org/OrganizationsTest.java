package dev.atrium.org;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.auth.OrgRole;
import dev.atrium.auth.User;
import dev.atrium.db.Database;
import dev.atrium.testing.SettableClock;
import dev.atrium.testing.TestUsers;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrganizationsTest {
    @TempDir
    Path dir;

    /** A page names the first members of a large organization and counts the rest without reading them. */
    @Test
    void members_firstByName_andCounted() {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Organizations orgs = new Organizations(jdbi, new SettableClock(1_800_000_000_000L));
        Organization uni = orgs.create("uni", "A University", TestUsers.insert(jdbi, "zoe"));
        for (String name : new String[] {"mia", "ada", "lin", "bob"}) {
            orgs.setRole(uni, TestUsers.insert(jdbi, name), OrgRole.READ);
        }
        assertEquals(java.util.List.of("ada", "bob", "lin"),
                orgs.members(uni, 3).stream().map(m -> m.user().name()).toList());
        assertEquals(5, orgs.members(uni).size());
        assertEquals(5, orgs.memberCount(uni));
    }
}
