package dev.atrium.xet.cas;

/**
 * What a Xet access token allows: one scope on one repo, for one user, until {@code expiresAt} (unix seconds), as
 * long as the hub credential it was issued to ({@code credential}, see {@link dev.atrium.auth.Delegations}) still
 * allows it. Xet tokens are scoped to a repository (auth.md §Token Scope); a write grant also allows reads.
 */
public record XetGrant(String repoId, String userId, String credential, Scope scope, long expiresAt) {
    public enum Scope { READ, WRITE }

    public boolean allowsWrite() {
        return scope == Scope.WRITE;
    }

    /** What the credential must still allow: a write grant may be for a pull request, so contributing is enough. */
    public dev.atrium.auth.Delegations.Need need() {
        return allowsWrite() ? dev.atrium.auth.Delegations.Need.CONTRIBUTE : dev.atrium.auth.Delegations.Need.DOWNLOAD;
    }
}
