package dev.atrium.web;

import dev.atrium.auth.DeviceLogins;
import dev.atrium.auth.User;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a person approves a browser login that a command-line client started ({@code hf auth login}): the page the
 * client prints, with the code filled in, or a field to type it. Approving needs a signed-in session and a second,
 * deliberate click, after the page has shown the code to compare with the terminal's: a link alone must not be
 * enough to hand someone a token.
 */
final class DevicePages {
    private static final String UNKNOWN = "No login is waiting for this code: it may have expired or been used "
            + "already. Start the login again in your terminal.";

    private final Pages pages;
    private final DeviceLogins logins;

    DevicePages(Pages pages, DeviceLogins logins) {
        this.pages = pages;
        this.logins = logins;
    }

    void register(RoutesConfig routes) {
        routes.get("/device", pages.page(ctx -> page(ctx, ctx.queryParam("user_code"), null)));
        routes.post("/device", pages.page(this::decide));
    }

    /** The page: the decision taken ({@code outcome}), the request waiting under {@code typed}, or a field to type. */
    private void page(Context ctx, String typed, String outcome) {
        User user = SignedIn.require(ctx).user();
        boolean asked = outcome == null && typed != null && !typed.isBlank();
        Optional<DeviceLogins.Request> request;
        try {
            request = asked ? logins.pending(typed, user) : Optional.empty();
        } catch (DeviceLogins.TooManyGuesses e) {
            render(ctx, user, null, e.getMessage(), null, 429);
            return;
        }
        boolean unknown = asked && request.isEmpty();
        render(ctx, user, request.map(DeviceLogins.Request::userCode).orElse(null), unknown ? UNKNOWN : null, outcome,
                unknown ? 404 : 200);
    }

    private void render(Context ctx, User user, String code, String error, String outcome, int status) {
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Log in a device"));
        params.put("user", user.name());
        params.put("code", code);
        params.put("error", error);
        params.put("outcome", outcome);
        pages.render(ctx, status, "device.jte", params);
    }

    private void decide(Context ctx) {
        User user = SignedIn.require(ctx).user();
        String code = ctx.formParam("user_code");
        boolean approve = "approve".equals(ctx.formParam("decision"));
        boolean decided;
        try {
            decided = approve ? logins.approve(code, user) : logins.deny(code, user);
        } catch (DeviceLogins.TooManyGuesses e) {
            render(ctx, user, null, e.getMessage(), null, 429);
            return;
        }
        if (decided) {
            page(ctx, code, approve ? "approved" : "denied");
        } else {
            render(ctx, user, null, UNKNOWN, null, 404); // not looked up again: one guess, counted once
        }
    }
}
