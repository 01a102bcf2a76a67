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

    /** The token as lists show it (the API's, an organization's): never its secret. */
    public com.fasterxml.jackson.databind.node.ObjectNode describe(com.fasterxml.jackson.databind.ObjectMapper mapper) {
        var out = mapper.createObjectNode();
        out.put("id", id).put("name", displayName).put("role", role.wireName())
                .put("createdAt", dev.atrium.http.Dates.iso(createdAt));
        if (lastUsedAt != null) {
            out.put("lastUsedAt", dev.atrium.http.Dates.iso(lastUsedAt));
        }
        if (expiresAt != null) {
            out.put("expiresAt", dev.atrium.http.Dates.iso(expiresAt));
        }
        if (scopes != null) {
            out.set("fineGrained", scopes.toJson(mapper));
        }
        return out;
    }
}
