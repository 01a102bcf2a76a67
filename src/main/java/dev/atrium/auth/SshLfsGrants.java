package dev.atrium.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What {@code git-lfs-authenticate} over SSH hands git-lfs: a bearer credential for one repo's LFS batch API, for
 * download or upload, signed with the server's key and valid for an hour. It stands for the SSH key that asked, so
 * removing the key ends it; the access policy is asked again on every use.
 */
public final class SshLfsGrants {
    public static final String PREFIX = "atrium-ssh-lfs.";
    public static final Duration TTL = Duration.ofHours(1);
    private static final Pattern FIELDS = Pattern.compile("v1\\|([0-9a-f]{24})\\|(model|dataset|space)"
            + "\\|([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)\\|(download|upload)\\|(\\d{1,19})");

    /** {@code type}: the repo type's singular, as token scopes name it. */
    public record Grant(String keyId, String type, String repoId, boolean upload, long expiresAt) {}

    private final ServerSecret secret;
    private final Clock clock;

    public SshLfsGrants(ServerSecret secret, Clock clock) {
        this.secret = secret;
        this.clock = clock;
    }

    public String issue(String keyId, String type, String repoId, boolean upload) {
        long expiresAt = clock.millis() + TTL.toMillis();
        String payload = "v1|" + keyId + "|" + type + "|" + repoId + "|" + (upload ? "upload" : "download") + "|"
                + expiresAt;
        byte[] bytes = payload.getBytes(StandardCharsets.US_ASCII);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return PREFIX + b64.encodeToString(bytes) + "." + b64.encodeToString(secret.hmac(bytes));
    }

    /** The grant, when {@code bearer} is one this server signed and it has not expired. */
    public Optional<Grant> verify(String bearer) {
        if (!bearer.startsWith(PREFIX) || bearer.length() > 512) {
            return Optional.empty();
        }
        String[] parts = bearer.substring(PREFIX.length()).split("\\.", -1);
        if (parts.length != 2) {
            return Optional.empty();
        }
        byte[] payload;
        byte[] mac;
        try {
            payload = Base64.getUrlDecoder().decode(parts[0]);
            mac = Base64.getUrlDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac, secret.hmac(payload))) {
            return Optional.empty();
        }
        var m = FIELDS.matcher(new String(payload, StandardCharsets.US_ASCII));
        if (!m.matches()) {
            return Optional.empty();
        }
        long expiresAt = Long.parseLong(m.group(5));
        if (expiresAt <= clock.millis()) {
            return Optional.empty();
        }
        return Optional.of(new Grant(m.group(1), m.group(2), m.group(3), m.group(4).equals("upload"), expiresAt));
    }
}
