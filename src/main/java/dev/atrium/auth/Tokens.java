package dev.atrium.auth;

import dev.atrium.db.Ids;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * Access tokens: {@code hf_} plus 37 random base-62 characters (≈220 bits). Only a SHA-256 of the token is stored; a
 * slow KDF buys nothing for secrets of that entropy and would make every request pay for it.
 */
public final class Tokens {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final long LAST_USED_RESOLUTION_MS = 60_000;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final RowMapper<TokenInfo> MAPPER = (rs, ctx) -> new TokenInfo(rs.getString("id"),
            rs.getString("user_id"), rs.getString("display_name"), TokenRole.parse(rs.getString("role")),
            rs.getLong("created_at"), nullableLong(rs, "last_used_at"), nullableLong(rs, "revoked_at"),
            scopes(rs.getString("scopes_json")), nullableLong(rs, "expires_at"));

    private final Jdbi jdbi;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public Tokens(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public record Issued(TokenInfo info, String secret) {}

    public Issued create(User user, String displayName, TokenRole role) {
        return create(user, displayName, role, null, null);
    }

    /** A token; fine-grained ones carry their scopes, and any may expire. */
    public Issued create(User user, String displayName, TokenRole role, TokenScopes scopes, Long expiresAt) {
        if ((role == TokenRole.FINE_GRAINED) != (scopes != null)) {
            throw new IllegalArgumentException("scopes go with the fineGrained role, and only with it");
        }
        StringBuilder secret = new StringBuilder("hf_");
        for (int i = 0; i < 37; i++) {
            secret.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        String id = Ids.newId();
        long now = clock.millis();
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO tokens (id, user_id, display_name, role, token_hash, created_at, scopes_json, expires_at)
                VALUES (:id, :user, :name, :role, :hash, :now, :scopes, :expires)""")
                .bind("id", id).bind("user", user.id()).bind("name", displayName).bind("role", role.wireName())
                .bind("hash", hash(secret.toString())).bind("now", now)
                .bind("scopes", scopes == null ? null : scopes.toJson(JSON).toString()).bind("expires", expiresAt)
                .execute());
        return new Issued(new TokenInfo(id, user.id(), displayName, role, now, null, null, scopes, expiresAt),
                secret.toString());
    }

    /** The live token with this secret, recording its use; empty when unknown or revoked. */
    public Optional<TokenInfo> authenticate(String secret) {
        String hash = hash(secret);
        Optional<TokenInfo> found = jdbi.withHandle(h -> h.createQuery("""
                SELECT id, user_id, display_name, role, created_at, last_used_at, revoked_at, token_hash, scopes_json,
                       expires_at
                FROM tokens WHERE token_hash = :hash""")
                .bind("hash", hash)
                .map((rs, ctx) -> MessageDigest.isEqual(rs.getString("token_hash").getBytes(StandardCharsets.US_ASCII),
                        hash.getBytes(StandardCharsets.US_ASCII)) ? MAPPER.map(rs, ctx) : null)
                .findOne());
        long now = clock.millis();
        found = found.filter(t -> t.revokedAt() == null && (t.expiresAt() == null || t.expiresAt() > now));
        found.ifPresent(this::touch);
        return found;
    }

    /** The token with this id while it is live: not revoked, not expired. */
    public Optional<TokenInfo> live(String id) {
        long now = clock.millis();
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, user_id, display_name, role, created_at, last_used_at, revoked_at, scopes_json,
                               expires_at
                        FROM tokens WHERE id = :id""")
                .bind("id", id).map(MAPPER).findOne())
                .filter(t -> t.revokedAt() == null && (t.expiresAt() == null || t.expiresAt() > now));
    }

    /** Last-used is kept to the minute so that a busy client does not turn every read into a write. */
    private void touch(TokenInfo token) {
        long now = clock.millis();
        if (token.lastUsedAt() == null || now - token.lastUsedAt() > LAST_USED_RESOLUTION_MS) {
            jdbi.useHandle(h -> h.createUpdate("UPDATE tokens SET last_used_at = :now WHERE id = :id")
                    .bind("now", now).bind("id", token.id()).execute());
        }
    }

    public List<TokenInfo> listFor(User user) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT id, user_id, display_name, role, created_at, last_used_at, revoked_at, scopes_json, expires_at
                FROM tokens WHERE user_id = :user AND revoked_at IS NULL ORDER BY created_at""")
                .bind("user", user.id()).map(MAPPER).list());
    }

    public boolean revoke(String tokenId) {
        return jdbi.withHandle(h -> h.createUpdate(
                "UPDATE tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                .bind("now", clock.millis()).bind("id", tokenId).execute()) > 0;
    }

    private static TokenScopes scopes(String json) throws java.sql.SQLException {
        if (json == null) {
            return null;
        }
        try {
            return TokenScopes.parse(JSON.readTree(json));
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new java.sql.SQLException("unreadable token scopes", e);
        }
    }

    private static Long nullableLong(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    static String hash(String secret) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return HexFormat.of().formatHex(digest.digest(secret.getBytes(StandardCharsets.UTF_8)));
    }
}
