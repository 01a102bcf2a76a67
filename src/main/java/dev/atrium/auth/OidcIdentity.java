package dev.atrium.auth;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Who the provider says signed in: the pair {@code (issuer, subject)} names the person for good (OpenID Connect
 * Core, section 5.7: the email and the username may change or be reused, the subject may not).
 *
 * @param groups the groups the provider lists for the person (its groups claim), for organization roles
 */
public record OidcIdentity(String issuer, String subject, @Nullable String email, boolean emailVerified,
                           @Nullable String preferredUsername, @Nullable String name, List<String> groups) {
    public OidcIdentity {
        groups = List.copyOf(groups);
    }

    /** Without groups. */
    public OidcIdentity(String issuer, String subject, @Nullable String email, boolean emailVerified,
                        @Nullable String preferredUsername, @Nullable String name) {
        this(issuer, subject, email, emailVerified, preferredUsername, name, List.of());
    }
}
