package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.Keycloak;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Logging in through a real OpenID Connect provider, Keycloak, in Chromium ({@code src/it/js/sso-login.mjs}): the
 * first login makes the account, the next finds it, a callback opened in another browser signs nobody in, an
 * account with a password connects Keycloak from its profile; the token the new account makes works with the Python
 * client ({@code src/it/python/sso_token.py}); a deactivated account's login is refused.
 */
class SingleSignOnIT {
    private static final String REALM = "lab";

    @Test
    void keycloakLogins_makeFindAndConnectAccounts() throws Exception {
        try (Keycloak keycloak = Keycloak.start()) {
            String issuer = keycloak.createRealm(REALM);
            int port = AtriumProcess.freePort();
            Keycloak.Client client = keycloak.createClient(REALM, "atrium",
                    List.of("http://127.0.0.1:" + port + "/login/sso/callback"));
            keycloak.createUser(REALM, "ada", "ada-at-keycloak-1", "ada@lab.test", true, "Ada", "Lovelace");
            keycloak.createUser(REALM, "bob", "bob-at-keycloak-1", "bob@lab.test", false, "Bob", "Builder");
            try (AtriumProcess server = AtriumProcess.startWithBaseUrl(port,
                    Map.of("ATRIUM_OIDC_CLIENT_SECRET", client.secret()),
                    "--oidc-issuer", issuer, "--oidc-client-id", client.clientId(), "--oidc-label", "Keycloak")) {
                // An account of the hub's own, with a password and the address Keycloak has (unverified) for bob.
                server.admin().run(List.of("create-user", "bob", "--password", "bob-at-the-hub-1", "--email",
                        "bob@lab.test"));

                String out = Clients.node().script("sso-login.mjs").env("HUB_URL", server.baseUrl())
                        .env("CHROMIUM", Clients.chromium().toString()).env("STEP", "first")
                        .env("KC_USER", "ada").env("KC_PASSWORD", "ada-at-keycloak-1")
                        .env("KC_OTHER_USER", "bob").env("KC_OTHER_PASSWORD", "bob-at-keycloak-1")
                        .env("OTHER_NAME", "bob").env("OTHER_PASSWORD", "bob-at-the-hub-1").runChecked().stdout();
                JsonNode result = new ObjectMapper().readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
                String token = result.path("token").asText();
                assertTrue(token.startsWith("hf_"), "the settings page showed a token: " + token);

                Clients.python().script("sso_token.py", server.baseUrl(), token, ItPaths.newTempDir("sso"))
                        .env("EXPECTED_USER", "ada").runChecked();

                HubHttp http = HubHttp.of(server);
                JsonNode users = new ObjectMapper().readTree(http.get("/api/users/ada/overview", null).body());
                assertEquals("Ada Lovelace", users.path("fullname").asText(), "the name Keycloak gave");
                assertTrue(server.served("GET /login/sso/callback 400 .*"), "the stranger's callback was refused");
                String log = java.nio.file.Files.readString(server.logFile());
                assertTrue(log.contains("Signed in through Keycloak: account ada (new)"), "the first login is logged");
                assertFalse(log.contains(client.secret()), "the client secret is never logged");
                assertFalse(log.contains("bob@lab.test"), "nor addresses");

                server.admin().run(List.of("deactivate-user", "ada"));
                Clients.node().script("sso-login.mjs").env("HUB_URL", server.baseUrl())
                        .env("CHROMIUM", Clients.chromium().toString()).env("STEP", "refused")
                        .env("KC_USER", "ada").env("KC_PASSWORD", "ada-at-keycloak-1").runChecked();
            }
        }
    }
}
