package dev.atrium.auth;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable values handed to clients (session cookies, mailed links, invitations, sign-in state): URL-safe text. */
public final class RandomSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomSecrets() {}

    /** {@code bytes} random bytes as unpadded base64url. */
    public static String text(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    }
}
