package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.testing.AtOnce;
import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FailedSignInsTest {
    @TempDir
    Path dir;
    private Jdbi jdbi;
    private final SettableClock clock = new SettableClock(1_800_000_000_000L);
    private FailedSignIns failures;
    private User alice;
    private User bob;

    @BeforeEach
    void init() {
        jdbi = openDatabase();
        failures = new FailedSignIns(jdbi, clock);
        alice = AuthDb.insertUser(jdbi, "alice", false);
        bob = AuthDb.insertUser(jdbi, "bob", false);
    }

    protected Jdbi openDatabase() {
        return AuthDb.open(dir);
    }

    @Test
    void attemptsSentAllAtOnce_cannotSlipPastTheCount() throws Exception {
        List<Callable<Object>> attempts = new ArrayList<>();
        for (int i = 0; i < 3 * FailedSignIns.LIMIT; i++) {
            attempts.add(() -> {
                failures.begin(alice.id());
                return null;
            });
        }
        assertEquals(FailedSignIns.LIMIT, AtOnce.succeeded(attempts, SignInThrottled.class));
    }

    @Test
    void pastTheLimit_attemptsAreRefused_untilTheWindowEnds() {
        for (int i = 0; i < FailedSignIns.LIMIT; i++) {
            failures.begin(alice.id());
            clock.advance(Duration.ofMinutes(1));
        }
        SignInThrottled refused = assertThrows(SignInThrottled.class, () -> failures.begin(alice.id()));
        assertEquals(FailedSignIns.WINDOW.minusMinutes(FailedSignIns.LIMIT), refused.retryAfter());
        assertEquals("Too many failed sign-ins for this account. Try again in 5 minutes.", refused.getMessage());
        failures.begin(bob.id()); // another account is not held back

        clock.advance(refused.retryAfter().minusSeconds(1));
        assertThrows(SignInThrottled.class, () -> failures.begin(alice.id()), "refused attempts do not extend it");
        clock.advance(Duration.ofSeconds(1));
        failures.begin(alice.id());
    }

    @Test
    void aRightPassword_forgivesTheAttemptsBefore() {
        for (int i = 0; i < FailedSignIns.LIMIT - 1; i++) {
            failures.begin(alice.id());
        }
        failures.forgive(alice.id());
        for (int i = 0; i < FailedSignIns.LIMIT; i++) {
            failures.begin(alice.id());
        }
        assertThrows(SignInThrottled.class, () -> failures.begin(alice.id()));
    }

    @Test
    void users_countEveryPasswordCheck_andANewPasswordStartsOver() {
        Users users = new Users(jdbi, new PasswordHasher(), clock);
        User carol = users.create("carol", "carol@example.com", "the-right-password", false);
        assertTrue(users.checkPassword("carol", "the-right-password"));
        assertFalse(users.checkPassword("carol", "a-wrong-one"));
        for (int i = 1; i < FailedSignIns.LIMIT; i++) {
            failures.begin(carol.id()); // the other nine wrong guesses, without nine slow hashes
        }
        assertThrows(SignInThrottled.class, () -> users.checkPassword("carol", "the-right-password"),
                "not even the right password is checked");
        assertFalse(users.checkPassword("nobody", "x"), "an unknown name is just wrong");
        users.setPassword(carol.id(), "set-by-an-admin");
        assertTrue(users.checkPassword("carol", "set-by-an-admin"));
    }
}
