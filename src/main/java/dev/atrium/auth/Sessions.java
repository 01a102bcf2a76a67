package dev.atrium.auth;

import dev.atrium.db.Ids;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Signed-in browsers. The cookie holds a random secret; the database keeps its SHA-256, so a copy of the database
 * signs nobody in. Each session has a CSRF token that state-changing requests made with the cookie must send back.
 */
public final class Sessions {
    public static final String COOKIE = "atrium_session";
    public static final Duration LIFETIME = Duration.ofDays(30);

    private final Jdbi jdbi;
    private final Clock clock;

    public Sessions(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A live session: whose it is and the CSRF token its forms carry. */
    public record Session(String id, String userId, String csrf, long expiresAt) {}

    /** A new session and the secret for its cookie (shown to nobody else, stored only hashed). */
    public record Started(String secret, Session session) {}

    public Started start(User user) {
        return start(user, null, null);
    }

    /**
     * A session begun by a single sign-on whose ID token was {@code ssoIdToken}, kept for the logout, under the
     * provider's session {@code ssoSid} (if it names one), which a back-channel logout may end.
     */
    public Started start(User user, @Nullable String ssoIdToken, @Nullable String ssoSid) {
        String secret = randomToken();
        Session session = new Session(Ids.newId(), user.id(), randomToken(), clock.millis() + LIFETIME.toMillis());
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO sessions (id, user_id, secret_hash, csrf, created_at, expires_at, sso_id_token, sso_sid)
                VALUES (:id, :user, :hash, :csrf, :now, :expires, :idToken, :sid)""")
                .bind("id", session.id()).bind("user", user.id()).bind("hash", Tokens.hash(secret))
                .bind("csrf", session.csrf()).bind("now", clock.millis()).bind("expires", session.expiresAt())
                .bind("idToken", ssoIdToken).bind("sid", ssoSid).execute());
        return new Started(secret, session);
    }

    /** The unexpired session with this secret. */
    public Optional<Session> find(String secret) {
        String hash = Tokens.hash(secret);
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, user_id, csrf, expires_at, secret_hash FROM sessions
                        WHERE secret_hash = :hash AND expires_at > :now""")
                .bind("hash", hash).bind("now", clock.millis())
                .map((rs, ctx) -> MessageDigest.isEqual(rs.getString("secret_hash").getBytes(StandardCharsets.US_ASCII),
                        hash.getBytes(StandardCharsets.US_ASCII))
                        ? new Session(rs.getString("id"), rs.getString("user_id"), rs.getString("csrf"),
                                rs.getLong("expires_at"))
                        : null)
                .findOne());
    }

    /** The unexpired session with this id (not its secret): for grants issued to a session, never for sign-in. */
    public Optional<Session> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, user_id, csrf, expires_at FROM sessions WHERE id = :id AND expires_at > :now")
                .bind("id", id).bind("now", clock.millis())
                .map((rs, ctx) -> new Session(rs.getString("id"), rs.getString("user_id"), rs.getString("csrf"),
                        rs.getLong("expires_at")))
                .findOne());
    }

    /** Ends the session with this secret; returns the ID token of the single sign-on that began it, if one did. */
    public Optional<String> end(String secret) {
        String hash = Tokens.hash(secret);
        return jdbi.inTransaction(h -> {
            List<String> idTokens = h.createQuery("SELECT sso_id_token FROM sessions WHERE secret_hash = :hash")
                    .bind("hash", hash).mapTo(String.class).list();
            h.createUpdate("DELETE FROM sessions WHERE secret_hash = :hash").bind("hash", hash).execute();
            return idTokens.stream().filter(java.util.Objects::nonNull).findFirst();
        });
    }

    /**
     * Ends the sessions a single sign-on began under the provider's session {@code sid}; or, without one, every
     * session of {@code userId} a single sign-on began (those begun with a password are not the provider's to end).
     * Returns how many ended.
     */
    public int endSingleSignOns(@Nullable String userId, @Nullable String sid) {
        if (sid != null) {
            return jdbi.withHandle(h -> h.createUpdate(userId == null
                            ? "DELETE FROM sessions WHERE sso_sid = :sid"
                            : "DELETE FROM sessions WHERE sso_sid = :sid AND user_id = :user")
                    .bind("sid", sid).bind("user", userId).execute());
        }
        if (userId == null) {
            return 0;
        }
        return jdbi.withHandle(h -> h.createUpdate(
                        "DELETE FROM sessions WHERE user_id = :user AND sso_id_token IS NOT NULL")
                .bind("user", userId).execute());
    }

    /** Signs the user out everywhere but in {@code keptSessionId} (null: everywhere), after a password change. */
    public int endAllOf(String userId, @Nullable String keptSessionId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM sessions WHERE user_id = :user AND id <> :kept")
                .bind("user", userId).bind("kept", keptSessionId == null ? "" : keptSessionId).execute());
    }

    /** Whether {@code sent} is this session's CSRF token, compared in constant time. */
    public static boolean csrfMatches(Session session, String sent) {
        return sent != null && MessageDigest.isEqual(session.csrf().getBytes(StandardCharsets.US_ASCII),
                sent.getBytes(StandardCharsets.US_ASCII));
    }

    private static String randomToken() {
        return RandomSecrets.text(32);
    }
}
