package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmailVerificationsTest {
    @TempDir
    Path dir;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private Users users;
    private EmailVerifications verifications;
    private User frank;

    protected Jdbi openDatabase() {
        return AuthDb.open(dir);
    }

    @BeforeEach
    void setUp() {
        Jdbi jdbi = openDatabase();
        users = new Users(jdbi, new PasswordHasher(), clock);
        verifications = new EmailVerifications(new ServerSecret(new byte[32]), users, clock);
        frank = AuthDb.insertUser(jdbi, "frank", false);
    }

    @Test
    void aLinkVerifiesTheAddressItWasSentTo() {
        assertFalse(users.emailVerified(frank.id()));
        assertEquals(Optional.of(frank.id()), verifications.verify(verifications.token(frank)).map(User::id));
        assertTrue(users.emailVerified(frank.id()));
        users.updateProfile(frank.id(), "Frank", "FRANK@example.com");
        assertTrue(users.emailVerified(frank.id()), "the same address in another case stays verified");
        users.updateProfile(frank.id(), "Frank", "frank@elsewhere.org");
        assertFalse(users.emailVerified(frank.id()), "a new address is not");
    }

    @Test
    void aLinkForAnAddressChangedSince_oldOrForged_verifiesNothing() {
        String forOld = verifications.token(frank);
        users.updateProfile(frank.id(), "Frank", "frank@elsewhere.org");
        assertTrue(verifications.verify(forOld).isEmpty(), "sent to the old address");
        User moved = users.byId(frank.id()).orElseThrow();
        String token = verifications.token(moved);
        String[] parts = token.split("\\.");
        assertTrue(verifications.verify(parts[0] + "." + (Long.parseLong(parts[1]) + 1) + "." + parts[2]).isEmpty(),
                "a longer life than signed");
        assertTrue(verifications.verify("someone-else." + parts[1] + "." + parts[2]).isEmpty());
        assertTrue(verifications.verify("garbage").isEmpty());
        clock.advance(EmailVerifications.LIFETIME.plusSeconds(1));
        assertTrue(verifications.verify(token).isEmpty(), "expired");
        assertFalse(users.emailVerified(frank.id()));
    }
}
