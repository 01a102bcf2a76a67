package dev.atrium.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.OidcFailure;
import dev.atrium.auth.OidcIdentity;
import dev.atrium.auth.OidcProvider;
import dev.atrium.auth.RandomSecrets;
import dev.atrium.auth.ServerSecret;
import dev.atrium.auth.Sessions;
import dev.atrium.auth.SignupPolicy;
import dev.atrium.auth.SsoAccounts;
import dev.atrium.auth.Users;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.ClientAddress;
import dev.atrium.http.Json;
import dev.atrium.org.GroupRoles;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Signing in through the hub's OpenID Connect provider: {@code /login/sso} sends the browser there,
 * {@code /login/sso/callback} takes it back and opens the account ({@link SsoAccounts}); from the profile settings
 * an account connects to the provider, or disconnects from it if it has a password. What a sign-in started (its state, nonce and
 * PKCE verifier, where to go after) travels in a cookie signed by the server's key, bound to the browser that
 * started it: nothing is stored, any node finishes a sign-in another began, and a callback link sent to someone
 * else signs them in nowhere.
 */
public final class SsoPages {
    private static final org.slf4j.Logger SIGN_INS = org.slf4j.LoggerFactory.getLogger("atrium.sign-in");
    static final String COOKIE = "atrium_sso";
    static final String CALLBACK = "/login/sso/callback";
    /** Where the provider posts logout tokens: the back-channel logout URI to register with it. */
    static final String BACKCHANNEL_LOGOUT = "/login/sso/backchannel-logout";
    private static final Duration PENDING = Duration.ofMinutes(10);

    private final Pages pages;
    private final OidcProvider provider;
    private final SsoAccounts accounts;
    private final GroupRoles groupRoles;
    private final Users users;
    private final SessionCookie sessionCookie;
    private final Sessions sessions;
    private final SignupPolicy signup;
    private final BaseUrl baseUrl;
    private final ServerSecret secret;
    private final Clock clock;

    SsoPages(Pages pages, OidcProvider provider, SsoAccounts accounts, GroupRoles groupRoles, Users users,
             SessionCookie sessionCookie, Sessions sessions, SignupPolicy signup, BaseUrl baseUrl, ServerSecret secret,
             Clock clock) {
        this.sessions = sessions;
        this.pages = pages;
        this.provider = provider;
        this.accounts = accounts;
        this.groupRoles = groupRoles;
        this.users = users;
        this.sessionCookie = sessionCookie;
        this.signup = signup;
        this.baseUrl = baseUrl;
        this.secret = secret;
        this.clock = clock;
    }

    /** What the login page's button says: the provider's name as the operator gave it. */
    String label() {
        return provider.settings().label();
    }

    /** The provider as the profile settings show it for an account. */
    public record Status(String label, @Nullable String connectedAs) {}

    Status statusOf(String userId) {
        return new Status(label(), accounts.connectedAs(userId, issuer()).orElse(null));
    }

    void register(RoutesConfig routes) {
        routes.get("/login/sso", pages.page(ctx -> begin(ctx, AccountPages.localPath(ctx.queryParam("next"))
                .orElse("/"), null)));
        routes.get(CALLBACK, pages.page(this::callback));
        // A link, not a form: the pages' Content-Security-Policy lets forms lead to this origin only, redirects
        // included. It carries the session's CSRF token, so another site cannot start it.
        routes.get("/settings/sso/connect", pages.page(this::connectStart));
        routes.post("/settings/sso/disconnect", pages.page(this::disconnect));
        routes.post(BACKCHANNEL_LOGOUT, this::backchannelLogout);
    }

