package dev.atrium.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.http.BaseUrl;
import dev.atrium.org.AuditLog;
import dev.atrium.org.RepoVisibility;
import dev.atrium.usage.Quotas;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import dev.atrium.space.SpaceProcesses;
import dev.atrium.space.SpaceRuntimeRequest;
import dev.atrium.space.SpaceVariables;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.lib.PersonIdent;

/** {@code /api/repos/create|delete|move}, {@code /api/{type}/{id}/settings} and {@code .../duplicate}. */
public final class RepoLifecycleApi {
    private static final Set<String> SPACE_SDKS = Set.of("gradio", "streamlit", "docker", "static");

    private final UnaryOperator<String> organizationAsRegistered;
    private final RepoService repoService;
    private final Repos repos;
    private final RepoLookup lookup;
    private final AccessPolicy policy;
    private final BaseUrl baseUrl;
    private final Clock clock;
    private final GateSetter gates;
    private final AuditLog audit;
    private final Quotas quotas;
    private final RepoDuplication duplication;

    /** Gates a repo's files ({@code "auto"} or {@code "manual"}) or opens them (empty). */
    @FunctionalInterface
    public interface GateSetter {
        void set(Repo repo, Optional<String> mode);
    }

    private final SpaceVariables spaceVariables;
    private final SpaceProcesses spaces;
    /** What a repo made without a visibility is ({@code --default-visibility}). */
    private final RepoVisibility visibility;

    public RepoLifecycleApi(RepoService repoService, Repos repos, RepoLookup lookup, AccessPolicy policy,
                            BaseUrl baseUrl, Clock clock, GateSetter gates,
                            AuditLog audit, Quotas quotas, RepoDuplication duplication,
                            SpaceVariables spaceVariables, SpaceProcesses spaces,
                            UnaryOperator<String> organizationAsRegistered, RepoVisibility visibility) {
        this.organizationAsRegistered = organizationAsRegistered;
        this.visibility = visibility;
        this.spaceVariables = spaceVariables;
        this.spaces = spaces;
        this.repoService = repoService;
        this.repos = repos;
        this.lookup = lookup;
        this.policy = policy;
        this.baseUrl = baseUrl;
        this.clock = clock;
        this.gates = gates;
        this.audit = audit;
        this.quotas = quotas;
        this.duplication = duplication;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/repos/create", this::create);
        routes.delete("/api/repos/delete", this::delete);
        routes.post("/api/repos/move", this::move);
        routes.put("/api/{type}/{ns}/{name}/settings", this::settings);
        routes.post("/api/{type}/{ns}/{name}/duplicate", this::duplicate);
    }

    private void create(Context ctx) throws java.io.IOException {
        Principal caller = Caller.required(ctx);
        JsonNode body = Json.body(ctx);
        RepoType type = typeFromBody(body);
        Named named = namedInBody(body, caller);
        RepoId id = new RepoId(organizationAsRegistered.apply(named.namespace()), named.name());
        policy.requireNamespaceWrite(caller, id.namespace());
        String sdk = null;
        if (type == RepoType.SPACE) {
            sdk = Json.text(body, "sdk");
            if (sdk == null || !SPACE_SDKS.contains(sdk)) {
                throw new Errors.BadRequest("Spaces need an 'sdk': one of " + SPACE_SDKS);
            }
        }
        boolean isPrivate = visibility.forNew(id.namespace(), askedPrivate(body));
        if (isPrivate) {
            quotas.requirePrivateRepo(id.namespace());
        }
        List<SpaceVariables.Setting> secrets = type == RepoType.SPACE ? SpaceVariables.requested(body, "secrets")
                : List.of();
        List<SpaceVariables.Setting> variables = type == RepoType.SPACE
                ? SpaceVariables.requested(body, "variables") : List.of();
        SpaceRuntimeRequest runtime = spaceRuntime(type, body);
        Map<String, byte[]> files = InitialFiles.of(body, type);
        try {
            Repo repo = repoService.create(type, id, isPrivate, sdk,
                    new PersonIdent(caller.user().name(), caller.user().email()), files);
            spaceVariables.putAll(repo, secrets, true);
            spaceVariables.putAll(repo, variables, false);
            spaces.apply(repo, runtime);
            audit.record(id.namespace(), caller.user(), "repo.create", AuditLog.target(type, id),
                    isPrivate ? "private" : "public");
            Json.send(ctx, Map.of("url", repoUrl(ctx, repo), "name", id.toString(), "id", repo.id()));
        } catch (Errors.Conflict e) {
            sendConflict(ctx, type, id, e);
        }
    }

