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

    private static final String HERE = "192.0.2.1";
    private static final String ELSEWHERE = "2001:db8:0:1::/64";

    @Test
    void attemptsSentAllAtOnce_cannotSlipPastTheCount() throws Exception {
        List<Callable<Object>> attempts = new ArrayList<>();
        for (int i = 0; i < 3 * FailedSignIns.LIMIT; i++) {
            attempts.add(() -> {
                failures.begin(alice.id(), HERE);
                return null;
            });
        }
        assertEquals(FailedSignIns.LIMIT, AtOnce.succeeded(attempts, SignInThrottled.class));
    }

    @Test
    void pastTheLimit_attemptsAreRefused_untilTheWindowEnds() {
        for (int i = 0; i < FailedSignIns.LIMIT; i++) {
            failures.begin(alice.id(), HERE);
            clock.advance(Duration.ofMinutes(1));
        }
        SignInThrottled refused = assertThrows(SignInThrottled.class, () -> failures.begin(alice.id(), HERE));
        assertEquals(FailedSignIns.WINDOW.minusMinutes(FailedSignIns.LIMIT), refused.retryAfter());
        assertEquals("Too many failed sign-ins for this account. Try again in 5 minutes.", refused.getMessage());
        failures.begin(bob.id(), HERE); // another account is not held back
        failures.begin(alice.id(), ELSEWHERE); // nor the account from another address

        clock.advance(refused.retryAfter().minusSeconds(1));
        assertThrows(SignInThrottled.class, () -> failures.begin(alice.id(), HERE), "refused attempts do not extend it");
        clock.advance(Duration.ofSeconds(1));
        failures.begin(alice.id(), HERE);
    }

    /**
     * Guessing from many addresses at once is capped for the account as a whole; an address refused already adds
     * nothing more to that count, however often it tries.
     */
    @Test
    void manyAddresses_shareTheAccountsCeiling() {
        // Each refused address counts LIMIT + 1, however often it was refused: nine of them count 99.
        int refusedAddresses = FailedSignIns.ACCOUNT_LIMIT / (FailedSignIns.LIMIT + 1);
        for (int a = 0; a < refusedAddresses; a++) {
            for (int i = 0; i < FailedSignIns.LIMIT; i++) {
                failures.begin(alice.id(), "198.51.100." + a);
            }
            for (int i = 0; i < 5; i++) {
                int address = a;
                assertThrows(SignInThrottled.class, () -> failures.begin(alice.id(), "198.51.100." + address));
            }
        }
        for (int i = refusedAddresses * (FailedSignIns.LIMIT + 1); i < FailedSignIns.ACCOUNT_LIMIT; i++) {
            failures.begin(alice.id(), "203.0.113.1");
        }
        SignInThrottled refused = assertThrows(SignInThrottled.class, () -> failures.begin(alice.id(), HERE),
                "past the ceiling, every address is refused, the owner's too");
        assertEquals(FailedSignIns.WINDOW, refused.retryAfter());
        failures.begin(bob.id(), HERE);
        clock.advance(FailedSignIns.WINDOW);
        failures.begin(alice.id(), HERE);
    }

    /** Past the account's ceiling, an address the owner signed in from lately is held to its own limit only. */
    @Test
    void pastTheCeiling_addressesTheAccountSignedInFrom_stillTry() {
        failures.begin(alice.id(), HERE);
        failures.forgive(alice.id(), HERE); // signed in from here
        clock.advance(FailedSignIns.KNOWN_FOR.minus(FailedSignIns.WINDOW).minusMinutes(1));
        for (int a = 0; a < 10; a++) {
            for (int i = 0; i < FailedSignIns.LIMIT; i++) {
                failures.begin(alice.id(), "198.51.100." + a);
            }
        }
        assertThrows(SignInThrottled.class, () -> failures.begin(alice.id(), "203.0.113.9"), "a new address");
        for (int i = 0; i < FailedSignIns.LIMIT; i++) {
            failures.begin(alice.id(), HERE);
        }
        assertThrows(SignInThrottled.class, () -> failures.begin(alice.id(), HERE), "its own limit still holds");
        failures.forgive(alice.id(), HERE); // the owner's right password, from here again
        int left = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM failed_sign_ins WHERE source = :s")
                .bind("s", HERE).mapTo(Integer.class).one());
        assertEquals(0, left, "and its attempts start over");

        clock.advance(FailedSignIns.KNOWN_FOR.plusMinutes(1));
        for (int a = 0; a < 10; a++) {
            for (int i = 0; i < FailedSignIns.LIMIT; i++) {
                failures.begin(alice.id(), "198.51.100." + a);
            }
        }
        assertThrows(SignInThrottled.class, () -> failures.begin(alice.id(), HERE),
                "an address not used for longer than it is known for is new again");
    }

    @Test
    void aNewPassword_forgetsTheKnownAddresses() {
        failures.forgive(alice.id(), HERE);
        failures.forgiveAll(alice.id());
        for (int a = 0; a < 10; a++) {
            for (int i = 0; i < FailedSignIns.LIMIT; i++) {
                failures.begin(alice.id(), "198.51.100." + a);
            }
        }
        assertThrows(SignInThrottled.class, () -> failures.begin(alice.id(), HERE),
                "it may be a thief's, who signed in with the old password");
    }

    @Test
    void aRightPassword_forgivesTheAttemptsBefore_fromItsAddress() {
        for (int i = 0; i < FailedSignIns.LIMIT - 1; i++) {
            failures.begin(alice.id(), HERE);
            failures.begin(alice.id(), ELSEWHERE);
        }
        failures.forgive(alice.id(), HERE);
        for (int i = 0; i < FailedSignIns.LIMIT; i++) {
            failures.begin(alice.id(), HERE);
        }
        assertThrows(SignInThrottled.class, () -> failures.begin(alice.id(), HERE));
        failures.begin(alice.id(), ELSEWHERE);
        assertThrows(SignInThrottled.class, () -> failures.begin(alice.id(), ELSEWHERE),
                "the other address's attempts still count");
    }

    @Test
    void users_countEveryPasswordCheck_andANewPasswordStartsOver() {
        Users users = new Users(jdbi, new PasswordHasher(), clock);
        User carol = users.create("carol", "carol@example.com", "the-right-password", false);
        assertTrue(users.checkPassword("carol", "the-right-password", HERE));
        assertFalse(users.checkPassword("carol", "a-wrong-one", HERE));
        for (int i = 1; i < FailedSignIns.LIMIT; i++) {
            failures.begin(carol.id(), HERE); // the other nine wrong guesses, without nine slow hashes
            failures.begin(carol.id(), ELSEWHERE);
        }
        assertThrows(SignInThrottled.class, () -> users.checkPassword("carol", "the-right-password", HERE),
                "not even the right password is checked");
        assertFalse(users.checkPassword("nobody", "x", HERE), "an unknown name is just wrong");
        users.setPassword(carol.id(), "set-by-an-admin");
        for (int i = 0; i < FailedSignIns.LIMIT - 1; i++) {
            failures.begin(carol.id(), ELSEWHERE); // a new password forgives every address
        }
        assertTrue(users.checkPassword("carol", "set-by-an-admin", HERE));
    }
}
