package dev.atrium.auth;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server's own HMAC key, for URLs that authorise themselves (LFS transfer hrefs). It lives in the data directory
 * so that signed URLs survive a restart and every process on the same data agrees on it; only the owner may read it.
 */
public final class ServerSecret {
    private static final int KEY_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;

    public ServerSecret(byte[] key) {
        if (key.length < KEY_BYTES) {
            throw new IllegalArgumentException("the server secret must have at least " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    }

    /** Reads {@code file}, or creates it with fresh random bytes (mode 0600) when it does not exist yet. */
    public static ServerSecret loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            create(file);
        }
        return new ServerSecret(Files.readAllBytes(file));
    }

    /** Written to a temp file first and moved into place, so a crash never leaves a short key behind. */
    private static void create(Path file) throws IOException {
        byte[] bytes = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(bytes);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp;
        try {
            temp = Files.createTempFile(dir, ".secret-", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            temp = Files.createTempFile(dir, ".secret-", ".tmp"); // not a POSIX file system: rely on the folder
        }
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap(bytes));
                out.force(true);
            }
            try {
                // A hard link never replaces an existing file, unlike rename: two processes starting at once agree.
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException e) {
                // another process created it first: use theirs
            } catch (UnsupportedOperationException e) {
                try {
                    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e2) {
                    throw new IOException("cannot create " + file + " atomically", e2);
                }
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    public byte[] hmac(byte[] message) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal(message);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 accepts any key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JVM has HmacSHA256", e);
        }
    }

    /** The URL-safe signature of a text message, as the signed URLs and tokens carry it. */
    public String sign(String message) {
        return java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(hmac(message.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Whether {@code candidate} is the signature of {@code message}, compared in constant time so the answer's
     * timing says nothing about how much of a forgery was right.
     */
    public boolean matches(String message, @org.jspecify.annotations.Nullable String candidate) {
        return candidate != null && java.security.MessageDigest.isEqual(
                sign(message).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                candidate.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** What a token made by {@link #expiringToken} signs: its purpose, subject and expiry (epoch seconds). */
    @FunctionalInterface
    public interface TokenMessage {
        String of(String subject, long expires);
    }

    /**
     * A token {@code subject.expiry.signature} that needs no storage: the signature covers what {@code message}
     * makes of the subject and the expiry, which names the token's purpose (so that a token made for one use opens
     * nothing else) and may add what the token is bound to. The subject holds no '.'.
     */
    public String expiringToken(String subject, long expires, TokenMessage message) {
        if (subject.contains(".")) {
            throw new IllegalArgumentException("a token's subject holds no '.'");
        }
        return subject + "." + expires + "." + sign(message.of(subject, expires));
    }

    /** The subject of a token made by {@link #expiringToken} with the same message, unexpired at {@code nowSeconds}. */
    public java.util.Optional<String> subjectOf(String token, long nowSeconds, TokenMessage message) {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty()) {
            return java.util.Optional.empty();
        }
        return matchesUnexpired(parts[1], parts[2], nowSeconds, expires -> message.of(parts[0], expires))
                ? java.util.Optional.of(parts[0]) : java.util.Optional.empty();
    }

    /**
     * Whether {@code candidate} signs the message built for its expiry, and that expiry (epoch seconds, as sent in
     * a signed URL) has not passed at {@code nowSeconds}. A missing or malformed expiry matches nothing.
     */
    public boolean matchesUnexpired(@org.jspecify.annotations.Nullable String expires,
                                    @org.jspecify.annotations.Nullable String candidate, long nowSeconds,
                                    java.util.function.LongFunction<String> messageForExpiry) {
        if (expires == null || candidate == null) {
            return false;
        }
        long expiresAt;
        try {
            expiresAt = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return false;
        }
        return nowSeconds <= expiresAt && matches(messageForExpiry.apply(expiresAt), candidate);
    }
}
