package dev.atrium.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Links that show an account's email is its owner's: mailed to the address, they verify it when opened. A link is
 * signed with the server's key over the account, the address and an expiry, so nothing is stored, and a link sent
 * to an address the owner has since changed verifies nothing.
 */
public final class EmailVerifications {
    public static final Duration LIFETIME = Duration.ofDays(2);

    private final ServerSecret secret;
    private final Users users;
    private final Clock clock;

    public EmailVerifications(ServerSecret secret, Users users, Clock clock) {
        this.secret = secret;
        this.users = users;
        this.clock = clock;
    }

    /** The token of a link for the account's current email: {@code userId.expiry.signature}. */
    public String token(User user) {
        return secret.expiringToken(user.id(), clock.instant().plus(LIFETIME).getEpochSecond(),
                (id, expires) -> message(id, user.email(), expires));
    }

    /** The account whose email the token verifies, now marked verified; none for a bad, old or outdated token. */
    public Optional<User> verify(String token) {
        String claimed = token.substring(0, Math.max(0, token.indexOf('.')));
        // Signed over the account's email now: a link sent to an address since changed opens nothing.
        Optional<User> user = users.activeById(claimed).filter(u -> secret.subjectOf(token,
                clock.instant().getEpochSecond(), (id, expires) -> message(id, u.email(), expires)).isPresent());
        return user.filter(u -> users.markEmailVerified(u.id(), u.email()));
    }

    private static String message(String userId, String email, long expires) {
        return "verify-email\n" + userId + "\n" + email.toLowerCase(Locale.ROOT) + "\n" + expires;
    }
}