    /**
     * The provider ending a session of its own (OpenID Connect Back-Channel Logout 1.0): the hub's sessions begun
     * under it end too, or, when the token names only the person, every session a sign-in through the provider began
     * for them. Server to server: no cookie, no page; 200 once done, 400 for a token that does not verify.
     */
    private void backchannelLogout(Context ctx) {
        ctx.header("Cache-Control", "no-store");
        String token = ctx.formParam("logout_token");
        if (token == null || token.isBlank()) {
            Json.send(ctx, 400, Map.of("error", "invalid_request", "error_description", "logout_token is required"));
            return;
        }
        OidcProvider.Logout logout;
        try {
            logout = provider.verifyLogout(token);
        } catch (OidcFailure e) {
            SIGN_INS.warn("Back-channel logout refused from {}: {}", ClientAddress.of(ctx).getHostAddress(),
                    e.getMessage());
            Json.send(ctx, 400, Map.of("error", "invalid_request", "error_description", e.getMessage()));
            return;
        }
        String userId = logout.subject() == null ? null : accounts.userOf(issuer(), logout.subject()).orElse(null);
        // A subject the hub does not know, with no session id, names nobody here: nothing ends.
        int ended = sessions.endSingleSignOns(userId, logout.sid());
        SIGN_INS.info("{} ended a session of its own: {} of the hub's sessions ended", label(), ended);
        ctx.status(200);
    }

    /** What a sign-in keeps between leaving for the provider and coming back. */
    private record Pending(String state, String nonce, String verifier, String next, @Nullable String linkTo) {}

    private void begin(Context ctx, String next, @Nullable String linkTo) {
        if (linkTo == null && SignedIn.is(ctx)) {
            ctx.redirect(next, HttpStatus.SEE_OTHER);
            return;
        }
        // The cookie must stay under browsers' 4 KB: a longer way back is not kept.
        Pending pending = new Pending(randomText(), randomText(), randomText(), next.length() > 1024 ? "/" : next,
                linkTo);
        URI destination;
        try {
            destination = provider.authorizationUrl(pending.state(), pending.nonce(), pending.verifier(),
                    redirectUri());
        } catch (OidcFailure e) {
            SIGN_INS.warn("Single sign-on unavailable: {}", e.getMessage());
            failure(ctx, 502, e.getMessage());
            return;
        }
        long expires = clock.millis() / 1000 + PENDING.toSeconds();
        String token = secret.expiringToken(encode(pending), expires, SsoPages::signedMessage);
        ctx.cookie(new Cookie(COOKIE, token, "/login/sso", (int) PENDING.toSeconds(), secure(ctx), true, null,
                SameSite.LAX));
        ctx.redirect(destination.toString(), HttpStatus.SEE_OTHER);
    }

    private void callback(Context ctx) {
        Optional<Pending> pending = pendingOf(ctx);
        ctx.removeCookie(COOKIE, "/login/sso");
        String state = ctx.queryParam("state");
        // The state must be the one this browser's cookie holds: otherwise the link was made in another browser,
        // perhaps by someone who wants this one signed in to their account.
        if (pending.isEmpty() || state == null || !MessageDigest.isEqual(
                pending.get().state().getBytes(StandardCharsets.UTF_8), state.getBytes(StandardCharsets.UTF_8))) {
            failure(ctx, 400, "This sign-in was not started in this browser, or took longer than "
                    + PENDING.toMinutes() + " minutes. Start again from the login page.");
            return;
        }
        String error = ctx.queryParam("error");
        String code = ctx.queryParam("code");
        if (error != null || code == null || code.isEmpty()) {
            // Only the code: the description comes from whoever made the link.
            String shown = error == null ? "no code" : error.replaceAll("[^A-Za-z0-9_.-]", "");
            failure(ctx, 401, label() + " did not sign you in (" + shown.substring(0, Math.min(shown.length(), 64))
                    + ").");
            return;
        }
        OidcIdentity identity;
        String idToken;
        String sid;
        try {
            OidcProvider.SignIn signIn = provider.redeem(code, pending.get().verifier(), redirectUri(),
                    pending.get().nonce());
            identity = signIn.identity();
            idToken = signIn.idToken();
            sid = signIn.sid();
        } catch (OidcFailure e) {
            SIGN_INS.warn("Single sign-on failed from {}: {}", ClientAddress.of(ctx).getHostAddress(),
                    e.getMessage());
            failure(ctx, 502, e.getMessage());
            return;
        }
        if (pending.get().linkTo() != null) {
            connect(ctx, pending.get().linkTo(), identity);
            return;
        }
        SsoAccounts.Outcome outcome = accounts.signIn(identity, signup, label());
        if (outcome instanceof SsoAccounts.SignedIn in) {
            SIGN_INS.info("Signed in through {}: account {}{} from {}", label(), in.user().name(),
                    in.created() ? " (new)" : "", ClientAddress.of(ctx).getHostAddress());
            groupRoles.apply(in.user(), identity.groups());
            sessionCookie.start(ctx, in.user(), idToken, sid);
            ctx.redirect(pending.get().next(), HttpStatus.SEE_OTHER);
        } else if (outcome instanceof SsoAccounts.Refused refused) {
            // Addresses stay out of the log, as the mail log keeps them out.
            SIGN_INS.info("Sign-in through {} refused from {}: {}", label(), ClientAddress.of(ctx).getHostAddress(),
                    refused.reason().replaceAll("[^\\s@]+@[^\\s@]+", "<address>"));
            failure(ctx, 403, refused.reason());
        }
    }

