package dev.atrium.auth;

import java.util.Locale;

/** What a token may do: {@code read} downloads, {@code write} also creates repos and pushes. */
public enum TokenRole {
    READ, WRITE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TokenRole parse(String text) {
        for (TokenRole role : values()) {
            if (role.wireName().equals(text)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be read or write, not " + text);
    }
}
