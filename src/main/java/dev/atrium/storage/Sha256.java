package dev.atrium.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/** A SHA-256 digest in its canonical lowercase hex form; constructing one validates it. */
public record Sha256(String hex) implements BlobKey {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    public Sha256 {
        if (!HEX64.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a sha256 hex digest: " + abbreviate(hex));
        }
    }

    /** Parses client input, accepting upper case; returns null when it is not a digest. */
    public static Sha256 parseOrNull(String text) {
        if (text == null) {
            return null;
        }
        String lower = text.toLowerCase(Locale.ROOT);
        return HEX64.matcher(lower).matches() ? new Sha256(lower) : null;
    }

    @Override
    public String storageName() {
        return hex;
    }

    public static Sha256 of(MessageDigest digest) {
        return new Sha256(HexFormat.of().formatHex(digest.digest()));
    }

    public static Sha256 of(byte[] content) {
        MessageDigest digest = newDigest();
        digest.update(content);
        return of(digest);
    }

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    @Override
    public String toString() {
        return hex;
    }
}
