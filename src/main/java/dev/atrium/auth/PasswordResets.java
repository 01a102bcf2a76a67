package dev.atrium.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Links that let an account's owner choose a new password without the old one, mailed to the account's address. A
 * link's secret is shown only in the mail (the database keeps its SHA-256, as for tokens), works once and for an hour,
 * and choosing a password through it uses up every other link of the account.
 */
public final class PasswordResets {
    public static final Duration LIFETIME = Duration.ofHours(1);
    /** At most one link per account in this time: the form is open to anyone and must not flood an inbox. */
    static final Duration BETWEEN = Duration.ofMinutes(1);

    private final Jdbi jdbi;
    private final Users users;
    private final Clock clock;

    public PasswordResets(Jdbi jdbi, Users users, Clock clock) {
        this.jdbi = jdbi;
        this.users = users;
        this.clock = clock;
    }

    /** A new link's secret, and whose account it resets. */
    public record Issued(User user, String secret) {}

    /**
     * A link for the active account with this name, or else this email (case aside); none when there is no such
     * account or one was issued for it within {@link #BETWEEN}. Callers must answer the same either way.
     */
    public Optional<Issued> issue(String nameOrEmail) {
        Optional<User> user = users.activeByNameOrEmail(nameOrEmail.strip());
        if (user.isEmpty() || user.get().email() == null || user.get().email().isBlank()) {
            return Optional.empty();
        }
        String secret = RandomSecrets.text(32);
        long now = clock.millis();
        boolean issued = jdbi.inTransaction(h -> {
            // Links a day past their hour are kept no longer (a small table: the form is limited per account).
            h.createUpdate("DELETE FROM password_resets WHERE expires_at < :old")
                    .bind("old", now - Duration.ofDays(1).toMillis()).execute();
            boolean recent = h.createQuery(
                            "SELECT 1 FROM password_resets WHERE user_id = :user AND created_at > :since")
                    .bind("user", user.get().id()).bind("since", now - BETWEEN.toMillis())
                    .mapTo(Integer.class).findFirst().isPresent();
            if (recent) {
                return false;
            }
            h.createUpdate("""
                    INSERT INTO password_resets (token_hash, user_id, created_at, expires_at)
                    VALUES (:hash, :user, :now, :expires)""")
                    .bind("hash", Tokens.hash(secret)).bind("user", user.get().id()).bind("now", now)
                    .bind("expires", now + LIFETIME.toMillis()).execute();
            return true;
        });
        return issued ? Optional.of(new Issued(user.get(), secret)) : Optional.empty();
    }

    /** The active account an unused, unexpired link resets: to show its form. */
    public Optional<User> peek(String secret) {
        String hash = Tokens.hash(secret);
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT user_id, token_hash FROM password_resets
                        WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now""")
                .bind("hash", hash).bind("now", clock.millis())
                .map((rs, c) -> MessageDigest.isEqual(rs.getString("token_hash").getBytes(StandardCharsets.US_ASCII),
                        hash.getBytes(StandardCharsets.US_ASCII)) ? rs.getString("user_id") : null)
                .findFirst())
                .flatMap(users::activeById);
    }

    /**
     * Sets {@code password} for the account the link resets, if the link is unused and unexpired (of two uses at
     * once, one wins); every link of the account is used up. The caller ends the account's sessions.
     */
    public Optional<User> redeem(String secret, String password) {
        Optional<User> user = peek(secret);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        long now = clock.millis();
        int taken = jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE password_resets SET used_at = :now
                        WHERE token_hash = :hash AND used_at IS NULL AND expires_at > :now""")
                .bind("now", now).bind("hash", Tokens.hash(secret)).execute());
        if (taken != 1) {
            return Optional.empty();
        }
        users.setPassword(user.get().id(), password);
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE password_resets SET used_at = :now WHERE user_id = :user AND used_at IS NULL")
                .bind("now", now).bind("user", user.get().id()).execute());
        return user;
    }
}
