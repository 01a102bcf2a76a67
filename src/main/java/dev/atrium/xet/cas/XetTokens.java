package dev.atrium.xet.cas;

import dev.atrium.auth.Delegations;
import dev.atrium.auth.ServerSecret;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Short-lived bearer tokens for the CAS endpoints, issued by the Hub's xet-read/write-token endpoints after the
 * access policy has approved the caller. Self-contained and HMAC-signed with the server secret, so CAS requests need
 * no database lookup to be checked and any Atrium node holding the secret can check them. Each names the hub
 * credential it was issued to, which the CAS checks again on every request ({@link Delegations}): revoking that
 * token stops its Xet tokens at once.
 */
public final class XetTokens {
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    private static final String PREFIX = "xet_";
    private static final Pattern FIELD = Pattern.compile("[0-9a-f]{24}");

    private final ServerSecret secret;
    private final Clock clock;
    private final Duration ttl;

    public XetTokens(ServerSecret secret, Clock clock, Duration ttl) {
        this.secret = secret;
        this.clock = clock;
        this.ttl = ttl;
    }

    public record Issued(String accessToken, long expiresAt) {}

    public Issued issue(String repoId, String userId, String credential, XetGrant.Scope scope) {
        if (!Delegations.isWellFormed(credential)) {
            throw new IllegalArgumentException("not a credential id: " + credential);
        }
        long expiresAt = clock.instant().plus(ttl).getEpochSecond();
        String payload = "v2." + repoId + "." + userId + "." + credential + "."
                + scope.name().toLowerCase(java.util.Locale.ROOT) + "." + expiresAt;
        return new Issued(PREFIX + payload + "." + sign(payload), expiresAt);
    }

    /** The grant a token carries when it is authentic and unexpired; empty otherwise. */
    public Optional<XetGrant> verify(@Nullable String token) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String body = token.substring(PREFIX.length());
        int lastDot = body.lastIndexOf('.');
        if (lastDot < 0) {
            return Optional.empty();
        }
        String payload = body.substring(0, lastDot);
        if (!secret.matches("atrium-xet-token\n" + payload, body.substring(lastDot + 1))) {
            return Optional.empty();
        }
        String[] parts = payload.split("\\.");
        if (parts.length != 6 || !parts[0].equals("v2") || !FIELD.matcher(parts[1]).matches()
                || !FIELD.matcher(parts[2]).matches() || !Delegations.isWellFormed(parts[3])) {
            return Optional.empty();
        }
        XetGrant.Scope scope;
        long expiresAt;
        try {
            scope = XetGrant.Scope.valueOf(parts[4].toUpperCase(java.util.Locale.ROOT));
            expiresAt = Long.parseLong(parts[5]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (clock.instant().getEpochSecond() >= expiresAt) {
            return Optional.empty();
        }
        return Optional.of(new XetGrant(parts[1], parts[2], parts[3], scope, expiresAt));
    }

    private String sign(String payload) {
        return secret.sign("atrium-xet-token\n" + payload);
    }
}
