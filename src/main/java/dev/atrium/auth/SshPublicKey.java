package dev.atrium.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/**
 * An SSH public key as a user pastes it (a line of {@code ~/.ssh/id_ed25519.pub}): its type, its key blob and the
 * fingerprint {@code ssh-keygen -l} prints, {@code SHA256:} and the unpadded base64 of the blob's SHA-256, by which a
 * connecting client's key is found. Only types OpenSSH still accepts by default; RSA from 2048 bits.
 */
public record SshPublicKey(String type, String blob, String comment, String fingerprint) {
    private static final Set<String> TYPES = Set.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "ssh-rsa", "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");
    private static final int MIN_RSA_BITS = 2048;
    private static final int MAX_CHARS = 16 * 1024;

    /** The line as OpenSSH writes it, without the comment. */
    public String line() {
        return type + " " + blob;
    }

    public static SshPublicKey parse(String text) {
        String line = text == null ? "" : text.strip();
        if (line.isEmpty()) {
            throw new InvalidSshKey("Paste a public key: the line in ~/.ssh/id_ed25519.pub (or another .pub file)");
        }
        if (line.contains("PRIVATE KEY")) {
            throw new InvalidSshKey("That is a private key: never share it. Paste the .pub file's line instead");
        }
        if (line.length() > MAX_CHARS || line.contains("\n")) {
            throw new InvalidSshKey("Paste one key, the single line of a .pub file");
        }
        String[] parts = line.split("\\s+", 3);
        if (parts.length < 2) {
            throw new InvalidSshKey("A public key looks like 'ssh-ed25519 AAAAC3Nza... you@laptop'");
        }
        if (parts[0].equals("ssh-dss")) {
            throw new InvalidSshKey("DSA keys are no longer accepted by OpenSSH: make an Ed25519 key with ssh-keygen"
                    + " -t ed25519");
        }
        if (!TYPES.contains(parts[0])) {
            throw new InvalidSshKey("Unknown key type '" + parts[0] + "': use ssh-ed25519, ecdsa-sha2-nistp256/384/521"
                    + " or ssh-rsa");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new InvalidSshKey("The key's data is not base64: paste the whole line of the .pub file");
        }
        checkBlob(parts[0], blob);
        return new SshPublicKey(parts[0], parts[1], parts.length == 3 ? parts[2].strip() : "", fingerprint(blob));
    }

    /** {@code SHA256:...} of a key blob, as {@code ssh-keygen -l -E sha256} prints it. */
    public static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The blob starts with its own type; an RSA blob continues with e and n, whose length is the key's size. */
    private static void checkBlob(String type, byte[] blob) {
        ByteBuffer in = ByteBuffer.wrap(blob);
        try {
            String inner = new String(field(in), StandardCharsets.US_ASCII);
            if (!inner.equals(type)) {
                throw new InvalidSshKey("The key's data is of type '" + inner + "', not " + type);
            }
            if (type.equals("ssh-rsa")) {
                field(in); // e
                byte[] n = field(in);
                int bits = (n.length - (n.length > 0 && n[0] == 0 ? 1 : 0)) * 8;
                if (bits < MIN_RSA_BITS) {
                    throw new InvalidSshKey("RSA keys need at least " + MIN_RSA_BITS + " bits; this one has " + bits
                            + ". Make an Ed25519 key with ssh-keygen -t ed25519");
                }
            } else {
                field(in); // the curve name or the key itself: present, whatever else follows
            }
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new InvalidSshKey("The key's data is cut short: paste the whole line of the .pub file");
        }
    }

    private static byte[] field(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("field length " + length);
        }
        byte[] out = new byte[length];
        in.get(out);
        return out;
    }
}
