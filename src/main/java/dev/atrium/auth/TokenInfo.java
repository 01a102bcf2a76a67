package dev.atrium.auth;

import org.jspecify.annotations.Nullable;

public record TokenInfo(String id, String userId, String displayName, TokenRole role, long createdAt,
                        @Nullable Long lastUsedAt, @Nullable Long revokedAt) {}
