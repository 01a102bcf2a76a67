package dev.atrium.web;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.OrgRole;
import dev.atrium.auth.Principal;
import dev.atrium.auth.TokenInfo;
import dev.atrium.auth.Tokens;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.HubException;
import dev.atrium.org.AuditLog;
import dev.atrium.org.Invites;
import dev.atrium.org.OrgApi;
import dev.atrium.org.RepoVisibility;
import dev.atrium.org.Organization;
import dev.atrium.org.Organizations;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An organization's settings for its admins (members, invitations, tokens, audit log) and the invitation page. */
public final class OrgPages {
    public record MemberRow(String name, String role) {}

    public record TokenRow(String id, String user, String name, String role, String lastUsed) {}

    public record LogRow(String time, String actor, String action, String target, String details) {}

    /** A classroom's student and the repos they created in it. */
    public record StudentRow(String name, List<RepoViews.Link> repos) {}

    public record InviteRow(String invitee, String link) {}

    private final Pages pages;
    private final OrgApi orgApi;
    private final Organizations orgs;
    private final Users users;
    private final Tokens tokens;
    private final AccessPolicy policy;
    private final RepoVisibility visibility;

    OrgPages(Pages pages, OrgApi orgApi, Users users, Tokens tokens, AccessPolicy policy, RepoVisibility visibility) {
        this.visibility = visibility;
        this.pages = pages;
        this.orgApi = orgApi;
        this.orgs = orgApi.organizations();
        this.users = users;
        this.tokens = tokens;
        this.policy = policy;
    }

    void register(RoutesConfig routes) {
        routes.get("/organizations/{org}/settings", pages.page(ctx -> settings(ctx, 200, null, null)));
        routes.post("/organizations/{org}/settings/members", pages.page(this::changeMember));
        routes.post("/organizations/{org}/settings/invite", pages.page(this::invite));
        routes.post("/organizations/{org}/settings/classroom", pages.page(this::classroom));
        routes.post("/organizations/{org}/settings/visibility", pages.page(this::repoVisibility));
        routes.post("/organizations/{org}/settings/roster", pages.page(this::roster));
        routes.post("/organizations/{org}/settings/tokens/{id}/revoke", pages.page(this::revokeToken));
        routes.get("/organizations/{org}/join/{secret}", pages.page(ctx -> joinPage(ctx, null)));
        routes.post("/organizations/{org}/join/{secret}", pages.page(this::join));
    }

    private Organization administered(Context ctx) {
        Principal caller = SignedIn.require(ctx);
        Organization org = orgs.byName(ctx.pathParam("org")).orElseThrow(() -> new Errors.NotFound("No such organization"));
        if (!caller.user().isAdmin() && policy.role(caller, org.name()).filter(r -> r == OrgRole.ADMIN).isEmpty()) {
            throw new Errors.Forbidden("Only the admins of " + org.name() + " can see its settings");
        }
        return org;
    }

    private void settings(Context ctx, int status, String error, String inviteLink) {
        settings(ctx, status, error, inviteLink, List.of());
    }

