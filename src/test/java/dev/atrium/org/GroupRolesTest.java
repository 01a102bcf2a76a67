package dev.atrium.org;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atrium.auth.OidcSettings;
import dev.atrium.auth.OrgRole;
import dev.atrium.auth.User;
import dev.atrium.db.Database;
import dev.atrium.testing.SettableClock;
import dev.atrium.testing.TestUsers;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroupRolesTest {
    @TempDir
    Path dir;
    private Jdbi jdbi;
    private Organizations orgs;
    private AuditLog audit;
    private GroupRoles roles;
    private Organization nlp;
    private User founder;

    @BeforeEach
    void setUp() {
        jdbi = openDatabase();
        SettableClock clock = new SettableClock(1_800_000_000_000L);
        orgs = new Organizations(jdbi, clock);
        audit = new AuditLog(jdbi, orgs, clock);
        founder = TestUsers.insert(jdbi, "founder");
        nlp = orgs.create("nlp", "NLP lab", founder);
        roles = new GroupRoles(OidcSettings.parseOrgRoles(
                "/lab/nlp=nlp:read, /lab/nlp/maintainers=nlp:write,/lab/heads=nlp:admin,/lab=vision:read"), orgs,
                audit);
    }

    protected Jdbi openDatabase() {
        return Database.openSqlite(dir.resolve("atrium.db"));
    }

    private Optional<Organizations.Held> held(User user) {
        return orgs.held(nlp, user);
    }

    @Test
    void theGroups_giveTheirHighestRole_andTakeItBackWhenTheyNoLongerGiveOne() {
        User ada = TestUsers.insert(jdbi, "ada");
        roles.apply(ada, List.of("/lab/nlp", "/lab/nlp/maintainers", "/other"));
        assertEquals(Optional.of(new Organizations.Held(OrgRole.WRITE, true)), held(ada));

        roles.apply(ada, List.of("/lab/nlp"));
        assertEquals(Optional.of(new Organizations.Held(OrgRole.READ, true)), held(ada));
        roles.apply(ada, List.of("/lab/nlp"));

        roles.apply(ada, List.of());
        assertEquals(Optional.empty(), held(ada));
        // The clock stands still here, so the entries are compared in name order.
        assertEquals(List.of("member.sso-remove", "member.sso-role", "member.sso-role"),
                audit.entries(nlp, 10).stream().map(AuditLog.Entry::action).sorted().toList(),
                "each change audited once; the sign-in that changed nothing left no entry");
    }

    @Test
    void aMembershipGivenByHand_staysWhenNoGroupGivesOne_butTheGroupsDecideOnceTheyDo() {
        User bob = TestUsers.insert(jdbi, "bob");
        orgs.setRole(nlp, bob, OrgRole.CONTRIBUTOR);
        roles.apply(bob, List.of("/elsewhere"));
        assertEquals(Optional.of(new Organizations.Held(OrgRole.CONTRIBUTOR, false)), held(bob));

        roles.apply(bob, List.of("/lab/nlp"));
        assertEquals(Optional.of(new Organizations.Held(OrgRole.READ, true)), held(bob));
        roles.apply(bob, List.of());
        assertEquals(Optional.empty(), held(bob));
    }

    @Test
    void theLastAdmin_staysAdmin() {
        roles.apply(founder, List.of("/lab/heads"));
        assertEquals(Optional.of(new Organizations.Held(OrgRole.ADMIN, true)), held(founder));
        roles.apply(founder, List.of());
        assertEquals(Optional.of(new Organizations.Held(OrgRole.ADMIN, true)), held(founder), "logged, kept");
    }

    @Test
    void anOrganizationTheHubLacks_isSkipped() {
        User cy = TestUsers.insert(jdbi, "cy");
        roles.apply(cy, List.of("/lab", "/lab/nlp"));
        assertEquals(Optional.of(new Organizations.Held(OrgRole.READ, true)), held(cy));
    }

    @Test
    void parse_takesPathsWithColons_andRefusesWhatItCannotRead() {
        assertEquals(List.of(new OidcSettings.OrgGrant("team:x/y", "nlp", OrgRole.CONTRIBUTOR)),
                OidcSettings.parseOrgRoles("team:x/y=nlp:contributor"));
        for (String bad : List.of("nlp:read", "=nlp:read", "g=nlp", "g=nlp:owner", "g=:read", "g=a=b:read")) {
            assertThrows(IllegalArgumentException.class, () -> OidcSettings.parseOrgRoles(bad), bad);
        }
    }
}
