package dev.atrium.web;

import dev.atrium.auth.Principal;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import io.javalin.http.Context;

/** Pages for people signed in with a session: anyone else is sent to the login page and back, query included. */
final class SignedIn {
    private SignedIn() {}

    static boolean is(Context ctx) {
        return Caller.of(ctx) != null && Caller.session(ctx) != null;
    }

    static Principal require(Context ctx) {
        if (!is(ctx)) {
            String query = ctx.queryString();
            throw new Errors.Moved("/login?next=" + Urls.query(query == null ? ctx.path() : ctx.path() + "?" + query));
        }
        return Caller.of(ctx);
    }
}
