package dev.atrium.auth;

import org.jspecify.annotations.Nullable;

/**
 * Who the provider says signed in: the pair {@code (issuer, subject)} names the person for good (OpenID Connect
 * Core, section 5.7: the email and the username may change or be reused, the subject may not).
 */
public record OidcIdentity(String issuer, String subject, @Nullable String email, boolean emailVerified,
                           @Nullable String preferredUsername, @Nullable String name) {}
