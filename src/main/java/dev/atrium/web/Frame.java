package dev.atrium.web;

import dev.atrium.auth.Principal;
import dev.atrium.auth.Sessions;
import dev.atrium.http.Caller;
import io.javalin.http.Context;
import org.jspecify.annotations.Nullable;

/**
 * What every page's layout shows: the title and who is looking ({@code viewer} is null for anonymous visitors).
 *
 * @param csrf the session's CSRF token, which every form of a signed-in page carries; null without a session
 * @param query the search box's text, kept on listing pages
 */
public record Frame(String title, @Nullable String viewer, @Nullable String csrf, String query) {
    public static Frame of(Context ctx, String title) {
        Principal principal = Caller.of(ctx);
        Sessions.Session session = Caller.session(ctx);
        return new Frame(title, principal == null ? null : principal.user().name(),
                session == null ? null : session.csrf(), "");
    }

    public Frame withQuery(String text) {
        return new Frame(title, viewer, csrf, text);
    }
}
