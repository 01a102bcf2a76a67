package dev.atrium.web;

import dev.atrium.auth.Principal;
import dev.atrium.auth.Sessions;
import dev.atrium.http.Caller;
import io.javalin.http.Context;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What every page's layout shows: the title and who is looking ({@code viewer} is null for anonymous visitors).
 *
 * @param csrf the session's CSRF token, which every form of a signed-in page carries; null without a session
 * @param query the search box's text, kept on listing pages
 * @param signupOpen whether to offer "Sign up" to anonymous visitors ({@code --signup closed} hides it)
 * @param unread the viewer's unread notifications, for the header
 * @param siteAdmin whether the viewer administers the site (the header links to /admin)
 */
public record Frame(String title, @Nullable String viewer, @Nullable String csrf, String query, boolean signupOpen,
                    int unread, boolean siteAdmin) {
    /** Set on every request by the account pages' before-handler; pages outside them offer sign-up. */
    static final String SIGNUP_CLOSED = "atrium.signup-closed";
    /**
     * Set on signed-in requests by the notification pages' before-handler: how to count the viewer's unread
     * notifications, asked only when a page is drawn, so after the page has read any it opened.
     */
    static final String UNREAD = "atrium.unread";

    public static Frame of(Context ctx, String title) {
        Principal principal = Caller.of(ctx);
        Sessions.Session session = Caller.session(ctx);
        IntSupplier unread = ctx.attribute(UNREAD);
        return new Frame(title, principal == null ? null : principal.user().name(),
                session == null ? null : session.csrf(), "", ctx.attribute(SIGNUP_CLOSED) == null,
                unread == null ? 0 : unread.getAsInt(), principal != null && session != null && principal.user().isAdmin());
    }

    /** A page for nobody signed in, whoever the request came from: the page after a logout. */
    public static Frame signedOut(Context ctx, String title) {
        return new Frame(title, null, null, "", ctx.attribute(SIGNUP_CLOSED) == null, 0, false);
    }

    public Frame withQuery(String text) {
        return new Frame(title, viewer, csrf, text, signupOpen, unread, siteAdmin);
    }
}
