package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordResetsTest {
    private static final String HERE = "192.0.2.1";
    @TempDir
    Path dir;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-28T10:00:00Z"));
    private Jdbi jdbi;
    private Users users;
    private PasswordResets resets;
    private User erin;

    protected Jdbi openDatabase() {
        return AuthDb.open(dir);
    }

    @BeforeEach
    void setUp() {
        jdbi = openDatabase();
        users = new Users(jdbi, new PasswordHasher(), clock);
        resets = new PasswordResets(jdbi, users, clock);
        erin = users.create("erin", "Erin@Example.com", "the-old-password", false);
    }

    @Test
    void aLinkIsIssuedByNameOrEmail_caseAside_andForActiveAccountsOnly() {
        assertEquals(erin.id(), resets.issue("ERIN").orElseThrow().user().id());
        clock.advance(PasswordResets.BETWEEN);
        assertEquals(erin.id(), resets.issue(" erin@example.com ").orElseThrow().user().id());
        clock.advance(PasswordResets.BETWEEN);
        assertTrue(resets.issue("nobody").isEmpty());
        users.setDeactivated(erin.id(), true);
        assertTrue(resets.issue("erin").isEmpty(), "a deactivated account gets no link");
    }

    @Test
    void oneLinkAMinute_soTheOpenFormCannotFloodAnInbox() {
        assertTrue(resets.issue("erin").isPresent());
        clock.advance(Duration.ofSeconds(59));
        assertTrue(resets.issue("erin").isEmpty());
        clock.advance(Duration.ofSeconds(2));
        assertTrue(resets.issue("erin").isPresent());
    }

    @Test
    void aLinkSetsThePasswordOnce_andUsesUpTheAccountsOtherLinks() {
        String first = resets.issue("erin").orElseThrow().secret();
        clock.advance(PasswordResets.BETWEEN.plusSeconds(1));
        String second = resets.issue("erin").orElseThrow().secret();
        assertEquals(Optional.of(erin.id()), resets.peek(second).map(User::id));

        assertEquals(Optional.of(erin.id()), resets.redeem(second, "the-new-password").map(User::id));
        assertTrue(users.checkPassword("erin", "the-new-password", HERE));
        assertFalse(users.checkPassword("erin", "the-old-password", HERE));
        assertTrue(resets.redeem(second, "a-third-password").isEmpty(), "used once");
        assertTrue(resets.redeem(first, "a-third-password").isEmpty(), "the older link is used up too");
        assertTrue(resets.peek(first).isEmpty());
        assertTrue(users.checkPassword("erin", "the-new-password", HERE));
    }

    @Test
    void aLinkExpiresAfterAnHour_andAWrongSecretOpensNothing() {
        String secret = resets.issue("erin").orElseThrow().secret();
        assertTrue(resets.redeem(secret + "x", "the-new-password").isEmpty());
        assertTrue(resets.redeem("", "the-new-password").isEmpty());
        clock.advance(PasswordResets.LIFETIME.plusSeconds(1));
        assertTrue(resets.peek(secret).isEmpty());
        assertTrue(resets.redeem(secret, "the-new-password").isEmpty());
        assertTrue(users.checkPassword("erin", "the-old-password", HERE));
        clock.advance(java.time.Duration.ofDays(1));
        resets.issue("erin");
        int kept = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM password_resets")
                .mapTo(Integer.class).one());
        assertEquals(1, kept, "links a day past their hour are removed when a new one is issued");
    }
}
