package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relying party's checks. The provider here is a few handlers on the JDK's HTTP server that sign tokens with
 * nimbus: a real provider (Keycloak, which {@code SingleSignOnIT} signs in through with a browser) issues only good
 * tokens, and these tests are about the bad ones (another key, audience, nonce, expiry, "none", a MAC keyed by the
 * client's secret) and discovery that names another issuer.
 */
class OidcProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CLIENT = "atrium";
    private static final String SECRET = "client secret: with & odd = characters";
    private static final URI REDIRECT = URI.create("https://hub.example.org/login/sso/callback");

    private HttpServer server;
    private String issuer;
    private RSAKey key;
    /** What the token endpoint answers; each test shapes the ID token. */
    private UnaryOperator<JWTClaimsSet.Builder> claims = b -> b;
    private String signing = "rsa";
    private Map<String, Object> discoveryExtra = new HashMap<>();
    private Map<String, Object> userinfo = Map.of();
    private final Map<String, String> lastTokenRequest = new HashMap<>();
    private String lastAuthorization;

    @BeforeEach
    void start() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/lab";
        server.createContext("/realms/lab/.well-known/openid-configuration", ex -> {
            Map<String, Object> doc = new HashMap<>(Map.of("issuer", issuer,
                    "authorization_endpoint", issuer + "/auth?kc_idp_hint=x", "token_endpoint", issuer + "/token",
                    "jwks_uri", issuer + "/certs", "userinfo_endpoint", issuer + "/userinfo"));
            doc.putAll(discoveryExtra);
            send(ex, 200, doc);
        });
        server.createContext("/realms/lab/certs", ex -> send(ex, 200, new JWKSet(key.toPublicJWK()).toJSONObject()));
        server.createContext("/realms/lab/token", this::token);
        server.createContext("/realms/lab/userinfo", ex -> send(ex, 200, userinfo));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void token(HttpExchange ex) throws IOException {
        lastTokenRequest.clear();
        for (String pair : new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
            String[] kv = pair.split("=", 2);
            lastTokenRequest.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        lastAuthorization = ex.getRequestHeaders().getFirst("Authorization");
        if (lastTokenRequest.get("code").equals("bad")) {
            send(ex, 400, Map.of("error", "invalid_grant", "error_description", "Code not valid"));
            return;
        }
        JWTClaimsSet set = claims.apply(new JWTClaimsSet.Builder().issuer(issuer).audience(CLIENT).subject("s-1")
                .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 300_000))
                .claim("nonce", "the-nonce").claim("email", "ada@example.org").claim("email_verified", true)
                .claim("preferred_username", "ada").claim("name", "Ada Lovelace")).build();
        try {
            String idToken = switch (signing) {
                case "rsa" -> sign(set, key);
                case "other-key" -> sign(set, new RSAKeyGenerator(2048).keyID("k1").generate());
                case "none" -> new PlainJWT(set).serialize();
                case "hmac-with-secret" -> {
                    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), set);
                    jwt.sign(new MACSigner((SECRET + SECRET).getBytes(StandardCharsets.UTF_8)));
                    yield jwt.serialize();
                }
                default -> throw new IllegalStateException(signing);
            };
            send(ex, 200, Map.of("id_token", idToken, "access_token", "at-1", "token_type", "Bearer"));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IOException(e);
        }
    }

    private static String sign(JWTClaimsSet set, RSAKey with) throws com.nimbusds.jose.JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID())
                .type(JOSEObjectType.JWT).build(), set);
        jwt.sign(new RSASSASigner(with));
        return jwt.serialize();
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private OidcProvider provider() {
        return new OidcProvider(new OidcSettings(URI.create(issuer), CLIENT, SECRET, "Lab SSO"));
    }

    private OidcIdentity redeem(OidcProvider provider) throws OidcFailure {
        return provider.redeem("good", "the-verifier", REDIRECT, "the-nonce").identity();
    }

    @Test
    void authorizationUrl_carriesTheClientStateNonceAndS256Challenge() throws Exception {
        URI url = provider().authorizationUrl("st", "no", "the-verifier", REDIRECT);
        String query = url.getRawQuery();
        assertTrue(url.toString().startsWith(issuer + "/auth?kc_idp_hint=x&response_type=code&"), url.toString());
        assertTrue(query.contains("&client_id=atrium&redirect_uri="
                + "https%3A%2F%2Fhub.example.org%2Flogin%2Fsso%2Fcallback&scope=openid+email+profile&state=st&nonce=no"
                + "&code_challenge=" + OidcProvider.challenge("the-verifier") + "&code_challenge_method=S256"), query);
        // RFC 7636, appendix B.
        assertEquals("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                OidcProvider.challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    @Test
    void moreScopes_asConfigured_openidRequired() throws Exception {
        OidcProvider okta = new OidcProvider(new OidcSettings(URI.create(issuer), CLIENT, SECRET, "Okta",
                " openid, email profile  groups", "groups", List.of()));
        assertTrue(okta.authorizationUrl("s", "n", "v", REDIRECT).getRawQuery()
                .contains("&scope=openid+email+profile+groups&"));
        assertThrows(IllegalArgumentException.class, () -> new OidcSettings(URI.create(issuer), CLIENT, SECRET, "x",
                "email profile", "groups", List.of()));
    }

    @Test
    void redeem_verifiesTheIdToken_andSaysWhoSignedIn() throws Exception {
        OidcIdentity who = redeem(provider());
        assertEquals(new OidcIdentity(issuer, "s-1", "ada@example.org", true, "ada", "Ada Lovelace"), who);
        assertEquals("authorization_code", lastTokenRequest.get("grant_type"));
        assertEquals("the-verifier", lastTokenRequest.get("code_verifier"));
        assertEquals(REDIRECT.toString(), lastTokenRequest.get("redirect_uri"));
        assertFalse(lastTokenRequest.containsKey("client_secret"), "the secret goes in the header by default");
        String pair = new String(Base64.getDecoder().decode(lastAuthorization.substring("Basic ".length())),
                StandardCharsets.UTF_8);
        // RFC 6749 2.3.1: each part form-encoded before Base64.
        assertEquals("atrium:client+secret%3A+with+%26+odd+%3D+characters", pair);
    }

    @Test
    void logout_goesToTheEndSessionEndpoint_withTheSignInsIdTokenAsHint() throws Exception {
        OidcProvider provider = provider();
        String idToken = provider.redeem("good", "the-verifier", REDIRECT, "the-nonce").idToken();
        assertEquals(3, idToken.split("\\.").length, "a signed JWT: " + idToken);
        assertEquals(java.util.Optional.empty(), provider.logoutUrl(idToken, URI.create("https://hub.example.org/")),
                "a provider without end_session_endpoint: the hub's logout only");

        discoveryExtra.put("end_session_endpoint", issuer + "/logout?ui_locales=en");
        OidcProvider offering = provider();
        URI logout = offering.logoutUrl(idToken, URI.create("https://hub.example.org/")).orElseThrow();
        assertEquals(issuer + "/logout?ui_locales=en&id_token_hint=" + idToken
                + "&client_id=atrium&post_logout_redirect_uri=https%3A%2F%2Fhub.example.org%2F", logout.toString());

        discoveryExtra.put("end_session_endpoint", "http://elsewhere.example.org/logout");
        assertEquals(java.util.Optional.empty(), provider().logoutUrl(idToken, URI.create("https://hub.example.org/")),
                "no logout through an endpoint that discovery refuses (plain http elsewhere)");
    }

    /** A logout token as Keycloak sends one: its session, the person, the event; {@code change} alters it. */
    private String logoutToken(UnaryOperator<JWTClaimsSet.Builder> change, RSAKey with) throws Exception {
        return sign(change.apply(new JWTClaimsSet.Builder().issuer(issuer).audience(CLIENT).subject("s-1")
                .issueTime(new Date()).jwtID("j-1").claim("sid", "kc-session-1")
                .claim("events", Map.of("http://schemas.openid.net/event/backchannel-logout", Map.of()))).build(),
                with);
    }

    @Test
    void logoutTokens_nameTheSessionAndPerson_andOnlyTheProvidersForThisClientCount() throws Exception {
        OidcProvider provider = provider();
        assertEquals(new OidcProvider.Logout("s-1", "kc-session-1"),
                provider.verifyLogout(logoutToken(b -> b, key)));
        assertEquals(new OidcProvider.Logout(null, "kc-session-1"),
                provider.verifyLogout(logoutToken(b -> b.subject(null), key)), "a session alone");
        List<UnaryOperator<JWTClaimsSet.Builder>> wrong = List.of(
                b -> b.audience("another-client"),
                b -> b.issuer("https://elsewhere.example.org"),
                b -> b.claim("nonce", "n"), // an ID token must not pass for a logout token
                b -> b.claim("events", null),
                b -> b.claim("events", Map.of("http://schemas.openid.net/event/other", Map.of())),
                b -> b.subject(null).claim("sid", null),
                b -> b.issueTime(null));
        for (UnaryOperator<JWTClaimsSet.Builder> w : wrong) {
            assertThrows(OidcFailure.class, () -> provider.verifyLogout(logoutToken(w, key)));
        }
        RSAKey stranger = new RSAKeyGenerator(2048).keyID("k1").generate();
        assertThrows(OidcFailure.class, () -> provider.verifyLogout(logoutToken(b -> b, stranger)), "another key");
        assertThrows(OidcFailure.class, () -> provider.verifyLogout("not.a.token"));
    }

    @Test
    void groups_comeFromTheGroupsClaim_namesOnly() throws Exception {
        claims = b -> b.claim("groups", List.of("/lab/nlp", 5, "/lab"));
        assertEquals(List.of("/lab/nlp", "/lab"), redeem(provider()).groups());
        claims = b -> b.claim("groups", "/lab/nlp");
        assertEquals(List.of("/lab/nlp"), redeem(provider()).groups(), "a lone name");
        claims = b -> b.claim("roles", List.of("hub-admins"));
        OidcProvider byRoles = new OidcProvider(new OidcSettings(URI.create(issuer), CLIENT, SECRET, "Lab SSO",
                OidcSettings.DEFAULT_SCOPES, "roles", List.of()));
        assertEquals(List.of("hub-admins"), redeem(byRoles).groups(), "another claim, as configured");
    }

    @Test
    void theSecretGoesInTheBody_whenTheProviderTakesOnlyThat() throws Exception {
        discoveryExtra.put("token_endpoint_auth_methods_supported", List.of("client_secret_post"));
        redeem(provider());
        assertNull(lastAuthorization);
        assertEquals(SECRET, lastTokenRequest.get("client_secret"));
        assertEquals(CLIENT, lastTokenRequest.get("client_id"));
    }

    @Test
    void tokensThatDoNotVerify_signNobodyIn() {
        OidcProvider provider = provider();
        for (String how : List.of("other-key", "none", "hmac-with-secret")) {
            signing = how;
            assertThrows(OidcFailure.class, () -> redeem(provider), how);
        }
        signing = "rsa";
        List<UnaryOperator<JWTClaimsSet.Builder>> wrong = List.of(
                b -> b.audience("another-client"),
                b -> b.issuer("https://elsewhere.example.org"),
                b -> b.claim("nonce", "another-sign-in"),
                b -> b.claim("nonce", null),
                b -> b.expirationTime(new Date(System.currentTimeMillis() - 120_000)),
                b -> b.audience(List.of(CLIENT, "another-client")).claim("azp", "another-client"));
        for (UnaryOperator<JWTClaimsSet.Builder> w : wrong) {
            claims = w;
            assertThrows(OidcFailure.class, () -> redeem(provider));
        }
        // The control: the same provider and several audiences, issued to this client, verify.
        claims = b -> b.audience(List.of(CLIENT, "another-client")).claim("azp", CLIENT);
        assertEquals("s-1", assertDoesNotThrow(() -> redeem(provider)).subject());
    }

    @Test
    void aRefusedCode_saysTheProvidersErrorCode() {
        OidcFailure failure = assertThrows(OidcFailure.class,
                () -> provider().redeem("bad", "v", REDIRECT, "the-nonce"));
        assertTrue(failure.getMessage().endsWith("invalid_grant"), failure.getMessage());
    }

    @Test
    void withoutAnEmailInTheToken_theUserInfoOfTheSameSubjectGivesIt() throws Exception {
        claims = b -> b.claim("email", null).claim("email_verified", null);
        userinfo = Map.of("sub", "s-1", "email", "ada@lab.example.org", "email_verified", true);
        OidcIdentity who = redeem(provider());
        assertEquals("ada@lab.example.org", who.email());
        assertTrue(who.emailVerified());
        assertEquals("ada", who.preferredUsername());

        userinfo = Map.of("sub", "someone-else", "email", "eve@example.org", "email_verified", true);
        assertThrows(OidcFailure.class, () -> redeem(provider()));
    }

    @Test
    void discoveryNamingAnotherIssuer_isRefused_andTriedAgainNextTime() throws Exception {
        discoveryExtra.put("issuer", "https://elsewhere.example.org");
        OidcProvider provider = provider();
        OidcFailure failure = assertThrows(OidcFailure.class,
                () -> provider.authorizationUrl("s", "n", "v", REDIRECT));
        assertTrue(failure.getMessage().contains("not the configured issuer"), failure.getMessage());
        discoveryExtra.clear();
        provider.authorizationUrl("s", "n", "v", REDIRECT);
    }

    @Test
    void aProviderThatIsDown_saysSo() {
        server.stop(0);
        OidcFailure failure = assertThrows(OidcFailure.class,
                () -> provider().authorizationUrl("s", "n", "v", REDIRECT));
        assertEquals("The identity provider's discovery document could not be reached: ConnectException",
                failure.getMessage());
    }

    @Test
    void endpointsOverPlainHttpElsewhere_areRefused() {
        discoveryExtra.put("token_endpoint", "http://tokens.example.org/token");
        assertThrows(OidcFailure.class, () -> provider().authorizationUrl("s", "n", "v", REDIRECT));
    }

    @Test
    void settings_wantHttpsOffLoopback_andNeverShowTheSecret() {
        assertThrows(IllegalArgumentException.class,
                () -> new OidcSettings(URI.create("http://sso.example.org/realms/lab"), CLIENT, SECRET, "SSO"));
        assertThrows(IllegalArgumentException.class,
                () -> new OidcSettings(URI.create("https://sso.example.org"), CLIENT, "", "SSO"));
        OidcSettings settings = new OidcSettings(URI.create("https://sso.example.org/realms/lab/"), CLIENT, SECRET,
                "SSO");
        assertFalse(settings.toString().contains("secret"), settings.toString());
        assertEquals("https://sso.example.org/realms/lab/.well-known/openid-configuration",
                settings.discoveryUrl().toString());
    }
}
