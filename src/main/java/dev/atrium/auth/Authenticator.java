package dev.atrium.auth;

import dev.atrium.http.Errors;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Finds the caller behind an {@code Authorization} header: {@code Bearer <token>} (API clients) or HTTP Basic with
 * the token as password (git, git-lfs). A header that carries an unknown or revoked token is an error, never
 * silently anonymous, so a client with a bad token learns it at once.
 */
public final class Authenticator {
    private final Tokens tokens;
    private final Users users;
    private final Sessions sessions;
    private final SshKeys sshKeys;
    private final SshLfsGrants sshLfsGrants;

    public Authenticator(Tokens tokens, Users users, Sessions sessions, SshKeys sshKeys, SshLfsGrants sshLfsGrants) {
        this.tokens = tokens;
        this.users = users;
        this.sessions = sessions;
        this.sshKeys = sshKeys;
        this.sshLfsGrants = sshLfsGrants;
    }

    /** A caller and, when they came with a browser session rather than a token, that session. */
    public record Authenticated(Principal principal, Sessions.@Nullable Session session) {}

    /**
     * The caller behind a request: its {@code Authorization} header if it has one (a bad one is an error), else its
     * session cookie (an unknown or expired one is simply no session).
     */
    public Optional<Authenticated> authenticate(@Nullable String authorization, @Nullable String sessionCookie) {
        if (authorization != null && !authorization.isBlank()) {
            return authenticate(authorization).map(p -> new Authenticated(p, null));
        }
        if (sessionCookie == null || sessionCookie.isEmpty() || sessionCookie.length() > 100) {
            return Optional.empty();
        }
        return sessions.find(sessionCookie).flatMap(session -> users.activeById(session.userId()).map(user ->
                new Authenticated(sessionPrincipal(user, session), session)));
    }

    /**
     * The caller behind a credential id ({@link TokenInfo#id()} of a token or a session) while that credential is
     * live: for grants that outlive their request (signed URLs, Xet tokens), which must die with it.
     */
    public Optional<Principal> byCredentialId(String credentialId) {
        if (credentialId.startsWith(SESSION_PREFIX)) {
            return sessions.byId(credentialId.substring(SESSION_PREFIX.length()))
                    .flatMap(session -> users.activeById(session.userId())
                            .map(user -> sessionPrincipal(user, session)));
        }
        if (credentialId.startsWith(SshKeys.CREDENTIAL_PREFIX)) {
            return sshKeys.byId(credentialId.substring(SshKeys.CREDENTIAL_PREFIX.length()))
                    .flatMap(key -> users.activeById(key.userId()).map(user -> new Principal(user, key.credential())));
        }
        return tokens.live(credentialId).flatMap(token -> users.activeById(token.userId())
                .map(user -> new Principal(user, token)));
    }

    private static final String SESSION_PREFIX = "session:";

    /** A signed-in user may do in the browser what a write token of theirs may do. */
    private static Principal sessionPrincipal(User user, Sessions.Session session) {
        return new Principal(user, new TokenInfo(SESSION_PREFIX + session.id(), user.id(), "browser session",
                TokenRole.WRITE, 0, null, null));
    }

    public Optional<Principal> authenticate(@Nullable String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.empty();
        }
        String secret = secretOf(authorization.trim());
        if (secret == null || secret.isEmpty()) {
            throw new Errors.InvalidCredentials();
        }
        if (secret.startsWith(SshLfsGrants.PREFIX)) {
            return Optional.of(sshLfsPrincipal(secret));
        }
        TokenInfo token = tokens.authenticate(secret).orElseThrow(Errors.InvalidCredentials::new);
        User user = users.activeById(token.userId()).orElseThrow(Errors.InvalidCredentials::new);
        return Optional.of(new Principal(user, token));
    }

    /**
     * The holder of an SSH key, for the one repo and direction git-lfs-authenticate granted: a fine-grained
     * credential scoped to it (gated files still need the user's own access).
     */
    private Principal sshLfsPrincipal(String bearer) {
        SshLfsGrants.Grant grant = sshLfsGrants.verify(bearer).orElseThrow(Errors.InvalidCredentials::new);
        SshKeys.Registered key = sshKeys.byId(grant.keyId()).orElseThrow(Errors.InvalidCredentials::new);
        User user = users.activeById(key.userId()).orElseThrow(Errors.InvalidCredentials::new);
        java.util.Set<String> permissions = grant.upload()
                ? java.util.Set.of(TokenScopes.READ, TokenScopes.WRITE, "discussion.write")
                : java.util.Set.of(TokenScopes.READ);
        TokenScopes scopes = new TokenScopes(true, java.util.Set.of(),
                java.util.List.of(new TokenScopes.Scoped(grant.type(), grant.repoId(), permissions)));
        TokenInfo base = key.credential();
        return new Principal(user, new TokenInfo(base.id(), base.userId(), base.displayName(), TokenRole.FINE_GRAINED,
                base.createdAt(), base.lastUsedAt(), null, scopes, grant.expiresAt()));
    }

    private static @Nullable String secretOf(String header) {
        int space = header.indexOf(' ');
        if (space < 0) {
            return null;
        }
        String scheme = header.substring(0, space).toLowerCase(Locale.ROOT);
        String value = header.substring(space + 1).trim();
        if (scheme.equals("bearer")) {
            return value;
        }
        if (scheme.equals("basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : decoded.substring(colon + 1);
        }
        return null;
    }
}
