package dev.atrium.web;

import dev.atrium.auth.AccountAdministration;
import dev.atrium.auth.EmailVerifications;
import dev.atrium.auth.PasswordResets;
import dev.atrium.auth.Sessions;
import dev.atrium.auth.User;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Errors;
import dev.atrium.mail.AccountMail;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The pages the hub's mail leads to, and the form that sends a password reset link: forgotten passwords (on a hub
 * with mail only) and email verification.
 */
final class MailPages {
    private final Pages pages;
    private final AccountMail mail;
    private final PasswordResets resets;
    private final EmailVerifications verifications;
    private final Sessions sessions;
    private final BaseUrl baseUrl;

    MailPages(Pages pages, AccountMail mail, PasswordResets resets, EmailVerifications verifications,
              Sessions sessions, BaseUrl baseUrl) {
        this.pages = pages;
        this.mail = mail;
        this.resets = resets;
        this.verifications = verifications;
        this.sessions = sessions;
        this.baseUrl = baseUrl;
    }

    void register(RoutesConfig routes) {
        routes.get("/forgot-password", pages.page(ctx -> forgotPage(ctx, null)));
        routes.post("/forgot-password", pages.page(this::forgot));
        routes.get("/reset-password", pages.page(ctx -> resetPage(ctx, 200, null)));
        routes.post("/reset-password", pages.page(this::reset));
        routes.get("/verify-email", pages.page(this::verify));
    }

    private void forgotPage(Context ctx, String notice) {
        requireMail();
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Reset your password"));
        params.put("notice", notice);
        pages.render(ctx, 200, "forgot.jte", params);
    }

    /** The same answer whether or not there is such an account, so the form tells nobody who has one. */
    private void forgot(Context ctx) {
        requireMail();
        AccountPages.requireSameOrigin(ctx, baseUrl);
        String who = Optional.ofNullable(ctx.formParam("who")).orElse("").strip();
        if (!who.isEmpty() && who.length() <= 320) {
            resets.issue(who).ifPresent(mail::sendPasswordReset);
        }
        forgotPage(ctx, "If an account has that name or email, a link to choose a new password is on its way to its"
                + " address. It works once, for an hour.");
    }

    private void resetPage(Context ctx, int status, String error) {
        requireMail();
        String token = Optional.ofNullable(ctx.queryParam("token")).orElse(ctx.formParam("token"));
        Optional<User> user = token == null ? Optional.empty() : resets.peek(token);
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Choose a new password"));
        params.put("token", token);
        params.put("name", user.map(User::name).orElse(null));
        params.put("error", user.isEmpty() ? "This link has expired or was used already." : error);
        pages.render(ctx, user.isEmpty() ? 404 : status, "reset.jte", params);
    }

    private void reset(Context ctx) {
        requireMail();
        AccountPages.requireSameOrigin(ctx, baseUrl);
        String token = Optional.ofNullable(ctx.formParam("token")).orElse("");
        String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
        if (password.length() < AccountAdministration.MIN_PASSWORD) {
            resetPage(ctx, 400, "Choose a password of at least " + AccountAdministration.MIN_PASSWORD
                    + " characters.");
            return;
        }
        Optional<User> user = resets.redeem(token, password);
        if (user.isEmpty()) {
            resetPage(ctx, 404, null);
            return;
        }
        // Whoever made the owner need a new password may be signed in with the old one.
        sessions.endAllOf(user.get().id(), null);
        ctx.redirect("/login?reset=done", io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private void verify(Context ctx) {
        String token = ctx.queryParam("token");
        Optional<User> user = token == null ? Optional.empty() : verifications.verify(token);
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, user.isPresent() ? "Email verified" : "This link does not work"));
        params.put("email", user.map(User::email).orElse(null));
        pages.render(ctx, user.isPresent() ? 200 : 404, "verified.jte", params);
    }

    private void requireMail() {
        if (!mail.enabled()) {
            throw new Errors.NotFound("This hub sends no mail: ask its administrator to set your password");
        }
    }
}
