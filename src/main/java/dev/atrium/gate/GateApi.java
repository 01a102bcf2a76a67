package dev.atrium.gate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.AccessRequestStatus;
import dev.atrium.auth.Principal;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.org.AuditLog;
import dev.atrium.repo.Repo;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * Access requests to gated repos, as the Hub's API: ask ({@code ask-access}, JSON or a form with the fields the card
 * declares in {@code extra_gated_fields}), and for the repo's owners: list by status, accept, reject, cancel (back to
 * pending) and grant.
 */
public final class GateApi {
    private static final int MAX_FIELDS = 16 * 1024;
    /** Requests a page lists (the client follows the Link header); a popular gated repo has tens of thousands. */
    private static final int PAGE = 100;
    private static final int MAX_PAGE = 1000;

    private final RepoLookup lookup;
    private final AccessPolicy policy;
    private final Gates gates;
    private final Users users;
    private final AuditLog audit;
    private final BaseUrl baseUrl;

    public GateApi(RepoLookup lookup, AccessPolicy policy, Gates gates, Users users, AuditLog audit,
                   BaseUrl baseUrl) {
        this.baseUrl = baseUrl;
        this.lookup = lookup;
        this.policy = policy;
        this.gates = gates;
        this.users = users;
        this.audit = audit;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/{type}/{ns}/{name}/ask-access", this::ask);
        routes.get("/api/{type}/{ns}/{name}/user-access-request/{status}", this::list);
        routes.post("/api/{type}/{ns}/{name}/user-access-request/handle", this::handle);
        routes.post("/api/{type}/{ns}/{name}/user-access-request/grant", this::grant);
    }

    private Repo repo(Context ctx, AccessPolicy.Action action) {
        return lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"), ctx.pathParam("name"),
                action);
    }

    /** The repo, for someone who may administer its namespace (its owner, an organization's admins). */
    private Repo administered(Context ctx) {
        Repo repo = repo(ctx, AccessPolicy.Action.WRITE);
        policy.requireNamespaceAdmin(Caller.required(ctx), repo.repoId().namespace());
        return repo;
    }

    private void ask(Context ctx) {
        Repo repo = repo(ctx, AccessPolicy.Action.READ);
        Principal caller = Caller.required(ctx);
        Gates.Mode mode = gates.mode(repo.id())
                .orElseThrow(() -> new Errors.BadRequest(repo.repoId() + " is not gated: its files are open"));
        AccessRequestStatus status = gates.ask(repo.id(), caller.user(), fields(ctx), mode);
        Json.send(ctx, Map.of("status", status.wireName()));
    }

    /** What the requester filled in, kept as JSON: from a JSON body, or from a form (the page's request form). */
    private static String fields(Context ctx) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        String type = Optional.ofNullable(ctx.contentType()).orElse("");
        if (type.startsWith("application/json")) {
            JsonNode body = Json.body(ctx);
            if (body != null && body.isObject()) {
                body.fields().forEachRemaining(e -> {
                    if (!e.getKey().equals("csrf")) {
                        out.set(e.getKey(), e.getValue());
                    }
                });
            }
        } else {
            ctx.formParamMap().forEach((k, v) -> {
                if (!k.equals("csrf") && !v.isEmpty()) {
                    out.put(k, v.get(0));
                }
            });
        }
        String json = out.toString();
        if (json.length() > MAX_FIELDS) {
            throw new Errors.BadRequest("The request's fields are larger than " + MAX_FIELDS / 1024 + " KiB");
        }
        return json;
    }

    private void list(Context ctx) {
        Repo repo = administered(ctx);
        AccessRequestStatus status = AccessRequestStatus.parse(ctx.pathParam("status")).orElseThrow(() ->
                new Errors.NotFound("Unknown status: use pending, accepted or rejected"));
        Gates.RequestPage page;
        try {
            page = gates.requests(repo.id(), status, ctx.queryParam("cursor"),
                    Pagination.intParam(ctx, "limit", PAGE, MAX_PAGE));
        } catch (IllegalArgumentException e) {
            throw new Errors.BadRequest("Invalid cursor");
        }
        if (page.next() != null) {
            Pagination.linkNext(ctx, baseUrl, "cursor", page.next());
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Gates.Request r : page.items()) {
            ObjectNode item = out.addObject();
            item.putObject("user").put("user", r.user().name()).put("fullname", r.user().fullname())
                    .put("email", r.sharedEmail()).put("type", "user");
            item.put("status", r.status().wireName());
            item.put("timestamp", Dates.iso(r.updatedAt()));
            try {
                item.set("fields", Json.MAPPER.readTree(r.fieldsJson()));
            } catch (java.io.IOException e) {
                item.putObject("fields");
            }
        }
        Json.send(ctx, out);
    }

    private void handle(Context ctx) {
        Repo repo = administered(ctx);
        JsonNode body = Json.body(ctx);
        User user = user(Json.text(body, "user"));
        AccessRequestStatus status = AccessRequestStatus.parse(Optional.ofNullable(Json.text(body, "status")).orElse(""))
                .orElseThrow(() -> new Errors.BadRequest("'status' must be accepted, rejected or pending"));
        Optional<AccessRequestStatus> current = gates.requestStatus(repo.id(), user.id());
        if (current.isEmpty()) {
            throw new Errors.NotFound(user.name() + " has not requested access to " + repo.repoId());
        }
        if (current.get() == status) {
            // As on the Hub: an answer given twice (a second click, two owners at once) is told, not repeated.
            throw new Errors.Conflict(user.name() + "'s request for " + repo.repoId() + " is already "
                    + status.wireName());
        }
        gates.set(repo.id(), user, status, Json.text(body, "rejectionReason"), false);
        recordAnswer(ctx, repo, user, status);
        Json.send(ctx, Map.of());
    }

    private void grant(Context ctx) {
        Repo repo = administered(ctx);
        User user = user(Json.text(Json.body(ctx), "user"));
        if (gates.requestStatus(repo.id(), user.id()).filter(s -> s == AccessRequestStatus.ACCEPTED).isPresent()) {
            throw new Errors.Conflict(user.name() + " already has access to " + repo.repoId());
        }
        gates.set(repo.id(), user, AccessRequestStatus.ACCEPTED, null, true);
        recordAnswer(ctx, repo, user, AccessRequestStatus.ACCEPTED);
        Json.send(ctx, Map.of());
    }

    /** Who let whom into a gated repo (or out of it) is in the namespace's audit log, as from the settings page. */
    private void recordAnswer(Context ctx, Repo repo, User user, AccessRequestStatus status) {
        audit.recordOnRepo(repo, Caller.required(ctx).user(), "repo.access-request",
                user.name() + " " + status.wireName());
    }

    private User user(String name) {
        if (name == null) {
            throw new Errors.BadRequest("'user' is required");
        }
        return users.byName(name).orElseThrow(() -> new Errors.NotFound("User " + name + " not found"));
    }
}
