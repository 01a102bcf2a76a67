package dev.atrium.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * Password attempts per account and client address ({@code source}): {@value #LIMIT} in a window of {@link #WINDOW}
 * from one address, {@value #ACCOUNT_LIMIT} from all addresses together; past either, the password is not checked
 * until the window ends. A guesser thus keeps out its own address, not the account's owner, unless it guesses from
 * ten addresses at once. An attempt is counted before the password is checked and forgiven when it was right, so
 * requests sent all at once cannot slip past the count while their hashes are computed.
 */
final class FailedSignIns {
    static final int LIMIT = 10;
    static final int ACCOUNT_LIMIT = 100;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final Jdbi jdbi;
    private final Clock clock;

    FailedSignIns(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Counts an attempt at the account's password from {@code source}; refused when the window's are used up. */
    void begin(String userId, String source) {
        long now = clock.millis();
        long expired = now - WINDOW.toMillis();
        long refusedSince = jdbi.inTransaction(h -> {
            h.createUpdate("DELETE FROM failed_sign_ins WHERE user_id = :id AND window_start <= :expired")
                    .bind("id", userId).bind("expired", expired).execute();
            // A refused attempt is counted once past the limit and no more: an address hammering at a closed door
            // must not use up what the other addresses may try.
            h.createUpdate("""
                    INSERT INTO failed_sign_ins (user_id, source, attempts, window_start) VALUES (:id, :source, 1, :now)
                    ON CONFLICT (user_id, source) DO UPDATE SET attempts = CASE
                        WHEN failed_sign_ins.attempts > :limit THEN failed_sign_ins.attempts
                        ELSE failed_sign_ins.attempts + 1 END""")
                    .bind("id", userId).bind("source", source).bind("now", now).bind("limit", LIMIT).execute();
            long fromSource = h.createQuery("""
                    SELECT window_start FROM failed_sign_ins WHERE user_id = :id AND source = :source
                      AND attempts > :limit""")
                    .bind("id", userId).bind("source", source).bind("limit", LIMIT)
                    .mapTo(Long.class).findOne().orElse(-1L);
            if (fromSource >= 0) {
                return fromSource;
            }
            return h.createQuery("""
                    SELECT MIN(window_start) FROM failed_sign_ins WHERE user_id = :id
                    HAVING SUM(attempts) > :limit""")
                    .bind("id", userId).bind("limit", ACCOUNT_LIMIT).mapTo(Long.class).findOne().orElse(-1L);
        });
        if (refusedSince >= 0) {
            throw new SignInThrottled(Duration.between(Instant.ofEpochMilli(now),
                    Instant.ofEpochMilli(refusedSince).plus(WINDOW)));
        }
    }

    /** The password was right: the attempts from {@code source} start over (those from elsewhere still count). */
    void forgive(String userId, String source) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM failed_sign_ins WHERE user_id = :id AND source = :source")
                .bind("id", userId).bind("source", source).execute());
    }

    /** The password was set anew: no attempt at the old one holds the account back. */
    void forgiveAll(String userId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM failed_sign_ins WHERE user_id = :id")
                .bind("id", userId).execute());
    }
}
