package dev.atrium.auth;

/**
 * What a site administrator does to someone else's account, the same from the command line ({@code atrium admin})
 * and the admin page: set a password, deactivate (someone who left), reactivate, unlink it from the identity
 * provider. The first two end the sessions the old state allowed.
 */
public final class AccountAdministration {
    public static final int MIN_PASSWORD = 8;

    private final Users users;
    private final Sessions sessions;
    private final SsoAccounts sso;

    public AccountAdministration(Users users, Sessions sessions, SsoAccounts sso) {
        this.users = users;
        this.sessions = sessions;
        this.sso = sso;
    }

    /**
     * Unlinks the account from the identity provider (its identity there was made anew, or the hub moved to another
     * provider); the next login through the provider joins it again by its verified email. Returns how many
     * identities were unlinked.
     */
    public int disconnectSingleSignOn(User user) {
        return sso.disconnectAll(user.id());
    }

    /** A new password for the user, who is signed out everywhere; the sessions ended. */
    public int setPassword(User user, String password) {
        if (password.length() < MIN_PASSWORD) {
            throw new IllegalArgumentException("A password has " + MIN_PASSWORD + " characters or more");
        }
        users.setPassword(user.id(), password);
        return sessions.endAllOf(user.id(), null);
    }

    /**
     * No token, session or SSH key of theirs signs in any more; their repos and memberships stay. Reactivating
     * brings their tokens and keys back (not their sessions).
     */
    public void setDeactivated(User user, boolean deactivated) {
        users.setDeactivated(user.id(), deactivated);
        if (deactivated) {
            sessions.endAllOf(user.id(), null);
        }
    }
}
