package dev.atrium.web;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.auth.Sessions;
import dev.atrium.auth.SignInThrottled;
import dev.atrium.auth.SignupPolicy;
import dev.atrium.auth.TokenInfo;
import dev.atrium.auth.TokenRole;
import dev.atrium.auth.TokenScopes;
import dev.atrium.auth.Tokens;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.ClientAddress;
import dev.atrium.mail.AccountMail;
import dev.atrium.org.AuditLog;
import dev.atrium.org.RepoVisibility;
import dev.atrium.org.OrgApi;
import dev.atrium.usage.Quotas;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.HubException;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.PersonIdent;
import org.jspecify.annotations.Nullable;

/** Signing up, in and out, access tokens in the settings, and a new repo: the pages that need an account. */
public final class AccountPages {
    /** Failed sign-ins with the client's address, for tools like fail2ban (README, "Monitoring"). */
    private static final org.slf4j.Logger SIGN_INS = org.slf4j.LoggerFactory.getLogger("atrium.sign-in");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{1,38}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final int MIN_PASSWORD = dev.atrium.auth.AccountAdministration.MIN_PASSWORD;

    /** When each account last had its verification link sent again, so that the button cannot flood an inbox. */
    private final Map<String, Long> verificationsSent = new java.util.concurrent.ConcurrentHashMap<>();
    private final AccountMail mail;

    /** A token row of the settings page. */
    public record TokenRow(String id, String name, String role, String created, String lastUsed, String scope) {}

    private final Pages pages;
    private final Users users;
    private final Sessions sessions;
    private final Tokens tokens;
    private final RepoService repoService;
    private final AccessPolicy policy;
    private final BaseUrl baseUrl;
    private final OrgApi orgApi;
    private final Quotas quotas;

    private final SignupPolicy signup;
    private final SessionCookie sessionCookie;
    /** The identity provider's pages, when the hub has one. */
    private final @Nullable SsoPages sso;
    /** The New page's preset visibility ({@code --default-visibility}). */
    private final RepoVisibility visibility;

    AccountPages(Pages pages, Users users, Sessions sessions, Tokens tokens, RepoService repoService,
                 AccessPolicy policy, BaseUrl baseUrl, OrgApi orgApi, Quotas quotas, SignupPolicy signup,
                 AccountMail mail, SessionCookie sessionCookie, @Nullable SsoPages sso, RepoVisibility visibility) {
        this.visibility = visibility;
        this.sessionCookie = sessionCookie;
        this.sso = sso;
        this.mail = mail;
        this.signup = signup;
        this.pages = pages;
        this.users = users;
        this.sessions = sessions;
        this.tokens = tokens;
        this.repoService = repoService;
        this.policy = policy;
        this.baseUrl = baseUrl;
        this.orgApi = orgApi;
        this.quotas = quotas;
    }

    void register(RoutesConfig routes) {
        if (!signup.open()) {
            routes.before(ctx -> ctx.attribute(Frame.SIGNUP_CLOSED, Boolean.TRUE));
        }
        routes.get("/login", pages.page(ctx -> form(ctx, 200, "login.jte", "Log in", null)));
        routes.post("/login", pages.page(this::login));
        routes.get("/join", pages.page(ctx -> form(ctx, signup.open() ? 200 : 403, "join.jte", "Sign up", null)));
        routes.post("/join", pages.page(this::join));
        routes.post("/logout", pages.page(this::logout));
        routes.get("/settings", pages.page(ctx -> ctx.redirect("/settings/profile")));
        routes.get("/settings/profile", pages.page(ctx -> profilePage(ctx, 200, null, null)));
        routes.post("/settings/profile", pages.page(this::saveProfile));
        routes.post("/settings/password", pages.page(this::changePassword));
        routes.post("/settings/email/verify", pages.page(this::resendVerification));
        routes.get("/settings/tokens", pages.page(ctx -> tokensPage(ctx, null, null)));
        routes.post("/settings/tokens", pages.page(this::createToken));
        routes.post("/settings/tokens/{id}/revoke", pages.page(this::revokeToken));
        routes.get("/organizations/new", pages.page(ctx -> newOrgPage(ctx, 200, null)));
        routes.post("/organizations/new", pages.page(this::createOrg));
        routes.get("/new", pages.page(ctx -> newRepoPage(ctx, 200, null)));
        routes.post("/new", pages.page(this::createRepo));
    }

