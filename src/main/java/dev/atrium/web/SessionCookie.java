package dev.atrium.web;

import dev.atrium.auth.Sessions;
import dev.atrium.auth.User;
import dev.atrium.http.BaseUrl;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;

/** Starts a session for a browser, however its owner proved who they are (a password, the identity provider). */
final class SessionCookie {
    private final Sessions sessions;
    private final BaseUrl baseUrl;

    SessionCookie(Sessions sessions, BaseUrl baseUrl) {
        this.sessions = sessions;
        this.baseUrl = baseUrl;
    }

    void start(Context ctx, User user) {
        start(ctx, user, null, null);
    }

    /** A session begun by a single sign-on: its ID token kept for the logout, the provider's session id for its end. */
    void start(Context ctx, User user, @org.jspecify.annotations.Nullable String ssoIdToken,
               @org.jspecify.annotations.Nullable String ssoSid) {
        Sessions.Started started = sessions.start(user, ssoIdToken, ssoSid);
        ctx.cookie(new Cookie(Sessions.COOKIE, started.secret(), "/", (int) Sessions.LIFETIME.toSeconds(),
                baseUrl.of(ctx).startsWith("https:"), true, null, SameSite.LAX));
    }
}
