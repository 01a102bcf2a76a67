package dev.atrium.auth;

import java.util.Locale;

/**
 * What a token may do: {@code read} downloads, {@code write} also creates repos and pushes, {@code fineGrained} only
 * what its {@link TokenScopes} allow.
 */
public enum TokenRole {
    READ, WRITE, FINE_GRAINED;

    public String wireName() {
        return this == FINE_GRAINED ? "fineGrained" : name().toLowerCase(Locale.ROOT);
    }

    public static TokenRole parse(String text) {
        for (TokenRole role : values()) {
            if (role.wireName().equals(text)) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be read, write or fineGrained, not " + text);
    }
}
