package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atrium.http.Errors;
import dev.atrium.org.Organizations;
import dev.atrium.testing.AtOnce;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersTest {
    @TempDir
    Path dir;

    protected Jdbi openDatabase() {
        return AuthDb.open(dir);
    }

    /** Users and organizations share one namespace, in any case: of names taken at once, one wins. */
    @Test
    void namesDifferingInCaseTakenAtOnce_onlyOneAccountOrOrganizationGetsIt() throws Exception {
        Jdbi jdbi = openDatabase();
        Users users = new Users(jdbi, new PasswordHasher(), Clock.systemUTC());
        Organizations orgs = new Organizations(jdbi, Clock.systemUTC());
        User founder = AuthDb.insertUser(jdbi, "founder", false);
        List<Callable<Object>> takers = new ArrayList<>();
        for (String name : List.of("erin", "Erin", "ERIN", "eRin")) {
            takers.add(() -> users.create(name, name + "@example.com", "a-long-password", false));
        }
        for (String name : List.of("erIn", "eriN")) {
            takers.add(() -> orgs.create(name, name, founder));
        }
        int won = AtOnce.succeeded(takers, Errors.Conflict.class);
        assertEquals(1, won);
    }

    /**
     * Emails decide whose signed commits verify: no two accounts share one, in any case, whether made at once (two
     * sign-ups, or one beside an admin's create-user) or by changing a profile.
     */
    @Test
    void emailsDifferingInCase_oneAccountEach_atOnceOrByProfileChange() throws Exception {
        Jdbi jdbi = openDatabase();
        Users users = new Users(jdbi, new PasswordHasher(), Clock.systemUTC());
        List<Callable<Object>> takers = new ArrayList<>();
        for (String email : List.of("erin@example.com", "Erin@Example.com", "ERIN@EXAMPLE.COM", "erin@EXAMPLE.com")) {
            String name = "u" + takers.size();
            takers.add(() -> users.create(name, email, "a-long-password", false));
        }
        assertEquals(1, AtOnce.succeeded(takers, Users.EmailTaken.class));

        User frank = users.create("frank", "frank@example.com", "a-long-password", false);
        assertThrows(Users.EmailTaken.class, () -> users.create("gina", "FRANK@example.com", "a-long-password", false));
        assertEquals(false, users.nameTaken("gina"), "refused whole");
        assertThrows(Users.EmailTaken.class, () -> users.updateProfile(frank.id(), "Frank", "erin@example.com"));
        assertEquals("frank@example.com", users.byName("frank").orElseThrow().email(), "unchanged");
        users.updateProfile(frank.id(), "Frank", "Frank@Example.com");
        assertEquals("Frank@Example.com", users.byName("frank").orElseThrow().email(), "one's own, in another case");
    }

    @Test
    void list_findsByNameOrEmail_caseAside_withWildcardsTakenLiterally() {
        Jdbi jdbi = openDatabase();
        Users users = new Users(jdbi, new PasswordHasher(), Clock.systemUTC());
        AuthDb.insertUser(jdbi, "Bob", false);
        AuthDb.insertUser(jdbi, "carol", false);
        AuthDb.insertUser(jdbi, "bo_b", false);
        assertEquals(List.of("Bob", "bo_b"), users.list("BO", 10).stream().map(l -> l.user().name()).toList()
                .stream().sorted().toList());
        assertEquals(List.of("carol"), users.list("carol@example", 10).stream().map(l -> l.user().name()).toList());
        assertEquals(List.of("bo_b"), users.list("o_", 10).stream().map(l -> l.user().name()).toList(),
                "'_' is a character, not any character");
        assertEquals(List.of(), users.list("%", 10));
        assertEquals(false, users.list("carol", 10).get(0).emailVerified());
        users.markEmailVerified(users.byName("carol").orElseThrow().id(), "carol@example.com");
        assertEquals(true, users.list("carol", 10).get(0).emailVerified(), "the admin page shows it");
        users.setDeactivated(users.byName("carol").orElseThrow().id(), true);
        assertEquals(true, users.list("carol", 10).get(0).deactivated());
    }
}
