package dev.atrium.web;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Users;
import dev.atrium.auth.Principal;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.notification.Notifications;
import dev.atrium.repo.Repo;
import dev.atrium.repo.Repos;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The inbox ({@code /notifications}): the discussions and pull requests a user follows, unread first in their minds
 * and newest first on the page; the header shows how many are unread on every page. Opening a thread reads it
 * ({@link DiscussionPages}).
 */
public final class NotificationPages {
    private static final int SHOWN = 100;

    /** One line of the inbox; {@code status} is null for a repo's access requests (not a thread). */
    public record Row(String repoId, String href, String title, int num, boolean isPr, @Nullable String status,
                      String reason, @Nullable String actor, String date, boolean unread) {}

    private final Pages pages;
    private final Notifications notifications;
    private final Repos repos;
    private final AccessPolicy policy;
    private final Users users;
    private final boolean mailEnabled;

    NotificationPages(Pages pages, Notifications notifications, Repos repos, AccessPolicy policy, Users users,
                      boolean mailEnabled) {
        this.users = users;
        this.mailEnabled = mailEnabled;
        this.pages = pages;
        this.notifications = notifications;
        this.repos = repos;
        this.policy = policy;
    }

    void register(RoutesConfig routes) {
        routes.before(ctx -> {
            if (SignedIn.is(ctx)) {
                String userId = Caller.of(ctx).user().id();
                ctx.attribute(Frame.UNREAD, (IntSupplier) () -> notifications.unreadCount(userId));
            }
        });
        routes.get("/notifications", pages.page(this::page));
        routes.post("/notifications/read-all", pages.page(ctx -> {
            notifications.markAllRead(SignedIn.require(ctx).user().id());
            ctx.redirect("/notifications", io.javalin.http.HttpStatus.SEE_OTHER);
        }));
        routes.post("/notifications/mail", pages.page(ctx -> {
            users.setMailNotifications(SignedIn.require(ctx).user().id(), "on".equals(ctx.formParam("mail")));
            ctx.redirect("/notifications", io.javalin.http.HttpStatus.SEE_OTHER);
        }));
    }

    private void page(Context ctx) {
        Principal viewer = SignedIn.require(ctx);
        String userId = viewer.user().id();
        List<Row> rows = new ArrayList<>();
        Map<String, Optional<Repo>> seen = new HashMap<>();
        for (Notifications.Notice n : notifications.latest(userId, SHOWN)) {
            Optional<Repo> repo = seen.computeIfAbsent(n.repoId(), repos::findById);
            // Read access is checked as the list is shown: a repo made private, or an organization left, takes its
            // threads out of the inbox (and its count) for good.
            if (repo.isEmpty() || !policy.canRead(viewer, repo.get())) {
                notifications.forget(userId, n.repoId());
                continue;
            }
            Repo r = repo.get();
            String base = "/" + r.type().urlPrefix() + r.repoId();
            String date = Dates.iso(n.updatedAt()).substring(0, 10);
            if (n.isAccessRequests()) {
                rows.add(new Row(r.repoId().toString(), base + "/settings#gated-title", "Access requests to review",
                        n.num(), false, null, n.reason().text(), n.actor(), date, n.unread()));
            } else {
                rows.add(new Row(r.repoId().toString(), base + "/discussions/" + n.num(), n.title(), n.num(),
                        n.isPr(), n.status(), n.reason().text(), n.actor(), date, n.unread()));
            }
        }
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Notifications"));
        params.put("rows", rows);
        params.put("mailEnabled", mailEnabled);
        params.put("mailOn", users.mailNotifications(userId));
        params.put("emailVerified", users.emailVerified(userId));
        pages.render(ctx, 200, "notifications.jte", params);
    }
}
