package dev.atrium.org;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.OrgRole;
import dev.atrium.auth.Principal;
import dev.atrium.auth.TokenInfo;
import dev.atrium.auth.Tokens;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.follow.Followee;
import dev.atrium.follow.Follows;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.repo.RepoId;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Organizations over the API: create (an Atrium extension; the Hub has no public call for it), members (listing as
 * the Hub does; adding, changing roles and removing are Atrium extensions so they can be scripted), overviews.
 */
public final class OrgApi {
    /** As for user names: repos live under both, in one namespace. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{1,38}");

    private final Organizations orgs;
    private final Users users;
    private final AccessPolicy policy;
    private final Jdbi jdbi;
    private final BaseUrl baseUrl;
    private final AuditLog audit;
    private final Invites invites;
    private final Tokens tokens;
    private final Follows follows;

    public OrgApi(Organizations orgs, Users users, AccessPolicy policy, Jdbi jdbi, BaseUrl baseUrl, AuditLog audit,
                  Invites invites, Tokens tokens, Follows follows) {
        this.follows = follows;
        this.orgs = orgs;
        this.users = users;
        this.policy = policy;
        this.jdbi = jdbi;
        this.baseUrl = baseUrl;
        this.audit = audit;
        this.invites = invites;
        this.tokens = tokens;
    }

    public AuditLog audit() {
        return audit;
    }

    public Invites invites() {
        return invites;
    }

    public Organizations organizations() {
        return orgs;
    }

    public Follows follows() {
        return follows;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/organizations/new", this::create);
        routes.get("/api/organizations/{org}/members", this::members);
        routes.post("/api/organizations/{org}/members", this::addMember);
        routes.put("/api/organizations/{org}/members/{user}", this::changeRole);
        routes.delete("/api/organizations/{org}/members/{user}", this::removeMember);
        routes.get("/api/organizations/{org}/overview", this::orgOverview);
        routes.post("/api/organizations/{org}/invites", this::invite);
        routes.post("/api/organizations/{org}/invites/bulk", this::bulkInvite);
        routes.put("/api/organizations/{org}/settings", this::orgSettings);
        routes.post("/api/organizations/{org}/join", this::join);
        routes.get("/api/organizations/{org}/audit-log", this::auditLog);
        routes.get("/api/organizations/{org}/tokens", this::orgTokens);
        routes.delete("/api/organizations/{org}/tokens/{id}", this::revokeOrgToken);
        routes.get("/api/users/{user}/overview", this::userOverview);
    }

    private void create(Context ctx) {
        Principal caller = Caller.required(ctx);
        if (!caller.canWrite()) {
            throw new Errors.Forbidden("This token has the read role; use a token with the write role");
        }
        JsonNode body = Json.body(ctx);
        String name = Json.text(body, "name");
        String fullname = Json.text(body, "fullname");
        Organization org = create(caller.user(), name, fullname);
        Json.send(ctx, Map.of("name", org.name(), "fullname", org.fullname(), "url", baseUrl.of(ctx) + "/" + org.name()));
    }

    /** Creates an organization with {@code creator} as admin, after the checks a name must pass. */
    public Organization create(User creator, String name, String fullname) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new Errors.BadRequest("An organization name has 2 to 39 letters, digits, '-', '_' or '.', and starts"
                    + " with a letter or digit");
        }
        if (RepoId.isReservedNamespace(name)) {
            throw new Errors.BadRequest("The name '" + name + "' is reserved");
        }
        Organization org = orgs.create(name, fullname == null || fullname.isBlank() ? name : fullname.strip(), creator);
        audit.record(org.name(), creator, "org.create", org.name(), "");
        return org;
    }

    private Organization org(Context ctx) {
        return orgs.byName(ctx.pathParam("org"))
                .orElseThrow(() -> new Errors.NotFound("Organization " + ctx.pathParam("org") + " not found"));
    }

    private void members(Context ctx) {
        Organization org = org(ctx);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Organizations.Member m : orgs.members(org)) {
            out.addObject().put("user", m.user().name()).put("fullname", m.user().fullname()).put("type", "user")
                    .put("isPro", false).put("avatarUrl", baseUrl.of(ctx) + "/avatars/" + m.user().name())
                    .put("role", m.role().wireName());
        }
        Json.send(ctx, out);
    }

    private void addMember(Context ctx) {
        Organization org = org(ctx);
        requireAdmin(ctx, org);
        JsonNode body = Json.body(ctx);
        User user = user(Json.text(body, "username"));
        OrgRole role = role(Json.text(body, "role"));
        orgs.setRole(org, user, role);
        audit.record(org.name(), Caller.required(ctx).user(), "member.add", user.name(), role.wireName());
        Json.send(ctx, Map.of("user", user.name(), "role", role.wireName()));
    }

    private void changeRole(Context ctx) {
        Organization org = org(ctx);
        requireAdmin(ctx, org);
        User user = user(ctx.pathParam("user"));
        if (orgs.roleIn(org.name(), user.id()).isEmpty()) {
            throw new Errors.NotFound(user.name() + " is not a member of " + org.name());
        }
        OrgRole role = role(Json.text(Json.body(ctx), "role"));
        orgs.setRole(org, user, role);
        audit.record(org.name(), Caller.required(ctx).user(), "member.role", user.name(), role.wireName());
        Json.send(ctx, Map.of("user", user.name(), "role", role.wireName()));
    }

    /** Admins remove anyone; a member may leave. */
    private void removeMember(Context ctx) {
        Organization org = org(ctx);
        User user = user(ctx.pathParam("user"));
        Principal caller = Caller.required(ctx);
        if (!caller.user().id().equals(user.id())) {
            requireAdmin(ctx, org);
        } else if (!caller.canWrite()) {
            throw new Errors.Forbidden("This token has the read role; use a token with the write role");
        }
        if (!orgs.remove(org, user)) {
            throw new Errors.NotFound(user.name() + " is not a member of " + org.name());
        }
        audit.record(org.name(), caller.user(), caller.user().id().equals(user.id()) ? "member.leave"
                : "member.remove", user.name(), "");
        Json.send(ctx, Map.of());
    }

    /** An invitation link for a user name or an email address, to send them (Atrium sends no mail). */
    private void invite(Context ctx) {
        Organization org = org(ctx);
        requireAdmin(ctx, org);
        JsonNode body = Json.body(ctx);
        String invitee = Json.text(body, "invitee");
        if (invitee == null || invitee.isBlank() || invitee.length() > 320) {
            throw new Errors.BadRequest("'invitee' (a user name or an email address) is required");
        }
        Invites.Issued issued = invites.create(org, invitee.strip(), role(Json.text(body, "role")),
                Caller.required(ctx).user());
        audit.record(org.name(), Caller.required(ctx).user(), "member.invite", invitee.strip(),
                issued.invite().role().wireName());
        Json.send(ctx, Map.of("link", inviteLink(ctx, org, issued.secret()),
                "expiresAt", dev.atrium.http.Dates.iso(issued.invite().expiresAt())));
    }

    /** Marks an organization a classroom (or not): an Atrium extension. */
    private void orgSettings(Context ctx) {
        Organization org = org(ctx);
        requireAdmin(ctx, org);
        JsonNode body = Json.body(ctx);
        if (body.has("repoVisibility")) {
            setRepoVisibility(org, Caller.required(ctx).user(), RepoVisibility.parse(body.get("repoVisibility")
                    .asText("")));
        }
        if (body.has("classroom")) {
            orgs.setClassroom(org, body.get("classroom").asBoolean());
            audit.record(org.name(), Caller.required(ctx).user(), "org.classroom", org.name(),
                    String.valueOf(body.get("classroom").asBoolean()));
        }
        Json.send(ctx, Map.of("classroom", orgs.byName(org.name()).map(Organization::classroom).orElse(false),
                "repoVisibility", orgs.visibilityRule(org.name()).wireName()));
    }

    /** What the organization's new repos are when their maker does not say, or whether they may be public at all. */
    public void setRepoVisibility(Organization org, User actor, RepoVisibility.Rule rule) {
        orgs.setVisibilityRule(org, rule);
        audit.record(org.name(), actor, "org.repo-visibility", org.name(), rule.wireName());
    }

    /**
     * Invitations for a list of students: one user name or email per line (CSV; a second column may give the role,
     * else read). Answers one link per line, in order.
     */
    private void bulkInvite(Context ctx) {
        Organization org = org(ctx);
        requireAdmin(ctx, org);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Map.Entry<String, OrgRole> e : parseRoster(ctx.body()).entrySet()) {
            Invites.Issued issued = invites.create(org, e.getKey(), e.getValue(), Caller.required(ctx).user());
            audit.record(org.name(), Caller.required(ctx).user(), "member.invite", e.getKey(), e.getValue().wireName());
            out.addObject().put("invitee", e.getKey()).put("role", e.getValue().wireName())
                    .put("link", inviteLink(ctx, org, issued.secret()));
        }
        Json.send(ctx, out);
    }

    /** The roster of a bulk invitation: "name-or-email[,role]" lines; a header line and blank lines are skipped. */
    public static Map<String, OrgRole> parseRoster(String csv) {
        Map<String, OrgRole> out = new java.util.LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : csv.split("\r?\n")) {
            lineNumber++;
            String[] cells = line.split(",", -1);
            String invitee = cells[0].strip().replace("\"", "");
            if (invitee.isEmpty() || (lineNumber == 1 && invitee.equalsIgnoreCase("username"))
                    || (lineNumber == 1 && invitee.equalsIgnoreCase("email"))) {
                continue;
            }
            if (invitee.length() > 320) {
                throw new Errors.BadRequest("Line " + lineNumber + ": too long");
            }
            int at = lineNumber;
            OrgRole role = cells.length > 1 && !cells[1].isBlank() ? OrgRole.parse(cells[1].strip()).orElseThrow(() ->
                    new Errors.BadRequest("Line " + at + ": unknown role '" + cells[1].strip() + "'"))
                    : OrgRole.READ;
            out.put(invitee, role);
        }
        if (out.isEmpty()) {
            throw new Errors.BadRequest("The roster is empty: one user name or email per line");
        }
        if (out.size() > 1000) {
            throw new Errors.BadRequest("At most 1000 invitations at once");
        }
        return out;
    }

    public String inviteLink(Context ctx, Organization org, String secret) {
        return baseUrl.of(ctx) + "/organizations/" + org.name() + "/join/" + secret;
    }

    private void join(Context ctx) {
        Organization org = org(ctx);
        User user = Caller.required(ctx).user();
        String secret = Json.text(Json.body(ctx), "invite");
        Invites.Invite invite = invites.find(org.name(), secret == null ? "" : secret)
                .orElseThrow(() -> new Errors.NotFound("This invitation does not exist or has expired"));
        invites.accept(invite, user);
        audit.record(org.name(), user, "member.join", user.name(), invite.role().wireName());
        Json.send(ctx, Map.of("role", orgs.roleIn(org.name(), user.id()).map(OrgRole::wireName).orElse("")));
    }

    private void auditLog(Context ctx) {
        Organization org = org(ctx);
        requireAdmin(ctx, org);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (AuditLog.Entry e : audit.entries(org, 500)) {
            out.addObject().put("actor", e.actor()).put("action", e.action()).put("target", e.target())
                    .put("details", e.details()).put("time", dev.atrium.http.Dates.iso(e.at()));
        }
        Json.send(ctx, out);
    }

    /**
     * The tokens that can act on the organization's repos: its members' read and write tokens, and fine-grained
     * tokens whose scopes name the organization or one of its repos.
     */
    public java.util.List<Map.Entry<User, TokenInfo>> tokensWithAccess(Organization org) {
        java.util.List<Map.Entry<User, TokenInfo>> out = new java.util.ArrayList<>();
        for (Organizations.Member m : orgs.members(org)) {
            for (TokenInfo t : tokens.listFor(m.user())) {
                boolean reaches = t.scopes() == null || t.scopes().scoped().stream().anyMatch(s ->
                        s.name().equals(org.name()) || s.name().startsWith(org.name() + "/"));
                if (reaches) {
                    out.add(Map.entry(m.user(), t));
                }
            }
        }
        return out;
    }

    private void orgTokens(Context ctx) {
        Organization org = org(ctx);
        requireAdmin(ctx, org);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Map.Entry<User, TokenInfo> e : tokensWithAccess(org)) {
            ObjectNode item = e.getValue().describe(Json.MAPPER);
            item.put("user", e.getKey().name());
            out.add(item);
        }
        Json.send(ctx, out);
    }

    private void revokeOrgToken(Context ctx) {
        Organization org = org(ctx);
        requireAdmin(ctx, org);
        String id = ctx.pathParam("id");
        var found = tokensWithAccess(org).stream().filter(e -> e.getValue().id().equals(id)).findFirst()
                .orElseThrow(() -> new Errors.NotFound("No token " + id + " reaches " + org.name()));
        tokens.revoke(id);
        audit.record(org.name(), Caller.required(ctx).user(), "token.revoke", found.getKey().name(),
                found.getValue().displayName());
        Json.send(ctx, Map.of());
    }

    private void orgOverview(Context ctx) {
        Organization org = org(ctx);
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("name", org.name()).put("fullname", org.fullname()).put("type", "org")
                .put("avatarUrl", baseUrl.of(ctx) + "/avatars/" + org.name()).put("isVerified", false)
                .put("isFollowing", isFollowing(ctx, Followee.of(org))).put("numUsers", orgs.memberCount(org))
                .put("numFollowers", follows.followerCount(Followee.of(org)))
                .put("numPapers", 0).put("plan", "team");
        counts(ctx, org.name(), out);
        Json.send(ctx, out);
    }

    private void userOverview(Context ctx) {
        User user = user(ctx.pathParam("user"));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("user", user.name()).put("fullname", user.fullname()).put("type", "user").put("isPro", false)
                .put("avatarUrl", baseUrl.of(ctx) + "/avatars/" + user.name())
                .put("createdAt", dev.atrium.http.Dates.iso(user.createdAt()))
                .put("numFollowers", follows.followerCount(Followee.of(user)))
                .put("numFollowing", follows.followingCount(user.id()))
                .put("isFollowing", isFollowing(ctx, Followee.of(user)));
        counts(ctx, user.name(), out);
        ArrayNode list = out.putArray("orgs");
        for (Organizations.Membership m : orgs.of(user)) {
            list.addObject().put("name", m.org().name()).put("fullname", m.org().fullname())
                    .put("avatarUrl", baseUrl.of(ctx) + "/avatars/" + m.org().name());
        }
        Json.send(ctx, out);
    }

    private boolean isFollowing(Context ctx, Followee target) {
        Principal caller = Caller.of(ctx);
        return caller != null && follows.isFollowing(caller.user(), target);
    }

    /** numModels, numDatasets, numSpaces: the repos under {@code namespace} that the caller may see. */
    private void counts(Context ctx, String namespace, ObjectNode out) {
        AccessPolicy.SqlCondition readable = policy.readableRepos(Caller.of(ctx));
        Map<String, Object> params = new HashMap<>(readable.parameters());
        params.put("ns", namespace);
        Map<String, Long> byType = new HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT r.type, COUNT(*) FROM repos r WHERE r.namespace = :ns AND "
                        + readable.sql() + " GROUP BY r.type")
                .bindMap(params).map((rs, c) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(e -> byType.put(e.getKey(), e.getValue())));
        out.put("numModels", byType.getOrDefault("MODEL", 0L));
        out.put("numDatasets", byType.getOrDefault("DATASET", 0L));
        out.put("numSpaces", byType.getOrDefault("SPACE", 0L));
    }

    private void requireAdmin(Context ctx, Organization org) {
        Principal caller = Caller.required(ctx);
        boolean admin = caller.user().isAdmin()
                || policy.role(caller, org.name()).filter(r -> r == OrgRole.ADMIN).isPresent();
        if (!admin || !caller.canWrite()) {
            throw new Errors.Forbidden("Only an admin of " + org.name() + ", with a write token, can manage its members");
        }
    }

    private User user(String name) {
        if (name == null) {
            throw new Errors.BadRequest("'username' is required");
        }
        return users.byName(name).orElseThrow(() -> new Errors.NotFound("User " + name + " not found"));
    }

    private static OrgRole role(String text) {
        return OrgRole.parse(text == null ? "" : text).orElseThrow(() -> new Errors.BadRequest(
                "'role' must be one of read, contributor, write, admin"));
    }
}
