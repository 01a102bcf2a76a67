package dev.atrium.space;

import dev.atrium.auth.Delegations;
import dev.atrium.auth.ServerSecret;
import dev.atrium.repo.Repo;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The grant in a Space app's path: {@code credential.expiry.signature}, signed for one Space (its internal id, so a
 * deleted and re-created Space of that name gets none of the old grants) and one hub credential (the token or
 * browser session that opened it; "anonymous" for everyone else), checked again on every file by
 * {@link Delegations}. A link that leaks gives access to that one Space, for as long as the credential lives and the
 * grant lasts.
 */
public final class SpaceAppGrants {
    public static final Duration DEFAULT_TTL = Duration.ofHours(8);

    private final ServerSecret secret;
    private final Clock clock;
    private final Duration ttl;

    public SpaceAppGrants(ServerSecret secret, Clock clock, Duration ttl) {
        this.secret = secret;
        this.clock = clock;
        this.ttl = ttl;
    }

    public String grant(Repo space, String credential) {
        return secret.expiringToken(credential, clock.instant().plus(ttl).getEpochSecond(),
                (subject, expires) -> message(space, subject, expires));
    }

    /** The credential the grant was made for, when it is this Space's, well formed, signed here and unexpired. */
    public Optional<String> verify(Repo space, String grant) {
        return secret.subjectOf(grant, clock.instant().getEpochSecond(),
                        (subject, expires) -> message(space, subject, expires))
                .filter(Delegations::isWellFormed);
    }

    private static String message(Repo space, String credential, long expires) {
        return "space-app\n" + space.id() + "\n" + credential + "\n" + expires;
    }
}
