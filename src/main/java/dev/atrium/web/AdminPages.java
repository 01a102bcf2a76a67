package dev.atrium.web;

import dev.atrium.auth.AccountAdministration;
import dev.atrium.auth.Principal;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The site's administration ({@code /admin}), for site administrators only (anyone else gets the 404 of a page
 * that is not there): the accounts, found by name or email, to deactivate someone who left, reactivate them, set
 * a password, or unlink them from the identity provider, as {@code atrium admin} does from the command line.
 */
public final class AdminPages {
    private static final Logger LOG = LoggerFactory.getLogger(AdminPages.class);
    private static final int SHOWN = 200;

    /** One account as the page lists it. */
    public record AccountRow(String name, String email, boolean emailVerified, String joined, boolean admin,
                             boolean deactivated, boolean singleSignOn) {}

    private final Pages pages;
    private final Users users;
    private final AccountAdministration accounts;

    AdminPages(Pages pages, Users users, AccountAdministration accounts) {
        this.pages = pages;
        this.users = users;
        this.accounts = accounts;
    }

    void register(RoutesConfig routes) {
        routes.get("/admin", pages.page(ctx -> page(ctx, 200, null, null)));
        routes.post("/admin/users/{name}/deactivate", pages.page(ctx -> activation(ctx, true)));
        routes.post("/admin/users/{name}/reactivate", pages.page(ctx -> activation(ctx, false)));
        routes.post("/admin/users/{name}/password", pages.page(this::password));
        routes.post("/admin/users/{name}/sso-disconnect", pages.page(this::ssoDisconnect));
    }

    private static Principal siteAdmin(Context ctx) {
        Principal caller = SignedIn.require(ctx);
        if (!caller.user().isAdmin()) {
            throw new Errors.NotFound("Not found: " + ctx.path());
        }
        return caller;
    }

    private void page(Context ctx, int status, @Nullable String error, @Nullable String notice) {
        siteAdmin(ctx);
        String query = Optional.ofNullable(ctx.queryParam("q")).orElse("").strip();
        List<AccountRow> rows = users.list(query, SHOWN).stream().map(l -> new AccountRow(l.user().name(),
                l.user().email(), l.emailVerified(), Dates.iso(l.user().createdAt()).substring(0, 10),
                l.user().isAdmin(),
                l.deactivated(), l.singleSignOn())).toList();
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Administration"));
        params.put("accounts", rows);
        params.put("total", users.count());
        params.put("query", query);
        params.put("error", error);
        params.put("notice", notice);
        pages.render(ctx, status, "admin.jte", params);
    }

    private User account(Context ctx) {
        return users.byName(ctx.pathParam("name"))
                .orElseThrow(() -> new Errors.NotFound("No user called '" + ctx.pathParam("name") + "'"));
    }

    private void activation(Context ctx, boolean deactivate) {
        Principal admin = siteAdmin(ctx);
        User user = account(ctx);
        if (user.id().equals(admin.user().id())) {
            page(ctx, 400, "You cannot deactivate your own account here.", null);
            return;
        }
        accounts.setDeactivated(user, deactivate);
        LOG.info("{} {} {}", admin.user().name(), deactivate ? "deactivated" : "reactivated", user.name());
        ctx.redirect("/admin?q=" + Urls.query(user.name()), HttpStatus.SEE_OTHER);
    }

    private void ssoDisconnect(Context ctx) {
        Principal admin = siteAdmin(ctx);
        User user = account(ctx);
        int unlinked = accounts.disconnectSingleSignOn(user);
        LOG.info("{} unlinked {} from {} single sign-on identities", admin.user().name(), user.name(), unlinked);
        page(ctx, 200, null, unlinked == 0 ? user.name() + " was not linked to the identity provider."
                : "Unlinked " + user.name() + " from the identity provider: their next login through it joins the"
                + " account again by its verified email.");
    }

    private void password(Context ctx) {
        Principal admin = siteAdmin(ctx);
        User user = account(ctx);
        try {
            int ended = accounts.setPassword(user, Optional.ofNullable(ctx.formParam("password")).orElse(""));
            LOG.info("{} set the password of {}", admin.user().name(), user.name());
            page(ctx, 200, null, "Set the password of " + user.name() + "; signed out " + ended
                    + (ended == 1 ? " session." : " sessions."));
        } catch (IllegalArgumentException e) {
            page(ctx, 400, e.getMessage() + ".", null);
        }
    }
}
