package dev.atrium.xet.cas;

/**
 * What a Xet access token allows: one scope on one repo, for one user, until {@code expiresAt} (unix seconds).
 * Xet tokens are scoped to a repository (auth.md §Token Scope); a write grant also allows reads.
 */
public record XetGrant(String repoId, String userId, Scope scope, long expiresAt) {
    public enum Scope { READ, WRITE }

    public boolean allowsWrite() {
        return scope == Scope.WRITE;
    }
}
