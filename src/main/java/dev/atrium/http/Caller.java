package dev.atrium.http;

import dev.atrium.auth.Principal;
import dev.atrium.auth.Sessions;
import io.javalin.http.Context;
import org.jspecify.annotations.Nullable;

/** The authenticated caller of the current request, set once by the server's before-handler. */
public final class Caller {
    static final String ATTRIBUTE = "atrium.principal";
    static final String SESSION = "atrium.session";

    private Caller() {}

    public static @Nullable Principal of(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }

    /** The browser session the caller signed in with; null for token callers and anonymous visitors. */
    public static Sessions.@Nullable Session session(Context ctx) {
        return ctx.attribute(SESSION);
    }

    public static Principal required(Context ctx) {
        Principal principal = of(ctx);
        if (principal == null) {
            throw new Errors.AuthenticationRequired("You must be authenticated: send Authorization: Bearer <token>");
        }
        return principal;
    }

    /**
     * A caller with a write token or a browser session, for what manages credentials ({@code what}: tokens, SSH
     * keys...): a read or fine-grained token must never mint or register something broader than itself.
     */
    public static Principal requiredWithWriteRole(Context ctx, String what) {
        Principal caller = required(ctx);
        if (caller.token().role() != dev.atrium.auth.TokenRole.WRITE) {
            throw new Errors.Forbidden("Managing " + what + " needs a write token or a browser session");
        }
        return caller;
    }
}
