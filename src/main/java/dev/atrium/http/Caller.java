package dev.atrium.http;

import dev.atrium.auth.Principal;
import io.javalin.http.Context;
import org.jspecify.annotations.Nullable;

/** The authenticated caller of the current request, set once by the server's before-handler. */
public final class Caller {
    static final String ATTRIBUTE = "atrium.principal";

    private Caller() {}

    public static @Nullable Principal of(Context ctx) {
        return ctx.attribute(ATTRIBUTE);
    }

    public static Principal required(Context ctx) {
        Principal principal = of(ctx);
        if (principal == null) {
            throw new Errors.AuthenticationRequired("You must be authenticated: send Authorization: Bearer <token>");
        }
        return principal;
    }
}