    private void form(Context ctx, int status, String template, String title, String error) {
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, title));
        params.put("error", error);
        String next = ctx.formParam("next") != null ? ctx.formParam("next") : ctx.queryParam("next");
        params.put("next", localPath(next).orElse(""));
        params.put("name", Optional.ofNullable(ctx.formParam("name")).orElse(""));
        params.put("email", Optional.ofNullable(ctx.formParam("email")).orElse(""));
        params.put("signup", signup);
        params.put("canReset", mail.enabled());
        params.put("sso", sso == null ? null : sso.label());
        params.put("notice", "done".equals(ctx.queryParam("reset")) ? "Your password is changed, and every session"
                + " of the account signed out. Log in with the new one." : null);
        pages.render(ctx, status, template, params);
    }

    private void login(Context ctx) {
        requireSameOrigin(ctx, baseUrl);
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
        Users.PasswordCheck check;
        String address = ClientAddress.of(ctx).getHostAddress();
        try {
            check = users.check(name, password, ClientAddress.limitKeyOf(ctx));
        } catch (SignInThrottled e) {
            SIGN_INS.info("Sign-in refused, too many failures: account {} from {}", name, address);
            throttled(ctx, e);
            form(ctx, 429, "login.jte", "Log in", e.getMessage());
            return;
        }
        Optional<User> user = check.right() ? check.account() : Optional.empty();
        if (user.isEmpty()) {
            // The name only when it is an account's: a password typed into the name field must not reach the log.
            if (check.account().isPresent()) {
                SIGN_INS.info("Wrong password: account {} from {}", name, address);
            } else {
                SIGN_INS.info("Sign-in for no account from {}", address);
            }
            form(ctx, 401, "login.jte", "Log in", "Wrong name or password.");
            return;
        }
        if (users.isDeactivated(user.get().id())) {
            // Said only to whoever knows the password: the account's state is nobody else's business.
            form(ctx, 403, "login.jte", "Log in", "This account is deactivated. Ask this hub's administrator.");
            return;
        }
        signIn(ctx, user.get());
    }

    private static void throttled(Context ctx, SignInThrottled e) {
        ctx.header("Retry-After", String.valueOf(Math.max(1, e.retryAfter().toSeconds())));
    }

    private void join(Context ctx) {
        requireSameOrigin(ctx, baseUrl);
        if (!signup.open()) {
            form(ctx, 403, "join.jte", "Sign up", null);
            return;
        }
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        String email = Optional.ofNullable(ctx.formParam("email")).orElse("").strip();
        String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
        String problem = !NAME.matcher(name).matches()
                ? "Choose a name of 2 to 39 letters, digits, '-', '_' or '.', starting with a letter or digit."
                : RepoId.isReservedNamespace(name) ? "This name is reserved."
                : !EMAIL.matcher(email).matches() ? "Enter a valid email address."
                : signup.refusal(email).isPresent() ? signup.refusal(email).get()
                : password.length() < MIN_PASSWORD ? "Choose a password of at least " + MIN_PASSWORD + " characters."
                : users.nameTaken(name) ? "This name is taken."
                : users.emailTaken(email, null) ? "This email belongs to another account." : null;
        if (problem != null) {
            form(ctx, 400, "join.jte", "Sign up", problem);
            return;
        }
        User user;
        try {
            user = users.create(name, email, password, false);
        } catch (Users.EmailTaken e) { // a concurrent sign-up took the email between the check and the insert
            form(ctx, 409, "join.jte", "Sign up", e.getMessage());
            return;
        } catch (Errors.Conflict e) { // or the name
            form(ctx, 409, "join.jte", "Sign up", "This name is taken.");
            return;
        }
        mail.sendVerification(user);
        signIn(ctx, user);
    }

    private void signIn(Context ctx, User user) {
        sessionCookie.start(ctx, user);
        ctx.redirect(localPath(ctx.formParam("next")).orElse("/"), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    /**
     * Ends the session; one begun by single sign-on goes on to the provider's logout, which ends its session too.
     * That step is a page that moves on by itself, not a redirect: the pages' CSP ({@code form-action 'self'}) stops
     * a form's redirect to another site, and the logout is a form.
     */
    private void logout(Context ctx) {
        String secret = ctx.cookie(Sessions.COOKIE);
        Optional<String> idToken = secret == null ? Optional.empty() : sessions.end(secret);
        ctx.removeCookie(Sessions.COOKIE, "/");
        Optional<java.net.URI> providerLogout = idToken.flatMap(token -> sso == null ? Optional.empty()
                : sso.providerLogout(token));
        if (providerLogout.isEmpty()) {
            ctx.redirect("/", io.javalin.http.HttpStatus.SEE_OTHER);
            return;
        }
        pages.render(ctx, 200, "loggedout.jte", Map.of("frame", Frame.signedOut(ctx, "Logged out"), "provider",
                sso.label(),
                "providerLogout", providerLogout.get().toString()));
    }

    private void profilePage(Context ctx, int status, String error, String notice) {
        User user = signedIn(ctx);
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Profile"));
        params.put("user", users.byId(user.id()).orElse(user));
        params.put("emailVerified", users.emailVerified(user.id()));
        params.put("mailEnabled", mail.enabled());
        params.put("sso", sso == null ? null : sso.statusOf(user.id()));
        params.put("hasPassword", users.hasPassword(user.id()));
        params.put("error", error);
        params.put("notice", notice);
        pages.render(ctx, status, "settings/profile.jte", params);
    }

    private void saveProfile(Context ctx) {
        User user = signedIn(ctx);
        String fullname = Optional.ofNullable(ctx.formParam("fullname")).orElse("").strip();
        String email = Optional.ofNullable(ctx.formParam("email")).orElse("").strip();
        if (fullname.length() > 200 || !EMAIL.matcher(email).matches()) {
            profilePage(ctx, 400, "Enter a valid email address and a name of up to 200 characters.", null);
            return;
        }
        if (users.emailTaken(email, user.id())) {
            profilePage(ctx, 409, "This email belongs to another account.", null);
            return;
        }
        String before = users.byId(user.id()).map(User::email).orElse("");
        try {
            users.updateProfile(user.id(), fullname, email);
        } catch (Users.EmailTaken e) {
            profilePage(ctx, 409, e.getMessage(), null);
            return;
        }
        boolean changed = !before.equalsIgnoreCase(email);
        if (changed) {
            users.byId(user.id()).ifPresent(mail::sendVerification);
        }
        profilePage(ctx, 200, null, changed && mail.enabled()
                ? "Saved. A link to verify " + email + " is on its way to it." : "Saved.");
    }

    /** Mails the verification link again, at most once a minute per account (on this node). */
    private void resendVerification(Context ctx) {
        User user = signedIn(ctx);
        if (!mail.enabled() || users.emailVerified(user.id())) {
            profilePage(ctx, 400, mail.enabled() ? "Your email is verified already." : "This hub sends no mail.",
                    null);
            return;
        }
        long now = System.currentTimeMillis();
        Long last = verificationsSent.get(user.id());
        if (last != null && now - last < 60_000) {
            profilePage(ctx, 429, "A link was sent less than a minute ago: check your mail, or try again soon.",
                    null);
            return;
        }
        verificationsSent.put(user.id(), now);
        User current = users.byId(user.id()).orElse(user);
        mail.sendVerification(current);
        profilePage(ctx, 200, null, "A link to verify " + current.email() + " is on its way to it.");
    }

    /**
     * A new password, given the current one if there is one (a session left open elsewhere must not be enough to
     * change it; an account without one gets its first from its session); every other session
     * of the account is signed out, as whoever may have learnt the old password may be signed in with it.
     */
    private void changePassword(Context ctx) {
        User user = signedIn(ctx);
        String current = Optional.ofNullable(ctx.formParam("current")).orElse("");
        String next = Optional.ofNullable(ctx.formParam("password")).orElse("");
        try {
            // An account made by a sign-in through the identity provider has no password to give yet.
            if (users.hasPassword(user.id()) && !users.checkPassword(user.name(), current,
                    ClientAddress.limitKeyOf(ctx))) {
                profilePage(ctx, 403, "The current password is not right; nothing was changed.", null);
                return;
            }
        } catch (SignInThrottled e) {
            throttled(ctx, e);
            profilePage(ctx, 429, e.getMessage() + " Nothing was changed.", null);
            return;
        }
        if (next.length() < MIN_PASSWORD) {
            profilePage(ctx, 400, "Choose a password of at least " + MIN_PASSWORD + " characters.", null);
            return;
        }
        users.setPassword(user.id(), next);
        int others = sessions.endAllOf(user.id(), Caller.session(ctx).id());
        profilePage(ctx, 200, null, "Password changed." + (others == 0 ? ""
                : " Signed out elsewhere: " + others + (others == 1 ? " session." : " sessions.")));
    }

    private void tokensPage(Context ctx, String created, String error) {
        User user = signedIn(ctx);
        List<TokenRow> rows = new ArrayList<>();
        for (TokenInfo t : tokens.listFor(user)) {
            String scope = t.scopes() == null ? "all your repos"
                    : String.join("; ", t.scopes().scoped().stream().map(sc -> sc.type() + " " + sc.name() + ": "
                            + String.join(", ", sc.permissions())).toList());
            rows.add(new TokenRow(t.id(), t.displayName(), t.role().wireName(), Dates.iso(t.createdAt()).substring(0, 10),
                    t.lastUsedAt() == null ? "never" : Dates.iso(t.lastUsedAt()).substring(0, 16).replace('T', ' '),
                    scope));
        }
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Access tokens"));
        params.put("tokens", rows);
        params.put("created", created);
        params.put("error", error);
        pages.render(ctx, error == null ? 200 : 400, "settings/tokens.jte", params);
    }

    private void createToken(Context ctx) {
        User user = signedIn(ctx);
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        Optional<TokenRole> role = roleOf(ctx.formParam("role"));
        if (name.isEmpty() || name.length() > 100 || role.isEmpty()) {
            tokensPage(ctx, null, "Give the token a name (up to 100 characters) and a role.");
            return;
        }
        TokenScopes scopes = null;
        if (role.get() == TokenRole.FINE_GRAINED) {
            try {
                scopes = scopesFromLines(Optional.ofNullable(ctx.formParam("scopes")).orElse(""));
            } catch (IllegalArgumentException e) {
                tokensPage(ctx, null, e.getMessage());
                return;
            }
        }
        // Shown once, on this response only: the database keeps its hash.
        tokensPage(ctx, tokens.create(user, name, role.get(), scopes, null).secret(), null);
    }

    /**
     * The settings page's scopes: one per line, "{user|org|model|dataset|space} {name} {read|write}[,...]" (write
     * includes read).
     */
    static TokenScopes scopesFromLines(String text) {
        List<TokenScopes.Scoped> scoped = new ArrayList<>();
        int n = 0;
        for (String line : text.split("\\r?\\n")) {
            n++;
            String[] parts = line.strip().split("\\s+");
            if (line.isBlank()) {
                continue;
            }
            if (parts.length != 3 || !java.util.Set.of("user", "org", "model", "dataset", "space").contains(parts[0])) {
                throw new IllegalArgumentException("Scope line " + n + ": write it as 'model alice/bert read,write'"
                        + " (user, org, model, dataset or space; read and/or write)");
            }
            java.util.Set<String> permissions = new java.util.LinkedHashSet<>();
            for (String p : parts[2].split(",")) {
                switch (p.strip()) {
                    case "read" -> permissions.add(TokenScopes.READ);
                    case "write" -> {
                        permissions.add(TokenScopes.READ);
                        permissions.add(TokenScopes.WRITE);
                    }
                    default -> throw new IllegalArgumentException("Scope line " + n + ": '" + p
                            + "' is neither read nor write");
                }
            }
            scoped.add(new TokenScopes.Scoped(parts[0], parts[1], permissions));
        }
        if (scoped.isEmpty()) {
            throw new IllegalArgumentException("A fine-grained token needs at least one scope line");
        }
        return new TokenScopes(false, java.util.Set.of(), scoped);
    }

    private void revokeToken(Context ctx) {
        User user = signedIn(ctx);
        String id = ctx.pathParam("id");
        boolean mine = tokens.listFor(user).stream().anyMatch(t -> t.id().equals(id));
        if (!mine) {
            throw new Errors.NotFound("No such token");
        }
        tokens.revoke(id);
        ctx.redirect("/settings/tokens", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void newOrgPage(Context ctx, int status, String error) {
        signedIn(ctx);
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "New organization"));
        params.put("error", error);
        params.put("name", Optional.ofNullable(ctx.formParam("name")).orElse(""));
        params.put("fullname", Optional.ofNullable(ctx.formParam("fullname")).orElse(""));
        pages.render(ctx, status, "neworg.jte", params);
    }

    private void createOrg(Context ctx) {
        User user = signedIn(ctx);
        try {
            var org = orgApi.create(user, Optional.ofNullable(ctx.formParam("name")).orElse("").strip(),
                    ctx.formParam("fullname"));
            ctx.redirect("/" + org.name(), io.javalin.http.HttpStatus.SEE_OTHER);
        } catch (HubException e) {
            newOrgPage(ctx, e.status(), e.getMessage());
        }
    }

    private void newRepoPage(Context ctx, int status, String error) {
        User user = signedIn(ctx);
        List<String> owners = Owners.of(user, orgApi.organizations());
        // ?owner=org, as the Hub's organization pages link to it: the preset follows that organization's rule.
        String owner = Optional.ofNullable(ctx.formParam("owner")).or(() -> Optional.ofNullable(ctx.queryParam("owner")))
                .filter(owners::contains).orElse(user.name());
        List<String> notes = new java.util.ArrayList<>();
        for (String org : owners) {
            switch (visibility.rule(org)) {
                case PRIVATE -> notes.add("New repos of " + org + " are private unless made public.");
                case PRIVATE_ONLY -> notes.add("Repos of " + org + " may only be private.");
                case HUB -> { }
            }
        }
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "New repository"));
        params.put("owner", owner);
        params.put("owners", owners);
        params.put("error", error);
        params.put("name", Optional.ofNullable(ctx.formParam("name")).orElse(""));
        params.put("privateByDefault", visibility.privateByDefault(owner));
        params.put("visibilityNotes", notes);
        pages.render(ctx, status, "new.jte", params);
    }

    private void createRepo(Context ctx) throws Exception {
        User user = signedIn(ctx);
        Principal caller = Caller.required(ctx);
        RepoType type = RepoType.fromSingular(ctx.formParam("type")).orElse(RepoType.MODEL);
        String name = Optional.ofNullable(ctx.formParam("name")).orElse("").strip();
        boolean isPrivate = "private".equals(ctx.formParam("visibility"));
        String sdk = type == RepoType.SPACE ? "static" : null;
        String owner = Optional.ofNullable(ctx.formParam("owner")).orElse(user.name());
        try {
            RepoId id = new RepoId(owner, name);
            policy.requireNamespaceWrite(caller, id.namespace());
            visibility.requireAllowed(id.namespace(), isPrivate);
            if (isPrivate) {
                quotas.requirePrivateRepo(id.namespace());
            }
            Repo repo = repoService.create(type, id, isPrivate, sdk,
                    new PersonIdent(user.name(), user.email()));
            orgApi.audit().record(id.namespace(), user, "repo.create", AuditLog.target(type, id),
                    isPrivate ? "private" : "public");
            ctx.redirect("/" + type.urlPrefix() + repo.repoId(), io.javalin.http.HttpStatus.SEE_OTHER);
        } catch (IllegalArgumentException | HubException e) {
            newRepoPage(ctx, e instanceof HubException h ? h.status() : 400, e.getMessage());
        }
    }

    private static Optional<TokenRole> roleOf(String text) {
        try {
            return Optional.of(TokenRole.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The signed-in user; anyone else is sent to the login page and back. */
    private static User signedIn(Context ctx) {
        return SignedIn.require(ctx).user();
    }

    /**
     * A form that signs in comes from this site's own page: a cross-site POST (login CSRF) carries another Origin.
     * Browsers send Origin on every POST; a request without one is not from a browser form.
     */
    static void requireSameOrigin(Context ctx, BaseUrl baseUrl) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equals(baseUrl.of(ctx))) {
            throw new Errors.Forbidden("This form must be sent from " + baseUrl.of(ctx));
        }
    }

    /** {@code path} if it is a path on this site (not {@code //host} or a URL elsewhere). */
    static Optional<String> localPath(String path) {
        return path != null && path.startsWith("/") && !path.startsWith("//") && !path.startsWith("/\\")
                ? Optional.of(path) : Optional.empty();
    }
}
