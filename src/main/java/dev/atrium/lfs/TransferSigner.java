package dev.atrium.lfs;

import dev.atrium.auth.ServerSecret;
import dev.atrium.storage.Sha256;
import java.time.Clock;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Signs LFS transfer URLs so that they authorise themselves: the Python and JS clients send no credentials on the
 * upload {@code PUT} (hub-api §8.5), so the authority checked at batch time travels in the URL instead. A signature
 * covers the operation, the repo's internal id (a deleted and re-created repo of the same name gets none of the old
 * grants), the hub credential the batch request came with (checked again at transfer time, see
 * {@link dev.atrium.auth.Delegations}), the object and its size, and an expiry.
 */
public final class TransferSigner {
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    /** What a signed URL allows; the name is part of the signed message, so one grant never serves another. */
    public enum Operation { UPLOAD, UPLOAD_PART, DOWNLOAD, VERIFY }

    /** The query parameters of a signed URL. */
    public record Grant(String credential, long expiresAt, String signature) {
        public String query() {
            return "cred=" + java.net.URLEncoder.encode(credential, java.nio.charset.StandardCharsets.UTF_8)
                    + "&expires=" + expiresAt + "&signature=" + signature;
        }
    }

    private final ServerSecret secret;
    private final Clock clock;
    private final Duration ttl;

    public TransferSigner(ServerSecret secret, Clock clock, Duration ttl) {
        this.secret = secret;
        this.clock = clock;
        this.ttl = ttl;
    }

    public Duration ttl() {
        return ttl;
    }

    public Grant sign(Operation operation, String repoKey, String credential, Sha256 oid, long size) {
        return sign(operation, repoKey, credential, oid, size, 0);
    }

    /** A grant for one part ({@code part} ≥ 1) of a multipart upload; 0 for whole-object operations. */
    public Grant sign(Operation operation, String repoKey, String credential, Sha256 oid, long size, int part) {
        long expiresAt = clock.instant().plus(ttl).getEpochSecond();
        return new Grant(credential, expiresAt,
                secret.sign(message(operation, repoKey, credential, oid, size, part, expiresAt)));
    }

    /** True when {@code signature} was made by {@link #sign} for exactly these values and has not expired. */
    public boolean verify(Operation operation, String repoKey, @Nullable String credential, Sha256 oid, long size,
                          @Nullable String expires, @Nullable String signature) {
        return verify(operation, repoKey, credential, oid, size, 0, expires, signature);
    }

    public boolean verify(Operation operation, String repoKey, @Nullable String credential, Sha256 oid, long size,
                          int part, @Nullable String expires, @Nullable String signature) {
        return credential != null && secret.matchesUnexpired(expires, signature, clock.instant().getEpochSecond(),
                expiresAt -> message(operation, repoKey, credential, oid, size, part, expiresAt));
    }

    private static String message(Operation operation, String repoKey, String credential, Sha256 oid, long size,
                                  int part, long expiresAt) {
        return "atrium-lfs-v2\n" + operation.name() + "\n" + repoKey + "\n" + credential + "\n" + oid.hex() + "\n"
                + size + "\n" + expiresAt + (part == 0 ? "" : "\npart " + part);
    }
}
