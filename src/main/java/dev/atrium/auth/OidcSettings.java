package dev.atrium.auth;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The OpenID Connect provider people sign in through (an organization's Keycloak, Entra ID, Okta, Google Workspace,
 * GitLab...): its issuer, the client this hub is registered as there, and the label of the login page's button.
 *
 * @param issuer       the provider's issuer URL, exactly as its ID tokens name it
 * @param clientSecret from an environment variable, so that it shows in no process list; never printed
 * @param scopes       what the login asks the provider for; {@code openid} among them (some providers list groups
 *                     only for a scope of their own, such as Okta's {@code groups})
 * @param groupsClaim  the claim of ID tokens (or user info) that lists the person's groups
 * @param orgRoles     which groups give which role in which organization ({@code --oidc-org-roles})
 */
public record OidcSettings(URI issuer, String clientId, String clientSecret, String label, String scopes,
                           String groupsClaim, List<OrgGrant> orgRoles) {
    public static final String DEFAULT_SCOPES = "openid email profile";

    /** Members of {@code group} at the provider hold {@code role} in the organization {@code org} here. */
    public record OrgGrant(String group, String org, OrgRole role) {}

    /** Without groups. */
    public OidcSettings(URI issuer, String clientId, String clientSecret, String label) {
        this(issuer, clientId, clientSecret, label, DEFAULT_SCOPES, "groups", List.of());
    }

    /**
     * From {@code group=org:role,...} (roles: read, contributor, write, admin). A group name may hold ':' or '/'
     * (Keycloak's full paths), not ',' or '='.
     */
    public static List<OrgGrant> parseOrgRoles(String text) {
        List<OrgGrant> grants = new java.util.ArrayList<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            int colon = entry.lastIndexOf(':');
            OrgRole role = colon > eq ? OrgRole.parse(entry.substring(colon + 1).strip()).orElse(null) : null;
            if (eq <= 0 || colon <= eq + 1 || role == null || entry.indexOf('=', eq + 1) >= 0) {
                throw new IllegalArgumentException("--oidc-org-roles takes group=organization:role,..."
                        + " (roles read, contributor, write, admin), not '" + entry.strip() + "'");
            }
            grants.add(new OrgGrant(entry.substring(0, eq).strip(), entry.substring(eq + 1, colon).strip(), role));
        }
        return List.copyOf(grants);
    }

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
        scopes = String.join(" ", scopes.strip().split("[\\s,]+"));
        if (!List.of(scopes.split(" ")).contains("openid")) {
            throw new IllegalArgumentException("--oidc-scopes must include openid, like '" + DEFAULT_SCOPES + "'");
        }
        if (groupsClaim.isBlank()) {
            throw new IllegalArgumentException("--oidc-groups-claim must not be empty");
        }
        orgRoles = List.copyOf(orgRoles);
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
        return issuer + " as client " + clientId + " (\"" + label + "\")" + (orgRoles.isEmpty() ? ""
                : ", organization roles from the claim '" + groupsClaim + "' for " + orgRoles.size() + " group(s)");
    }
}
