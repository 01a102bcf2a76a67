package dev.atrium.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * Password attempts per account, {@value #LIMIT} in a window of {@link #WINDOW}: past that the password is not
 * checked until the window ends. An attempt is counted before the password is checked and forgiven when it was
 * right, so requests sent all at once cannot slip past the count while their hashes are computed. The price: whoever
 * guesses at an account keeps its owner out for the rest of the window (as GitLab's lock does).
 */
final class FailedSignIns {
    static final int LIMIT = 10;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final Jdbi jdbi;
    private final Clock clock;

    FailedSignIns(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Counts an attempt at the account's password; refused when the window's attempts are used up. */
    void begin(String userId) {
        long now = clock.millis();
        long windowStart = jdbi.inTransaction(h -> {
            h.createUpdate("""
                    INSERT INTO failed_sign_ins (user_id, attempts, window_start) VALUES (:id, 1, :now)
                    ON CONFLICT (user_id) DO UPDATE SET
                        attempts = CASE WHEN failed_sign_ins.window_start <= :expired THEN 1
                                        ELSE failed_sign_ins.attempts + 1 END,
                        window_start = CASE WHEN failed_sign_ins.window_start <= :expired THEN :now
                                            ELSE failed_sign_ins.window_start END""")
                    .bind("id", userId).bind("now", now).bind("expired", now - WINDOW.toMillis()).execute();
            return h.createQuery("SELECT attempts, window_start FROM failed_sign_ins WHERE user_id = :id")
                    .bind("id", userId)
                    .map((rs, ctx) -> rs.getInt("attempts") > LIMIT ? rs.getLong("window_start") : -1L)
                    .one();
        });
        if (windowStart >= 0) {
            throw new SignInThrottled(Duration.between(Instant.ofEpochMilli(now),
                    Instant.ofEpochMilli(windowStart).plus(WINDOW)));
        }
    }

    /** The password was right (or was set anew): the account's attempts start over. */
    void forgive(String userId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM failed_sign_ins WHERE user_id = :id")
                .bind("id", userId).execute());
    }
}
