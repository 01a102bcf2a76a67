package dev.atrium.mail;

import dev.atrium.auth.EmailVerifications;
import dev.atrium.auth.PasswordResets;
import dev.atrium.auth.User;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The mail an account gets from the hub: a link to verify its address, a link to choose a new password. On a hub
 * without mail ({@code --smtp} unset) there is none, and the pages offer neither.
 */
public final class AccountMail {
    private final @Nullable Outbox outbox;
    private final EmailVerifications verifications;
    private final String hubUrl;

    /**
     * @param hubUrl the configured base URL, never one taken from a request: whoever asks for a reset must not
     *               choose where its link points
     */
    public AccountMail(@Nullable Outbox outbox, EmailVerifications verifications, String hubUrl) {
        this.outbox = outbox;
        this.verifications = verifications;
        this.hubUrl = hubUrl;
    }

    public boolean enabled() {
        return outbox != null;
    }

    /** Mails the account's current address a link that verifies it. */
    public void sendVerification(User user) {
        if (outbox == null) {
            return;
        }
        String link = hubUrl + "/verify-email?token=" + query(verifications.token(user));
        outbox.post(new Mail(user.email(), "Verify your email address on " + host(hubUrl), """
                Hello %s,

                Open this link to verify that %s is your address on %s:

                %s

                The link works for %d days. If you did not add this address to an account there, ignore this mail.
                """.formatted(user.name(), user.email(), hubUrl, link, EmailVerifications.LIFETIME.toDays())));
    }

    /** Mails a password reset link to the account it resets. */
    public void sendPasswordReset(PasswordResets.Issued issued) {
        if (outbox == null) {
            return;
        }
        String link = hubUrl + "/reset-password?token=" + query(issued.secret());
        outbox.post(new Mail(issued.user().email(), "Reset your password on " + host(hubUrl), """
                Hello %s,

                Someone, hopefully you, asked to reset the password of your account %s on %s. To choose a new
                password, open this link:

                %s

                The link works once, for %d minutes. If you did not ask for it, ignore this mail: your password
                stays as it is.
                """.formatted(issued.user().name(), issued.user().name(), hubUrl, link,
                PasswordResets.LIFETIME.toMinutes())));
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String host(String hubUrl) {
        return java.net.URI.create(hubUrl).getHost();
    }
}