    /**
     * Where the logout of a session begun here sends the browser: the provider's logout, which ends its session too
     * and returns to the hub's home page (that address must be registered at the provider as a post-logout
     * redirect URI); empty when the provider offers none.
     */
    Optional<URI> providerLogout(String idToken) {
        return provider.logoutUrl(idToken, URI.create(baseUrl.configured() + "/"));
    }

    private void connectStart(Context ctx) {
        String userId = SignedIn.require(ctx).user().id();
        if (!Sessions.csrfMatches(Caller.session(ctx), ctx.queryParam("csrf"))) {
            failure(ctx, 403, "This link has expired or did not come from this site: reload the settings page.");
            return;
        }
        begin(ctx, "/settings/profile", userId);
    }

    private void connect(Context ctx, String linkTo, OidcIdentity identity) {
        // The account that asked must still be the one signed in here.
        if (!SignedIn.is(ctx) || !Caller.of(ctx).user().id().equals(linkTo)) {
            failure(ctx, 403, "Log in to the account again, then connect " + label() + " from its settings.");
            return;
        }
        Optional<String> refusal = accounts.connect(linkTo, identity);
        if (refusal.isPresent()) {
            failure(ctx, 409, refusal.get());
            return;
        }
        groupRoles.apply(Caller.of(ctx).user(), identity.groups());
        ctx.redirect("/settings/profile", HttpStatus.SEE_OTHER);
    }

    /** Disconnecting needs a password to sign in with afterwards, or the account would have no way in. */
    private void disconnect(Context ctx) {
        String userId = SignedIn.require(ctx).user().id();
        if (!users.hasPassword(userId)) {
            failure(ctx, 409, "This account has no password: set one before you disconnect " + label() + ".");
            return;
        }
        accounts.disconnect(userId, issuer());
        ctx.redirect("/settings/profile", HttpStatus.SEE_OTHER);
    }

    private void failure(Context ctx, int status, String message) {
        pages.render(ctx, status, "error.jte", Map.of("frame", Frame.of(ctx, "Sign-in"), "status", status,
                "message", message));
    }

    private Optional<Pending> pendingOf(Context ctx) {
        String token = ctx.cookie(COOKIE);
        if (token == null) {
            return Optional.empty();
        }
        return secret.subjectOf(token, clock.millis() / 1000, SsoPages::signedMessage).flatMap(SsoPages::decode);
    }

    private static String signedMessage(String subject, long expires) {
        return "sso-login\n" + subject + "\n" + expires;
    }

    private static String encode(Pending pending) {
        ObjectNode json = Json.MAPPER.createObjectNode().put("s", pending.state()).put("n", pending.nonce())
                .put("v", pending.verifier()).put("next", pending.next()).put("link", pending.linkTo());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.toString()
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Optional<Pending> decode(String subject) {
        try {
            JsonNode json = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(subject));
            return Optional.of(new Pending(json.path("s").asText(), json.path("n").asText(),
                    json.path("v").asText(), json.path("next").asText("/"),
                    json.path("link").isTextual() ? json.path("link").asText() : null));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private URI redirectUri() {
        return URI.create(baseUrl.configured() + CALLBACK);
    }

    private String issuer() {
        return provider.settings().issuer().toString();
    }

    private boolean secure(Context ctx) {
        return baseUrl.of(ctx).startsWith("https:");
    }

    private static String randomText() {
        return RandomSecrets.text(32);
    }
}
