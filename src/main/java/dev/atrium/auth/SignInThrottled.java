package dev.atrium.auth;

import java.time.Duration;

/** Too many wrong passwords for an account lately: its password is not checked for {@code retryAfter}. */
public final class SignInThrottled extends RuntimeException {
    private final Duration retryAfter;

    SignInThrottled(Duration retryAfter) {
        super("Too many failed sign-ins for this account. Try again in " + minutes(retryAfter)
                + (minutes(retryAfter) == 1 ? " minute." : " minutes."));
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    private static long minutes(Duration d) {
        return Math.max(1, (d.toSeconds() + 59) / 60);
    }
}
