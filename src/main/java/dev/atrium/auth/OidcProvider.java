package dev.atrium.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The hub as an OpenID Connect relying party (Core 1.0, authorization code flow, with PKCE): where to send the
 * browser, and who the provider says came back. The provider's metadata is discovered on first use and kept; a
 * failed discovery is tried again at the next sign-in, so a provider that is down when the hub starts costs nothing
 * once it is up. ID tokens are verified against the provider's published keys (asymmetric algorithms only, so a
 * token cannot pick a key of its own), issuer, audience, expiry and nonce.
 */
public final class OidcProvider {
    private static final ObjectMapper JSON = dev.atrium.http.Json.MAPPER;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Metadata, tokens and user info are small; more is a provider out of protocol or something else answering. */
    private static final int MAX_RESPONSE = 1 << 20;
    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final OidcSettings settings;
    private final HttpClient http;
    private volatile @Nullable Discovered discovered;

    /** What discovery says, with the verifier of ID tokens made from it. */
    private record Discovered(URI authorization, URI token, @Nullable URI userinfo, @Nullable URI endSession,
                              boolean secretInBody, ConfigurableJWTProcessor<SecurityContext> idTokens,
                              ConfigurableJWTProcessor<SecurityContext> logoutTokens) {}

    /**
     * Who signed in, and the ID token that said so: the hint a logout at the provider asks for; {@code sid} names the
     * provider's session, which a back-channel logout names when it ends.
     */
    public record SignIn(OidcIdentity identity, String idToken, @Nullable String sid) {}

    /** What a back-channel logout ends: the provider's session {@code sid}, or every session of {@code subject}. */
    public record Logout(@Nullable String subject, @Nullable String sid) {}

    /** The {@code events} member a logout token must carry (Back-Channel Logout 1.0, section 2.4). */
    private static final String LOGOUT_EVENT = "http://schemas.openid.net/event/backchannel-logout";

    public OidcProvider(OidcSettings settings) {
        this.settings = settings;
        // Never follow redirects: every URL here comes from the provider's own metadata.
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public OidcSettings settings() {
        return settings;
    }

    /**
     * Where to send the browser to sign in: the provider's authorization endpoint with this sign-in's {@code state}
     * and {@code nonce} and the S256 challenge of {@code verifier} (RFC 7636).
     */
    public URI authorizationUrl(String state, String nonce, String verifier, URI redirect) throws OidcFailure {
        URI endpoint = discovered().authorization();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("response_type", "code");
        query.put("client_id", settings.clientId());
        query.put("redirect_uri", redirect.toString());
        query.put("scope", settings.scopes());
        query.put("state", state);
        query.put("nonce", nonce);
        query.put("code_challenge", challenge(verifier));
        query.put("code_challenge_method", "S256");
        String base = endpoint.toString();
        return URI.create(base + (base.contains("?") ? "&" : "?") + form(query));
    }

    /** The S256 code challenge of a PKCE verifier. */
    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * Redeems the code the browser came back with and says who signed in: the ID token verified, its nonce this
     * sign-in's; the email and names from the token, or from the user info endpoint where the token lacks the email.
     */
    public SignIn redeem(String code, String verifier, URI redirect, String nonce) throws OidcFailure {
        Discovered provider = discovered();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", redirect.toString());
        body.put("code_verifier", verifier);
        HttpRequest.Builder request = HttpRequest.newBuilder(provider.token()).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if (provider.secretInBody()) {
            body.put("client_id", settings.clientId());
            body.put("client_secret", settings.clientSecret());
        } else { // client_secret_basic: RFC 6749 section 2.3.1 form-encodes both parts before Base64
            String pair = encode(settings.clientId()) + ":" + encode(settings.clientSecret());
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        Answer answer = send(request.POST(HttpRequest.BodyPublishers.ofString(form(body))).build(), "token endpoint");
        if (answer.status() != 200) {
            throw new OidcFailure("The identity provider did not redeem the sign-in: "
                    + answer.json().path("error").asText("HTTP " + answer.status()));
        }
        String idToken = answer.json().path("id_token").asText("");
        if (idToken.isEmpty()) {
            throw new OidcFailure("The identity provider's token endpoint gave no ID token");
        }
        JWTClaimsSet claims = verify(provider, idToken, nonce);
        String accessToken = answer.json().path("access_token").asText("");
        String email = stringClaim(claims, "email");
        OidcIdentity identity = email == null && provider.userinfo() != null && !accessToken.isEmpty()
                ? fromUserInfo(provider.userinfo(), accessToken, claims)
                : identity(claims.getSubject(), email, Boolean.TRUE.equals(booleanClaim(claims, "email_verified")),
                        stringClaim(claims, "preferred_username"), stringClaim(claims, "name"),
                        groups(claims.getClaim(settings.groupsClaim())));
        return new SignIn(identity, idToken, stringClaim(claims, "sid"));
    }

    /**
     * Reads a logout token the provider posted to the back-channel logout endpoint (OpenID Connect Back-Channel
     * Logout 1.0, section 2.6): signed by the provider's keys, for this client, with the logout event, a subject or a
     * session id, and no nonce (so that an ID token cannot pass for one).
     */
    public Logout verifyLogout(String logoutToken) throws OidcFailure {
        JWTClaimsSet claims;
        try {
            claims = discovered().logoutTokens().process(logoutToken, null);
        } catch (ParseException | com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw new OidcFailure("The logout token does not verify: " + e.getMessage(), e);
        }
        Object events = claims.getClaim("events");
        if (!(events instanceof Map<?, ?> map) || !map.containsKey(LOGOUT_EVENT)) {
            throw new OidcFailure("The logout token carries no back-channel logout event");
        }
        String sid = stringClaim(claims, "sid");
        if (claims.getSubject() == null && sid == null) {
            throw new OidcFailure("The logout token names neither a subject nor a session");
        }
        return new Logout(claims.getSubject(), sid);
    }

    /**
     * Where to send the browser so that the provider ends its own session too (OpenID Connect RP-Initiated Logout
     * 1.0): its {@code end_session_endpoint} with the ID token of the sign-in as the hint and {@code back} as where to
     * return, which must be registered at the provider. Empty when the provider offers no such endpoint, or cannot be
     * asked now: the hub's own logout stands either way.
     */
    public Optional<URI> logoutUrl(String idToken, URI back) {
        Discovered provider;
        try {
            provider = discovered();
        } catch (OidcFailure e) {
            return Optional.empty();
        }
        if (provider.endSession() == null) {
            return Optional.empty();
        }
        Map<String, String> query = new LinkedHashMap<>();
        query.put("id_token_hint", idToken);
        query.put("client_id", settings.clientId());
        query.put("post_logout_redirect_uri", back.toString());
        String base = provider.endSession().toString();
        return Optional.of(URI.create(base + (base.contains("?") ? "&" : "?") + form(query)));
    }

    private JWTClaimsSet verify(Discovered provider, String idToken, String nonce) throws OidcFailure {
        JWTClaimsSet claims;
        try {
            claims = provider.idTokens().process(idToken, null);
        } catch (ParseException | com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw new OidcFailure("The identity provider's ID token did not verify: " + e.getMessage(), e);
        }
        // With several audiences the token must say it was issued to this client (Core 1.0, section 3.1.3.7).
        List<String> audience = claims.getAudience();
        if (audience.size() > 1 && !settings.clientId().equals(stringClaim(claims, "azp"))) {
            throw new OidcFailure("The identity provider's ID token was issued to another client");
        }
        String sent = stringClaim(claims, "nonce");
        if (sent == null || !MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8),
                nonce.getBytes(StandardCharsets.UTF_8))) {
            throw new OidcFailure("The identity provider's ID token is not this sign-in's (nonce)");
        }
        return claims;
    }