    /**
     * {@code POST /api/{type}/{ns}/{name}/duplicate}: copies a repo the caller may download from into a namespace
     * they may write to. The copy keeps the source's visibility unless the body says otherwise, so a private repo
     * is never copied into public view by default. A Space's copy gets its variables (not its secrets), then the
     * secrets and variables in the body, and the hardware and sleep time asked for.
     */
    private void duplicate(Context ctx) throws java.io.IOException {
        Principal caller = Caller.required(ctx);
        RepoType type = RepoLookup.typeOf(ctx.pathParam("type"));
        // What is copied is the files: a gated repo's copy needs the access a download needs.
        Repo source = lookup.load(ctx, type, ctx.pathParam("ns"), ctx.pathParam("name"), AccessPolicy.Action.DOWNLOAD);
        JsonNode body = Json.body(ctx);
        String target = Json.text(body, "repository");
        if (target == null) {
            throw new Errors.BadRequest("'repository' is required: the new repo's namespace/name");
        }
        RepoId to = asRegistered(RepoId.parse(target));
        boolean isPrivate = visibilityIsPrivate(body, source.isPrivate());
        List<SpaceVariables.Setting> secrets = type == RepoType.SPACE ? SpaceVariables.requested(body, "secrets")
                : List.of();
        List<SpaceVariables.Setting> variables = type == RepoType.SPACE
                ? SpaceVariables.requested(body, "variables") : List.of();
        SpaceRuntimeRequest runtime = spaceRuntime(type, body);
        try {
            Repo copy = duplication.duplicate(caller, source, to, isPrivate);
            if (type == RepoType.SPACE) {
                spaceVariables.copyVariables(source, copy);
                spaceVariables.putAll(copy, secrets, true);
                spaceVariables.putAll(copy, variables, false);
                spaces.apply(copy, runtime);
            }
            Json.send(ctx, Map.of("url", repoUrl(ctx, copy), "name", to.toString(), "id", copy.id()));
        } catch (Errors.Conflict e) {
            sendConflict(ctx, type, to, e);
        }
    }

    /** What a new Space asks of its runtime, checked before it is made; nothing for other repos. */
    private SpaceRuntimeRequest spaceRuntime(RepoType type, JsonNode body) {
        if (type != RepoType.SPACE) {
            return new SpaceRuntimeRequest(null, null);
        }
        SpaceRuntimeRequest request = SpaceRuntimeRequest.of(body);
        spaces.check(request);
        return request;
    }

    /** A 409 that also names the existing repo's URL: clients with {@code exist_ok} read it from the body. */
    private void sendConflict(Context ctx, RepoType type, RepoId id, Errors.Conflict e) {
        Map<String, Object> bodyOut = new LinkedHashMap<>();
        bodyOut.put("error", e.getMessage());
        bodyOut.put("url", baseUrl.of(ctx) + "/" + type.urlPrefix() + id);
        Json.send(ctx, 409, bodyOut);
    }

    private void delete(Context ctx) throws java.io.IOException {
        Principal caller = Caller.required(ctx);
        JsonNode body = Json.body(ctx);
        RepoType type = typeFromBody(body);
        Named named = namedInBody(body, caller);
        Repo repo = lookup.load(ctx, type, named.namespace(), named.name(), AccessPolicy.Action.WRITE);
        policy.requireNamespaceAdmin(caller, repo.repoId().namespace());
        repoService.delete(repo);
        audit.recordOnRepo(repo, caller.user(), "repo.delete", "");
        Json.send(ctx, Map.of());
    }

    private void move(Context ctx) throws java.io.IOException {
        Principal caller = Caller.required(ctx);
        JsonNode body = Json.body(ctx);
        RepoType type = typeFromBody(body);
        String from = Json.text(body, "fromRepo");
        String to = Json.text(body, "toRepo");
        if (from == null || to == null) {
            throw new Errors.BadRequest("'fromRepo' and 'toRepo' are required");
        }
        RepoId fromId = RepoId.parse(from);
        RepoId toId = asRegistered(RepoId.parse(to));
        Repo repo = lookup.load(ctx, type, fromId.namespace(), fromId.name(), AccessPolicy.Action.WRITE);
        policy.requireNamespaceAdmin(caller, fromId.namespace());
        policy.requireNamespaceAdmin(caller, toId.namespace());
        visibility.requireAllowed(toId.namespace(), repo.isPrivate());
        Repo moved = repoService.move(repo, toId);
        for (String ns : new java.util.LinkedHashSet<>(java.util.List.of(fromId.namespace(), toId.namespace()))) {
            audit.record(ns, caller.user(), "repo.move", AuditLog.target(type, fromId) + " -> " + toId, "");
        }
        Json.send(ctx, Map.of("url", repoUrl(ctx, moved)));
    }

