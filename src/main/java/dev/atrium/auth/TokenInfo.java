package dev.atrium.auth;

import org.jspecify.annotations.Nullable;

/**
 * A token as stored (never its secret).
 *
 * @param scopes what a fine-grained token may do; null for read and write tokens
 * @param expiresAt when the token stops working; null when it does not expire
 */
public record TokenInfo(String id, String userId, String displayName, TokenRole role, long createdAt,
                        @Nullable Long lastUsedAt, @Nullable Long revokedAt, @Nullable TokenScopes scopes,
                        @Nullable Long expiresAt) {
    public TokenInfo(String id, String userId, String displayName, TokenRole role, long createdAt,
                     @Nullable Long lastUsedAt, @Nullable Long revokedAt) {
        this(id, userId, displayName, role, createdAt, lastUsedAt, revokedAt, null, null);
    }
}
