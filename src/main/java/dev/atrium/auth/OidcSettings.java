package dev.atrium.auth;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * The OpenID Connect provider people sign in through (an organization's Keycloak, Entra ID, Okta, Google Workspace,
 * GitLab...): its issuer, the client this hub is registered as there, and the label of the login page's button.
 *
 * @param issuer       the provider's issuer URL, exactly as its ID tokens name it
 * @param clientSecret from an environment variable, so that it shows in no process list; never printed
 */
public record OidcSettings(URI issuer, String clientId, String clientSecret, String label) {
    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    public OidcSettings {
        String scheme = String.valueOf(issuer.getScheme()).toLowerCase(Locale.ROOT);
        if (issuer.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("--oidc-issuer must be an absolute URL, like https://sso.example.org"
                    + "/realms/lab");
        }
        // Over plain HTTP anyone on the path could hand the hub keys of their own and sign in as anybody.
        if (scheme.equals("http") && !LOOPBACK.contains(issuer.getHost().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("--oidc-issuer must use https (http only on this machine's loopback)");
        }
        if (issuer.getQuery() != null || issuer.getFragment() != null) {
            throw new IllegalArgumentException("--oidc-issuer takes no query or fragment");
        }
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("--oidc-issuer needs --oidc-client-id (or ATRIUM_OIDC_CLIENT_ID)");
        }
        if (clientSecret.isBlank()) {
            throw new IllegalArgumentException("--oidc-issuer needs the client's secret in ATRIUM_OIDC_CLIENT_SECRET");
        }
        if (label.isBlank()) {
            throw new IllegalArgumentException("--oidc-label must not be empty");
        }
    }

    /** Where the provider describes itself (OpenID Connect Discovery 1.0, section 4). */
    public URI discoveryUrl() {
        String base = issuer.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
                + "/.well-known/openid-configuration");
    }

    /** Never the secret: the settings are shown at startup. */
    @Override
    public String toString() {
        return issuer + " as client " + clientId + " (\"" + label + "\")";
    }
}