    private void settings(Context ctx) {
        RepoType type = RepoLookup.typeOf(ctx.pathParam("type"));
        Repo repo = lookup.load(ctx, type, ctx.pathParam("ns"), ctx.pathParam("name"), AccessPolicy.Action.WRITE);
        policy.requireNamespaceAdmin(Caller.required(ctx), repo.repoId().namespace()); // visibility: owners only
        JsonNode body = Json.body(ctx);
        if (body.has("gated") && !body.get("gated").isNull()) {
            JsonNode gated = body.get("gated");
            if (gated.isBoolean() && !gated.asBoolean()) {
                gates.set(repo, Optional.empty());
                audit.recordOnRepo(repo, Caller.required(ctx).user(), "repo.gate", "open");
            } else if (gated.isTextual() && (gated.asText().equals("auto") || gated.asText().equals("manual"))) {
                gates.set(repo, Optional.of(gated.asText()));
                audit.recordOnRepo(repo, Caller.required(ctx).user(), "repo.gate", gated.asText());
            } else {
                throw new Errors.BadRequest("'gated' must be \"auto\", \"manual\" or false");
            }
        }
        if (body.has("visibility") || body.has("private")) {
            boolean makePrivate = visibilityIsPrivate(body, repo.isPrivate());
            visibility.requireAllowed(repo.repoId().namespace(), makePrivate);
            if (makePrivate && !repo.isPrivate()) {
                quotas.requirePrivateRepo(repo.repoId().namespace());
            }
            repos.setPrivate(repo, makePrivate, clock.millis());
            audit.recordOnRepo(repo, Caller.required(ctx).user(), "repo.visibility",
                    makePrivate ? "private" : "public");
        }
        Json.send(ctx, Map.of());
    }

    /** An organization's namespace spelled as it was registered: ids ignore case, as on the Hub. */
    private RepoId asRegistered(RepoId id) {
        return new RepoId(organizationAsRegistered.apply(id.namespace()), id.name());
    }

    /** The repo a create or delete body names, not yet validated. */
    private record Named(String namespace, String name) {}

    /**
     * {@code name} with {@code organization} as its namespace; a {@code name} of the form {@code ns/name} carries
     * its own; neither means the caller's namespace. The caller's own name in another case is their namespace as
     * they registered it: ids ignore case, so {@code alice/model} of user {@code Alice} is {@code Alice/model}.
     */
    private static Named namedInBody(JsonNode body, Principal caller) {
        String name = Json.text(body, "name");
        String namespace = Json.text(body, "organization");
        if (name == null) {
            throw new Errors.BadRequest("'name' is required");
        }
        int slash = name.indexOf('/');
        if (slash >= 0) {
            namespace = name.substring(0, slash);
            name = name.substring(slash + 1);
        }
        String own = caller.user().name();
        return new Named(namespace == null || namespace.equalsIgnoreCase(own) ? own : namespace, name);
    }

    private static RepoType typeFromBody(JsonNode body) {
        String type = Json.text(body, "type");
        return RepoType.fromSingular(type).orElseThrow(() -> new Errors.BadRequest(
                "'type' must be model, dataset or space, not '" + type + "'"));
    }

    /** Python 1.33 sends {@code visibility}; older clients and the JS client send a {@code private} boolean. */
    private static boolean visibilityIsPrivate(JsonNode body, boolean current) {
        Boolean asked = askedPrivate(body);
        return asked == null ? current : asked;
    }

    /** Whether the body asks for a private repo; null when it says nothing of visibility. */
    private static @org.jspecify.annotations.Nullable Boolean askedPrivate(JsonNode body) {
        String visibility = Json.text(body, "visibility");
        if (visibility != null) {
            return switch (visibility) {
                case "private" -> true;
                case "public" -> false;
                default -> throw new Errors.BadRequest("'visibility' must be public or private");
            };
        }
        JsonNode legacy = body.get("private");
        if (legacy != null && !legacy.isNull()) {
            if (!legacy.isBoolean()) {
                throw new Errors.BadRequest("'private' must be a boolean");
            }
            return legacy.asBoolean();
        }
        return null;
    }

    private String repoUrl(Context ctx, Repo repo) {
        return baseUrl.of(ctx) + "/" + repo.urlPath();
    }
}
