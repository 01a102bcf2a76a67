package dev.atrium.db;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Application-generated primary keys: 24 hex characters, the shape of the Hub's {@code _id}. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {}

    public static String newId() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