    private OidcIdentity fromUserInfo(URI endpoint, String accessToken, JWTClaimsSet claims) throws OidcFailure {
        Answer answer = send(HttpRequest.newBuilder(endpoint).timeout(TIMEOUT).header("Accept", "application/json")
                .header("Authorization", "Bearer " + accessToken).GET().build(), "user info endpoint");
        JsonNode info = answer.json();
        // A user info answer about anyone else must not name the person who signed in (Core 1.0, section 5.3.2).
        if (answer.status() != 200 || !claims.getSubject().equals(info.path("sub").asText(null))) {
            throw new OidcFailure("The identity provider's user info does not describe the signed-in subject");
        }
        List<String> groups = groups(claims.getClaim(settings.groupsClaim()));
        if (groups.isEmpty() && info.has(settings.groupsClaim())) {
            groups = groups(JSON.convertValue(info.get(settings.groupsClaim()), Object.class));
        }
        return identity(claims.getSubject(), text(info, "email"), info.path("email_verified").asBoolean(false),
                firstNonNull(text(info, "preferred_username"), stringClaim(claims, "preferred_username")),
                firstNonNull(text(info, "name"), stringClaim(claims, "name")), groups);
    }

    private OidcIdentity identity(String subject, @Nullable String email, boolean verified,
                                  @Nullable String username, @Nullable String name, List<String> groups) {
        return new OidcIdentity(settings.issuer().toString(), subject, email, verified && email != null, username,
                name, groups);
    }

    /** A groups claim: a list of names (a lone name counts as a list of one); anything else, none. */
    static List<String> groups(@Nullable Object claim) {
        if (claim instanceof String one) {
            return List.of(one);
        }
        if (claim instanceof java.util.Collection<?> many) {
            return many.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        return List.of();
    }

    private Discovered discovered() throws OidcFailure {
        Discovered known = discovered;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (discovered == null) {
                discovered = discover();
            }
            return discovered;
        }
    }

