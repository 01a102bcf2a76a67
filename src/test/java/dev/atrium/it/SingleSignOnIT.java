package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.it.support.AdminCli;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.Keycloak;
import dev.atrium.it.support.Proc;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Logging in through a real OpenID Connect provider, Keycloak, in Chromium ({@code src/it/js/sso-login.mjs}): the
 * first login makes the account, the next finds it, a callback opened in another browser signs nobody in, an
 * account with a password connects Keycloak from its profile; the token the new account makes works with the Python
 * client ({@code src/it/python/sso_token.py}); a Keycloak group gives an organization role at login, and takes it
 * back at the login after the person left the group; a site administrator unlinks an account on /admin and its
 * next login joins it again by its verified email; a deactivated account's login is refused. The hub makes
 * accounts through Keycloak only ({@code --signup sso}).
 */
class SingleSignOnIT {
    private static final String REALM = "lab";
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keycloakLogins_makeFindAndConnectAccounts_andGroupsGiveOrganizationRoles() throws Exception {
        try (Keycloak keycloak = Keycloak.start()) {
            String issuer = keycloak.createRealm(REALM);
            int port = AtriumProcess.freePort();
            Keycloak.Client client = keycloak.createClient(REALM, "atrium",
                    List.of("http://127.0.0.1:" + port + "/login/sso/callback"), List.of("http://127.0.0.1:" + port + "/"),
                    "http://127.0.0.1:" + port + "/login/sso/backchannel-logout");
            keycloak.addGroupsClaim(REALM, "atrium");
            keycloak.createGroup(REALM, "nlp-maintainers");
            keycloak.createUser(REALM, "ada", "ada-at-keycloak-1", "ada@lab.test", true, "Ada", "Lovelace");
            keycloak.setGroupMember(REALM, "ada", "nlp-maintainers", true);
            // Keycloak has bob's address, unverified, as the hub's own account bob has it (AdminCli's address).
            keycloak.createUser(REALM, "bob", "bob-at-keycloak-1", "bob@atrium.test", false, "Bob", "Builder");
            try (AtriumProcess server = AtriumProcess.startWithBaseUrl(port,
                    Map.of("ATRIUM_OIDC_CLIENT_SECRET", client.secret()),
                    "--oidc-issuer", issuer, "--oidc-client-id", client.clientId(), "--oidc-label", "Keycloak",
                    "--oidc-org-roles", "/nlp-maintainers=nlp:write", "--signup", "sso",
                    // One of Keycloak's own scopes besides the default ones: asked for, and granted.
                    "--oidc-scopes", "openid email profile roles")) {
                AdminCli.Account bob = server.admin().createUserWithToken("bob", "write");
                HubHttp http = HubHttp.of(server);
                // Accounts come from Keycloak only: /join makes none, the login page says how to get one.
                java.net.http.HttpResponse<String> join = http.get("/join");
                assertEquals(403, join.statusCode());
                assertTrue(join.body().contains("logging in through single sign-on"), join.body());
                assertTrue(http.get("/login").body().contains("Your first login with Keycloak makes one."));
                assertEquals(200, http.send(http.request("/api/organizations/new", bob.token()).POST(
                        HttpRequest.BodyPublishers.ofString("{\"name\": \"nlp\", \"fullname\": \"NLP lab\"}")))
                        .statusCode());

                String out = browser(server, "first").env("KC_OTHER_USER", "bob")
                        .env("KC_OTHER_PASSWORD", "bob-at-keycloak-1").env("OTHER_NAME", "bob")
                        .env("OTHER_PASSWORD", bob.password()).runChecked().stdout();
                JsonNode result = JSON.readTree(out.strip().lines().reduce((a, b) -> b).orElseThrow());
                String token = result.path("token").asText();
                assertTrue(token.startsWith("hf_"), "the settings page showed a token: " + token);

                Clients.python().script("sso_token.py", server.baseUrl(), token, ItPaths.newTempDir("sso"))
                        .env("EXPECTED_USER", "ada").runChecked();

                assertEquals("Ada Lovelace", JSON.readTree(http.get("/api/users/ada/overview").body())
                        .path("fullname").asText(), "the name Keycloak gave");
                assertEquals(Map.of("bob", "admin", "ada", "write"), members(http, bob.token()),
                        "Keycloak's group gave ada her role at her login");
                assertTrue(server.served("GET /login/sso/callback 400 .*"), "the stranger's callback was refused");

                // Out of the group at Keycloak: her next login takes the role away. And an administrator unlinked
                // her identity (as when a provider makes it anew): the login joins her account again by its email,
                // which both Keycloak and the hub hold as verified.
                keycloak.setGroupMember(REALM, "ada", "nlp-maintainers", false);
                server.admin().run(List.of("create-user", "root", "--password", "root-password-1", "--email",
                        "root@atrium.test", "--admin"));
                browser(server, "unlink").env("ADMIN_NAME", "root").env("ADMIN_PASSWORD", "root-password-1")
                        .runChecked();
                assertTrue(server.admin().run(List.of("sso-disconnect", "ada")).stderr()
                        .contains("from 0 single sign-on identities"), "the command line: nothing left to unlink");
                String again = browser(server, "again").runChecked().stdout();
                String session = JSON.readTree(again.strip().lines().reduce((a, b) -> b).orElseThrow())
                        .path("session").asText();
                assertEquals(200, profile(server, session), "signed in through Keycloak");
                // Keycloak's administrator signs ada out there: Keycloak tells the hub (back-channel logout), and
                // the hub's session begun through Keycloak ends with it.
                keycloak.logoutUser(REALM, "ada");
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
                while (profile(server, session) == 200 && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals(307, profile(server, session), "the hub's session ended with Keycloak's: the page sends to the login");
                assertTrue(server.served("POST /login/sso/backchannel-logout 200 .*"), "Keycloak told the hub");
                assertEquals(404, http.get("/api/users/ada-2/overview").statusCode(), "no second account");
                assertEquals(Map.of("bob", "admin"), members(http, bob.token()));
                List<String> audit = new java.util.ArrayList<>();
                JSON.readTree(http.get("/api/organizations/nlp/audit-log", bob.token()).body())
                        .forEach(entry -> audit.add(entry.path("action").asText()));
                assertTrue(audit.containsAll(List.of("member.sso-role", "member.sso-remove")), audit.toString());

                String log = Files.readString(server.logFile());
                assertTrue(log.contains("Signed in through Keycloak: account ada (new)"), "the first login is logged");
                assertFalse(log.contains(client.secret()), "the client secret is never logged");
                assertFalse(log.contains("bob@atrium.test"), "nor addresses");

                server.admin().run(List.of("deactivate-user", "ada"));
                browser(server, "refused").runChecked();
            }
        }
    }

    /** The browser script's step {@code step}, as ada. */
    private static Proc browser(AtriumProcess server, String step) {
        return Clients.node().script("sso-login.mjs").env("HUB_URL", server.baseUrl())
                .env("CHROMIUM", Clients.chromium().toString()).env("STEP", step)
                .env("KC_USER", "ada").env("KC_PASSWORD", "ada-at-keycloak-1");
    }

    /** The status of the profile settings page for the session cookie {@code session}: 200, or 307 to the login. */
    private static int profile(AtriumProcess server, String session) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        java.net.URI.create(server.baseUrl() + "/settings/profile"))
                .header("Cookie", "atrium_session=" + session).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** The organization nlp's members and their roles. */
    private static Map<String, String> members(HubHttp http, String token) throws Exception {
        Map<String, String> roles = new java.util.HashMap<>();
        JSON.readTree(http.get("/api/organizations/nlp/members", token).body())
                .forEach(member -> roles.put(member.path("user").asText(), member.path("role").asText()));
        return roles;
    }
}
