package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceLoginsTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final String CLIENT = "hf-cli";

    @TempDir
    Path dir;
    private Jdbi jdbi;
    private SettableClock clock;
    private Tokens tokens;
    private DeviceLogins logins;
    private User alice;

    @BeforeEach
    void setUp() {
        jdbi = openDatabase();
        clock = new SettableClock(T0);
        tokens = new Tokens(jdbi, clock);
        logins = new DeviceLogins(jdbi, new Users(jdbi, new PasswordHasher(), clock), tokens, clock);
        alice = AuthDb.insertUser(jdbi, "alice", false);
    }

    protected Jdbi openDatabase() {
        return AuthDb.open(dir);
    }

    private DeviceLogins.Refusal refusal(DeviceLogins.Polled polled) {
        return assertInstanceOf(DeviceLogins.Polled.Refused.class, polled).refusal();
    }

    private void later(long millis) {
        clock.advance(millis);
    }

    @Test
    void start_givesAnUnguessableDeviceCode_andAShortConsonantUserCode() {
        DeviceLogins.Started a = logins.start(CLIENT);
        DeviceLogins.Started b = logins.start(CLIENT);
        assertTrue(a.userCode().matches("[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}"), a.userCode());
        assertTrue(a.deviceCode().matches("[A-Za-z0-9_-]{43}"), a.deviceCode());
        assertNotEquals(a.deviceCode(), b.deviceCode());
        assertNotEquals(a.userCode(), b.userCode());
        assertEquals(900, a.expiresIn().toSeconds());
        assertEquals(5, a.interval().toSeconds());
    }

    @Test
    void start_keepsOnlyAHashOfTheDeviceCode() {
        DeviceLogins.Started started = logins.start(CLIENT);
        String stored = jdbi.withHandle(h -> h.createQuery("SELECT device_hash FROM device_logins")
                .mapTo(String.class).one());
        assertEquals(Tokens.hash(started.deviceCode()), stored);
        assertNotEquals(started.deviceCode(), stored);
    }

    @Test
    void approvedLogin_getsAWriteTokenOfTheApprover_once() {
        DeviceLogins.Started started = logins.start(CLIENT);
        assertEquals(DeviceLogins.Refusal.AUTHORIZATION_PENDING, refusal(logins.poll(started.deviceCode(), CLIENT)));
        assertTrue(logins.approve(started.userCode(), alice));

        later(5_000);
        DeviceLogins.Polled.Granted granted = assertInstanceOf(DeviceLogins.Polled.Granted.class,
                logins.poll(started.deviceCode(), CLIENT));
        TokenInfo token = tokens.authenticate(granted.token().secret()).orElseThrow();
        assertEquals(alice.id(), token.userId());
        assertEquals(TokenRole.WRITE, token.role());
        assertTrue(token.displayName().startsWith("Browser login, 2023-11-14 22:13"), token.displayName());

        later(5_000);
        assertEquals(DeviceLogins.Refusal.INVALID_GRANT, refusal(logins.poll(started.deviceCode(), CLIENT)));
        assertFalse(logins.approve(started.userCode(), alice), "a used code cannot be approved again");
    }

    @Test
    void deniedLogin_isReportedOnce_andGetsNoToken() {
        DeviceLogins.Started started = logins.start(CLIENT);
        assertTrue(logins.deny(started.userCode(), alice));
        assertFalse(logins.approve(started.userCode(), alice), "a decided request stays decided");
        assertEquals(DeviceLogins.Refusal.ACCESS_DENIED, refusal(logins.poll(started.deviceCode(), CLIENT)));
        later(5_000);
        assertEquals(DeviceLogins.Refusal.INVALID_GRANT, refusal(logins.poll(started.deviceCode(), CLIENT)));
        assertTrue(tokens.listFor(alice).isEmpty());
    }

    @Test
    void pollingFasterThanTheInterval_isToldToSlowDown() {
        DeviceLogins.Started started = logins.start(CLIENT);
        assertEquals(DeviceLogins.Refusal.AUTHORIZATION_PENDING, refusal(logins.poll(started.deviceCode(), CLIENT)));
        later(1_000);
        assertEquals(DeviceLogins.Refusal.SLOW_DOWN, refusal(logins.poll(started.deviceCode(), CLIENT)));
        later(4_500); // a little under the interval after the last poll still counts as on time
        assertEquals(DeviceLogins.Refusal.AUTHORIZATION_PENDING, refusal(logins.poll(started.deviceCode(), CLIENT)));
    }

    @Test
    void expiredRequest_cannotBeApproved_andItsPollSaysExpired() {
        DeviceLogins.Started started = logins.start(CLIENT);
        later(DeviceLogins.LIFETIME.toMillis());
        assertTrue(logins.pending(started.userCode(), alice).isEmpty());
        assertFalse(logins.approve(started.userCode(), alice));
        assertEquals(DeviceLogins.Refusal.EXPIRED_TOKEN, refusal(logins.poll(started.deviceCode(), CLIENT)));
        assertEquals(DeviceLogins.Refusal.INVALID_GRANT, refusal(logins.poll(started.deviceCode(), CLIENT)));
    }

    @Test
    void approvalAfterExpiry_givesNoToken() {
        DeviceLogins.Started started = logins.start(CLIENT);
        assertTrue(logins.approve(started.userCode(), alice));
        later(DeviceLogins.LIFETIME.toMillis() + 1);
        assertEquals(DeviceLogins.Refusal.EXPIRED_TOKEN, refusal(logins.poll(started.deviceCode(), CLIENT)));
        assertTrue(tokens.listFor(alice).isEmpty());
    }

    @Test
    void unknownDeviceCode_orAnotherClientsPoll_isAnInvalidGrant() {
        DeviceLogins.Started started = logins.start(CLIENT);
        assertTrue(logins.approve(started.userCode(), alice));
        assertEquals(DeviceLogins.Refusal.INVALID_GRANT, refusal(logins.poll("not-a-code", CLIENT)));
        assertEquals(DeviceLogins.Refusal.INVALID_GRANT, refusal(logins.poll(started.deviceCode(), "other")));
        assertInstanceOf(DeviceLogins.Polled.Granted.class, logins.poll(started.deviceCode(), CLIENT));
    }

    @Test
    void userCode_isFoundTypedInLowerCase_orWithoutItsDash() {
        DeviceLogins.Started started = logins.start(CLIENT);
        String bare = started.userCode().replace("-", "");
        Optional<DeviceLogins.Request> request = logins.pending(bare.toLowerCase(java.util.Locale.ROOT), alice);
        assertEquals(started.userCode(), request.orElseThrow().userCode());
        assertEquals(CLIENT, request.get().clientId());
        assertTrue(logins.pending(" " + bare.substring(0, 4) + " " + bare.substring(4), alice).isPresent());
        assertTrue(logins.pending(bare.substring(1), alice).isEmpty(), "seven letters");
        assertTrue(logins.pending(bare.substring(1) + "A", alice).isEmpty(), "a vowel is never in a code");
        assertTrue(logins.pending(null, alice).isEmpty());
    }

    @Test
    void wrongUserCodes_pastTheLimit_stopTheLookups_forThatAccount_untilTheWindowEnds() {
        DeviceLogins.Started started = logins.start(CLIENT);
        User bob = AuthDb.insertUser(jdbi, "bob", false);
        for (int i = 0; i < 3; i++) {
            assertTrue(logins.pending(started.userCode(), bob).isPresent(), "codes found are not misses");
        }
        for (int i = 0; i < DeviceLogins.MISS_LIMIT; i++) {
            assertTrue(logins.pending("BCDF-GHJ" + "KLMNPQRSTV".charAt(i), bob).isEmpty());
        }
        assertThrows(DeviceLogins.TooManyGuesses.class, () -> logins.pending(started.userCode(), bob),
                "not even the right code is looked up now");
        assertThrows(DeviceLogins.TooManyGuesses.class, () -> logins.approve(started.userCode(), bob));
        assertThrows(DeviceLogins.TooManyGuesses.class, () -> logins.deny(started.userCode(), bob));
        assertTrue(logins.pending(started.userCode(), alice).isPresent(), "another account is not held back");

        later(DeviceLogins.MISS_WINDOW.toMillis());
        assertTrue(logins.approve(logins.start(CLIENT).userCode(), bob), "after the window");
    }

    @Test
    void start_refusesOverTheLimitOfWaitingRequests_untilUnpolledOnesAreAbandoned() {
        DeviceLogins.Started polled = logins.start(CLIENT);
        for (int i = 1; i < DeviceLogins.MAX_PENDING; i++) {
            logins.start(CLIENT);
        }
        assertThrows(DeviceLogins.TooManyPending.class, () -> logins.start(CLIENT));
        later(DeviceLogins.ABANDONED.toMillis() - 5_000);
        logins.poll(polled.deviceCode(), CLIENT); // a real client keeps polling
        assertThrows(DeviceLogins.TooManyPending.class, () -> logins.start(CLIENT));
        later(5_000);
        DeviceLogins.Started fresh = logins.start(CLIENT);
        assertEquals(2, waiting(), "the polled request and the new one; the unpolled ones are gone");
        assertEquals(DeviceLogins.Refusal.AUTHORIZATION_PENDING, refusal(logins.poll(polled.deviceCode(), CLIENT)));
        assertEquals(DeviceLogins.Refusal.AUTHORIZATION_PENDING, refusal(logins.poll(fresh.deviceCode(), CLIENT)));
    }

    @Test
    void start_forgetsExpiredRequests() {
        logins.start(CLIENT);
        later(DeviceLogins.LIFETIME.toMillis());
        logins.start(CLIENT);
        assertEquals(1, waiting());
    }

    private int waiting() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM device_logins").mapTo(Integer.class).one());
    }
}
