package dev.atrium.auth;

/**
 * A sign-in through the OpenID Connect provider that could not be completed: the provider could not be reached,
 * answered out of protocol, or gave a token that does not verify. The message is for the person signing in and the
 * log; it never holds a token or the client's secret.
 */
public final class OidcFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public OidcFailure(String message) {
        super(message);
    }

    public OidcFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