    private Discovered discover() throws OidcFailure {
        Answer answer = send(HttpRequest.newBuilder(settings.discoveryUrl()).timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build(), "discovery document");
        JsonNode doc = answer.json();
        if (answer.status() != 200) {
            throw new OidcFailure("The identity provider's discovery document answered HTTP " + answer.status());
        }
        // Discovery section 4.3: the document must name the issuer it was fetched for, exactly.
        if (!settings.issuer().toString().equals(doc.path("issuer").asText(null))) {
            throw new OidcFailure("The identity provider names itself '" + doc.path("issuer").asText("")
                    + "', not the configured issuer " + settings.issuer());
        }
        URI authorization = endpoint(doc, "authorization_endpoint", true);
        URI token = endpoint(doc, "token_endpoint", true);
        URI jwks = endpoint(doc, "jwks_uri", true);
        URI userinfo = endpoint(doc, "userinfo_endpoint", false);
        URI endSession = endpoint(doc, "end_session_endpoint", false);
        Set<String> methods = new java.util.HashSet<>();
        doc.path("token_endpoint_auth_methods_supported").forEach(m -> methods.add(m.asText()));
        // The default when the provider says nothing is client_secret_basic (Discovery section 3).
        boolean secretInBody = !methods.isEmpty() && !methods.contains("client_secret_basic")
                && methods.contains("client_secret_post");
        JWKSource<SecurityContext> keys = keys(jwks);
        return new Discovered(authorization, token, userinfo, endSession, secretInBody, idTokenProcessor(keys),
                logoutTokenProcessor(keys));
    }

    private static JWKSource<SecurityContext> keys(URI jwks) throws OidcFailure {
        try {
            // Keys are cached and fetched again when a token names one not seen yet (a rotated key).
            return JWKSourceBuilder.<SecurityContext>create(jwks.toURL(),
                    new DefaultResourceRetriever((int) TIMEOUT.toMillis(), (int) TIMEOUT.toMillis(), MAX_RESPONSE))
                    .build();
        } catch (java.net.MalformedURLException e) {
            throw new OidcFailure("The identity provider's jwks_uri is not a URL: " + jwks, e);
        }
    }

    /** Logout tokens: the same keys and issuer, this client as audience, a time of issue, and never a nonce. */
    private ConfigurableJWTProcessor<SecurityContext> logoutTokenProcessor(JWKSource<SecurityContext> keys) {
        ConfigurableJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("logout+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(Set.of(settings.clientId()),
                new JWTClaimsSet.Builder().issuer(settings.issuer().toString()).build(), Set.of("iat", "events"),
                Set.of("nonce")));
        return processor;
    }

    private ConfigurableJWTProcessor<SecurityContext> idTokenProcessor(JWKSource<SecurityContext> keys) {
        ConfigurableJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(settings.clientId(),
                new JWTClaimsSet.Builder().issuer(settings.issuer().toString()).build(),
                Set.of("sub", "iat", "exp", "nonce")));
        return processor;
    }

    private URI endpoint(JsonNode doc, String field, boolean required) throws OidcFailure {
        String value = doc.path(field).asText("");
        if (value.isEmpty()) {
            if (required) {
                throw new OidcFailure("The identity provider's discovery document has no " + field);
            }
            return null;
        }
        URI uri;
        try {
            uri = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new OidcFailure("The identity provider's " + field + " is not a URL", e);
        }
        // The same rule as for the issuer: keys and codes travel only over TLS, but on this machine's loopback.
        boolean secure = "https".equals(uri.getScheme()) || ("http".equals(uri.getScheme())
                && "http".equals(settings.issuer().getScheme()) && uri.getHost() != null
                && uri.getHost().equals(settings.issuer().getHost()));
        if (!secure) {
            throw new OidcFailure("The identity provider's " + field + " must use https: " + value);
        }
        return uri;
    }

    /** An answer of the provider, its body read up to {@link #MAX_RESPONSE} bytes and parsed as JSON. */
    private record Answer(int status, JsonNode json) {}

    private Answer send(HttpRequest request, String what) throws OidcFailure {
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_RESPONSE + 1);
            }
            if (body.length > MAX_RESPONSE) {
                throw new OidcFailure("The identity provider's " + what + " answered with more than 1 MiB");
            }
            JsonNode json;
            try {
                json = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
            } catch (IOException e) {
                if (response.statusCode() == 200) {
                    throw new OidcFailure("The identity provider's " + what + " did not answer JSON", e);
                }
                json = JSON.createObjectNode();
            }
            return new Answer(response.statusCode(), json == null ? JSON.createObjectNode() : json);
        } catch (IOException e) {
            // Some (a refused connection) carry no message; their type says what happened.
            throw new OidcFailure("The identity provider's " + what + " could not be reached: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OidcFailure("Interrupted while asking the identity provider", e);
        }
    }

    private static @Nullable String stringClaim(JWTClaimsSet claims, String name) {
        try {
            String value = claims.getStringClaim(name);
            return value == null || value.isBlank() ? null : value;
        } catch (ParseException e) {
            return null;
        }
    }

    private static @Nullable Boolean booleanClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        // Some providers send "true" as a string.
        return value instanceof Boolean b ? b : value instanceof String s ? Boolean.valueOf(s) : null;
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }

    private static @Nullable String firstNonNull(@Nullable String a, @Nullable String b) {
        return a != null ? a : b;
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
