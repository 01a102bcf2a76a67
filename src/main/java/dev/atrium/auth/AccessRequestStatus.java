package dev.atrium.auth;

import java.util.Locale;
import java.util.Optional;

/** Where a user's request to download a gated repo stands; the wire names are the Hub's. */
public enum AccessRequestStatus {
    PENDING, ACCEPTED, REJECTED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AccessRequestStatus> parse(String text) {
        for (AccessRequestStatus s : values()) {
            if (s.wireName().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
