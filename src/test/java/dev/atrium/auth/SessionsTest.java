package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsTest {
    @TempDir
    Path dir;
    private Jdbi jdbi;
    private SettableClock clock;
    private Sessions sessions;
    private Authenticator authenticator;
    private User alice;

    @BeforeEach
    void setUp() {
        jdbi = AuthDb.open(dir);
        clock = new SettableClock(1_700_000_000_000L);
        sessions = new Sessions(jdbi, clock);
        authenticator = new Authenticator(new Tokens(jdbi, clock), new Users(jdbi, new PasswordHasher(), clock),
                sessions, new SshKeys(jdbi, clock), new SshLfsGrants(new ServerSecret(new byte[32]), clock));
        alice = AuthDb.insertUser(jdbi, "alice", false);
    }

    @Test
    void start_thenCookie_authenticatesTheUserWithTheSessionsCsrfToken() {
        Sessions.Started started = sessions.start(alice);
        Authenticator.Authenticated caller = authenticator.authenticate(null, started.secret()).orElseThrow();
        assertEquals(alice, caller.principal().user());
        assertEquals(TokenRole.WRITE, caller.principal().token().role());
        assertEquals(started.session(), caller.session());
        assertTrue(Sessions.csrfMatches(caller.session(), started.session().csrf()));
        assertFalse(Sessions.csrfMatches(caller.session(), started.secret()));
        assertFalse(Sessions.csrfMatches(caller.session(), null));
        assertNotEquals(started.secret(), started.session().csrf());
    }

    @Test
    void database_keepsOnlyTheSecretsHash() {
        Sessions.Started started = sessions.start(alice);
        String stored = jdbi.withHandle(h -> h.createQuery("SELECT secret_hash FROM sessions").mapTo(String.class).one());
        assertNotEquals(started.secret(), stored);
        assertEquals(Tokens.hash(started.secret()), stored);
    }

    @Test
    void expiredEndedOrUnknown_isNoSession() {
        Sessions.Started ended = sessions.start(alice);
        sessions.end(ended.secret());
        assertTrue(authenticator.authenticate(null, ended.secret()).isEmpty());
        assertTrue(authenticator.authenticate(null, "made-up").isEmpty());
        Sessions.Started old = sessions.start(alice);
        clock.advance(Sessions.LIFETIME.toMillis() + 1);
        assertTrue(authenticator.authenticate(null, old.secret()).isEmpty());
    }

    @Test
    void aSessionBegunBySingleSignOn_givesItsIdTokenBackWhenItEnds() {
        Sessions.Started sso = sessions.start(alice, "header.payload.signature", "kc-session-1");
        Sessions.Started password = sessions.start(alice);
        assertEquals(java.util.Optional.of("header.payload.signature"), sessions.end(sso.secret()));
        assertTrue(authenticator.authenticate(null, sso.secret()).isEmpty(), "ended");
        assertEquals(java.util.Optional.empty(), sessions.end(password.secret()), "a password's session has none");
        assertEquals(java.util.Optional.empty(), sessions.end("made-up"));
    }

    @Test
    void theProvidersLogout_endsTheSessionsBegunUnderItsSession_orAllOfThePersonsSingleSignOns() {
        User bob = AuthDb.insertUser(jdbi, "bob", false);
        Sessions.Started laptop = sessions.start(alice, "t1", "kc-1");
        Sessions.Started phone = sessions.start(alice, "t2", "kc-2");
        Sessions.Started password = sessions.start(alice);
        Sessions.Started bobs = sessions.start(bob, "t3", "kc-3");

        assertEquals(0, sessions.endSingleSignOns(bob.id(), "kc-1"), "a sid of another person's session");
        assertEquals(1, sessions.endSingleSignOns(alice.id(), "kc-1"));
        assertTrue(authenticator.authenticate(null, laptop.secret()).isEmpty(), "the laptop's session ended");
        assertTrue(authenticator.authenticate(null, phone.secret()).isPresent(), "the phone's is another");

        assertEquals(1, sessions.endSingleSignOns(alice.id(), null), "every single sign-on of alice's");
        assertTrue(authenticator.authenticate(null, phone.secret()).isEmpty());
        assertTrue(authenticator.authenticate(null, password.secret()).isPresent(), "not the password's session");
        assertEquals(0, sessions.endSingleSignOns(null, null), "naming nobody ends nothing");
        assertEquals(1, sessions.endSingleSignOns(null, "kc-3"), "a sid alone");
        assertTrue(authenticator.authenticate(null, bobs.secret()).isEmpty());
    }

    @Test
    void authorizationHeader_winsOverTheCookie_andCarriesNoSession() {
        Tokens.Issued token = new Tokens(jdbi, clock).create(alice, "cli", TokenRole.READ);
        Sessions.Started started = sessions.start(alice);
        Authenticator.Authenticated caller = authenticator.authenticate("Bearer " + token.secret(), started.secret())
                .orElseThrow();
        assertEquals(TokenRole.READ, caller.principal().token().role());
        assertNull(caller.session());
    }
}
