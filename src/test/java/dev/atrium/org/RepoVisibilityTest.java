package dev.atrium.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.User;
import dev.atrium.db.Database;
import dev.atrium.http.Errors;
import dev.atrium.testing.SettableClock;
import dev.atrium.testing.TestUsers;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoVisibilityTest {
    @TempDir
    Path dir;
    private Organizations orgs;
    private Organization acme;

    @BeforeEach
    void setUp() {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        orgs = new Organizations(jdbi, new SettableClock(1_800_000_000_000L));
        User alice = TestUsers.insert(jdbi, "alice", false);
        acme = orgs.create("acme", "Acme", alice);
    }

    @Test
    void withoutARule_theHubsDefaultDecides_forOrganizationsAndUsersAlike() {
        for (boolean hubPrivate : new boolean[] {false, true}) {
            RepoVisibility visibility = new RepoVisibility(orgs, hubPrivate);
            assertEquals(RepoVisibility.Rule.HUB, visibility.rule("acme"));
            assertEquals(hubPrivate, visibility.forNew("acme", null));
            assertEquals(hubPrivate, visibility.forNew("alice", null), "a user's namespace");
            assertFalse(visibility.forNew("acme", false), "public when asked");
        }
    }

    @Test
    void private_isTheDefault_andPublicStillWhenAsked() {
        orgs.setVisibilityRule(acme, RepoVisibility.Rule.PRIVATE);
        RepoVisibility visibility = new RepoVisibility(orgs, false);
        assertTrue(visibility.forNew("acme", null));
        assertTrue(visibility.forNew("ACME", null), "names match in any case, as repo ids do");
        assertFalse(visibility.forNew("acme", false));
        assertFalse(visibility.forNew("alice", null), "the organization's rule is its own");
    }

    @Test
    void privateOnly_refusesEveryPublicRepo() {
        orgs.setVisibilityRule(acme, RepoVisibility.Rule.PRIVATE_ONLY);
        RepoVisibility visibility = new RepoVisibility(orgs, false);
        assertTrue(visibility.forNew("acme", null));
        assertTrue(visibility.forNew("acme", true));
        Errors.Forbidden refused = assertThrows(Errors.Forbidden.class, () -> visibility.forNew("acme", false));
        assertEquals("Repos of acme are private only: its admins chose so in its settings", refused.getMessage());
        assertThrows(Errors.Forbidden.class, () -> visibility.requireAllowed("acme", false));
        visibility.requireAllowed("acme", true);
        visibility.requireAllowed("alice", false);
    }

    @Test
    void rulesAreReadByTheirWireNames_andNothingElse() {
        assertEquals(RepoVisibility.Rule.PRIVATE_ONLY, RepoVisibility.parse(" Private-Only "));
        assertEquals(RepoVisibility.Rule.HUB, RepoVisibility.parse("hub"));
        assertThrows(Errors.BadRequest.class, () -> RepoVisibility.parse("secret"));
    }
}
