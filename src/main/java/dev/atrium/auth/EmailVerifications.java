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
        long expires = clock.instant().plus(LIFETIME).getEpochSecond();
        return user.id() + "." + expires + "." + secret.sign(message(user.id(), user.email(), expires));
    }

    /** The account whose email the token verifies, now marked verified; none for a bad, old or outdated token. */
    public Optional<User> verify(String token) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        Optional<User> user = users.activeById(parts[0]);
        if (user.isEmpty() || !secret.matchesUnexpired(parts[1], parts[2], clock.instant().getEpochSecond(),
                expires -> message(parts[0], user.get().email(), expires))) {
            return Optional.empty();
        }
        return users.markEmailVerified(user.get().id(), user.get().email()) ? user : Optional.empty();
    }

    private static String message(String userId, String email, long expires) {
        return "verify-email\n" + userId + "\n" + email.toLowerCase(Locale.ROOT) + "\n" + expires;
    }
}
