package dev.atrium.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * Password attempts per account and client address ({@code source}): {@value #LIMIT} in a window of {@link #WINDOW}
 * from one address, {@value #ACCOUNT_LIMIT} from all addresses together; past either, the password is not checked
 * until the window ends. A guesser thus keeps out its own address, not the account's owner; and guessing from many
 * addresses at once, which uses up the account's ceiling, keeps out new addresses only: an address the account
 * signed in from in the last {@link #KNOWN_FOR} is held to its own limit alone. An attempt is counted before the
 * password is checked and forgiven when it was right, so requests sent all at once cannot slip past the count while
 * their hashes are computed.
 */
final class FailedSignIns {
    static final int LIMIT = 10;
    static final int ACCOUNT_LIMIT = 100;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration KNOWN_FOR = Duration.ofDays(30);

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
            boolean known = h.createQuery("""
                    SELECT 1 FROM known_sign_in_sources WHERE user_id = :id AND source = :source
                      AND last_used_at > :since""")
                    .bind("id", userId).bind("source", source).bind("since", now - KNOWN_FOR.toMillis())
                    .mapTo(Integer.class).findOne().isPresent();
            if (known) {
                return -1L;
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

    /**
     * The password was right: the attempts from {@code source} start over (those from elsewhere still count), and the
     * address is known to the account for {@link #KNOWN_FOR}.
     */
    void forgive(String userId, String source) {
        long now = clock.millis();
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM failed_sign_ins WHERE user_id = :id AND source = :source")
                    .bind("id", userId).bind("source", source).execute();
            h.createUpdate("""
                    INSERT INTO known_sign_in_sources (user_id, source, last_used_at) VALUES (:id, :source, :now)
                    ON CONFLICT (user_id, source) DO UPDATE SET last_used_at = excluded.last_used_at""")
                    .bind("id", userId).bind("source", source).bind("now", now).execute();
            h.createUpdate("DELETE FROM known_sign_in_sources WHERE user_id = :id AND last_used_at <= :since")
                    .bind("id", userId).bind("since", now - KNOWN_FOR.toMillis()).execute();
        });
    }

    /**
     * The password was set anew: no attempt at the old one holds the account back, and no address is known any more
     * (one may be a thief's who signed in with the old password).
     */
    void forgiveAll(String userId) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM failed_sign_ins WHERE user_id = :id").bind("id", userId).execute();
            h.createUpdate("DELETE FROM known_sign_in_sources WHERE user_id = :id").bind("id", userId).execute();
        });
    }
}