    private void settings(Context ctx, int status, String error, String inviteLink, List<InviteRow> rosterLinks) {
        Organization org = administered(ctx);
        List<MemberRow> members = orgs.members(org).stream()
                .map(m -> new MemberRow(m.user().name(), m.role().wireName())).toList();
        List<TokenRow> tokenRows = new ArrayList<>();
        for (Map.Entry<User, TokenInfo> e : orgApi.tokensWithAccess(org)) {
            TokenInfo t = e.getValue();
            tokenRows.add(new TokenRow(t.id(), e.getKey().name(), t.displayName(), t.role().wireName(),
                    t.lastUsedAt() == null ? "never" : Dates.iso(t.lastUsedAt()).substring(0, 16).replace('T', ' ')));
        }
        List<LogRow> log = new ArrayList<>();
        for (AuditLog.Entry e : orgApi.audit().entries(org, 200)) {
            log.add(new LogRow(Dates.iso(e.at()).substring(0, 19).replace('T', ' '), e.actor(), e.action(), e.target(),
                    e.details()));
        }
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, org.name() + " settings"));
        params.put("org", org.name());
        params.put("members", members);
        params.put("tokens", tokenRows);
        params.put("log", log);
        params.put("error", error);
        params.put("inviteLink", inviteLink);
        params.put("classroom", org.classroom());
        params.put("repoVisibility", visibility.rule(org.name()).wireName());
        params.put("rosterLinks", rosterLinks);
        params.put("students", org.classroom() ? students(org) : List.of());
        pages.render(ctx, status, "org/settings.jte", params);
    }

    private void changeMember(Context ctx) {
        Organization org = administered(ctx);
        User actor = Caller.required(ctx).user();
        String name = Optional.ofNullable(ctx.formParam("user")).orElse("");
        try {
            User user = users.byName(name).orElseThrow(() -> new Errors.NotFound("No user named " + name));
            String role = Optional.ofNullable(ctx.formParam("role")).orElse("");
            if (role.equals("remove")) {
                orgs.remove(org, user);
                orgApi.audit().record(org.name(), actor, "member.remove", user.name(), "");
            } else {
                OrgRole newRole = OrgRole.parse(role).orElseThrow(() -> new Errors.BadRequest("Unknown role " + role));
                orgs.setRole(org, user, newRole);
                orgApi.audit().record(org.name(), actor, "member.role", user.name(), newRole.wireName());
            }
            ctx.redirect("/organizations/" + org.name() + "/settings", HttpStatus.SEE_OTHER);
        } catch (HubException e) {
            settings(ctx, e.status(), e.getMessage(), null);
        }
    }

    private void invite(Context ctx) {
        Organization org = administered(ctx);
        String invitee = Optional.ofNullable(ctx.formParam("invitee")).orElse("").strip();
        Optional<OrgRole> role = OrgRole.parse(Optional.ofNullable(ctx.formParam("role")).orElse(""));
        if (invitee.isEmpty() || invitee.length() > 320 || role.isEmpty()) {
            settings(ctx, 400, "Give a user name or an email address, and a role.", null);
            return;
        }
        Invites.Issued issued = orgApi.invites().create(org, invitee, role.get(), Caller.required(ctx).user());
        orgApi.audit().record(org.name(), Caller.required(ctx).user(), "member.invite", invitee, role.get().wireName());
        settings(ctx, 200, null, orgApi.inviteLink(ctx, org, issued.secret()));
    }

    /** Each student (a member who is not an admin) and the repos they created in the classroom. */
    private List<StudentRow> students(Organization org) {
        Map<String, List<RepoViews.Link>> created = new HashMap<>();
        for (AuditLog.Entry e : orgApi.audit().entries(org, 5000)) {
            String[] kindAndId = e.target().split(" ", 2);
            if (e.action().equals("repo.create") && kindAndId.length == 2) {
                String prefix = dev.atrium.repo.RepoType.fromSingular(kindAndId[0]).map(t -> t.urlPrefix()).orElse("");
                created.computeIfAbsent(e.actor(), k -> new ArrayList<>())
                        .add(new RepoViews.Link(kindAndId[1], "/" + prefix + kindAndId[1]));
            }
        }
        List<StudentRow> out = new ArrayList<>();
        for (Organizations.Member m : orgs.members(org)) {
            if (m.role() != OrgRole.ADMIN) {
                out.add(new StudentRow(m.user().name(), created.getOrDefault(m.user().name(), List.of())));
            }
        }
        return out;
    }

    private void classroom(Context ctx) {
        Organization org = administered(ctx);
        boolean on = "on".equals(ctx.formParam("classroom"));
        orgs.setClassroom(org, on);
        orgApi.audit().record(org.name(), Caller.required(ctx).user(), "org.classroom", org.name(), String.valueOf(on));
        ctx.redirect("/organizations/" + org.name() + "/settings", HttpStatus.SEE_OTHER);
    }

    private void repoVisibility(Context ctx) {
        Organization org = administered(ctx);
        try {
            orgApi.setRepoVisibility(org, Caller.required(ctx).user(),
                    RepoVisibility.parse(Optional.ofNullable(ctx.formParam("repoVisibility")).orElse("")));
        } catch (HubException e) {
            settings(ctx, e.status(), e.getMessage(), null);
            return;
        }
        ctx.redirect("/organizations/" + org.name() + "/settings#visibility-title", HttpStatus.SEE_OTHER);
    }

    /** A pasted roster: one invitation link per student, shown to copy into an email or the course's page. */
    private void roster(Context ctx) {
        Organization org = administered(ctx);
        Map<String, OrgRole> roster;
        try {
            roster = OrgApi.parseRoster(Optional.ofNullable(ctx.formParam("roster")).orElse(""));
        } catch (HubException e) {
            settings(ctx, e.status(), e.getMessage(), null);
            return;
        }
        List<InviteRow> links = new ArrayList<>();
        User by = Caller.required(ctx).user();
        roster.forEach((invitee, role) -> {
            Invites.Issued issued = orgApi.invites().create(org, invitee, role, by);
            orgApi.audit().record(org.name(), by, "member.invite", invitee, role.wireName());
            links.add(new InviteRow(invitee, orgApi.inviteLink(ctx, org, issued.secret())));
        });
        settings(ctx, 200, null, null, links);
    }

    private void revokeToken(Context ctx) {
        Organization org = administered(ctx);
        String id = ctx.pathParam("id");
        var found = orgApi.tokensWithAccess(org).stream().filter(e -> e.getValue().id().equals(id)).findFirst()
                .orElseThrow(() -> new Errors.NotFound("No such token"));
        tokens.revoke(id);
        orgApi.audit().record(org.name(), Caller.required(ctx).user(), "token.revoke", found.getKey().name(),
                found.getValue().displayName());
        ctx.redirect("/organizations/" + org.name() + "/settings", HttpStatus.SEE_OTHER);
    }

    private Invites.Invite invitation(Context ctx) {
        return orgApi.invites().find(ctx.pathParam("org"), ctx.pathParam("secret"))
                .orElseThrow(() -> new Errors.NotFound("This invitation does not exist or has expired"));
    }

    private void joinPage(Context ctx, String error) {
        SignedIn.require(ctx);
        Invites.Invite invite = invitation(ctx);
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Join " + invite.org().name()));
        params.put("org", invite.org().name());
        params.put("role", invite.role().wireName());
        params.put("error", error);
        pages.render(ctx, error == null ? 200 : 403, "org/join.jte", params);
    }

    private void join(Context ctx) {
        User user = Caller.required(ctx).user();
        Invites.Invite invite = invitation(ctx);
        try {
            orgApi.invites().accept(invite, user);
        } catch (HubException e) {
            joinPage(ctx, e.getMessage());
            return;
        }
        orgApi.audit().record(invite.org().name(), user, "member.join", user.name(), invite.role().wireName());
        ctx.redirect("/" + invite.org().name(), HttpStatus.SEE_OTHER);
    }
}
