package dev.atrium.space;

import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Delegations;
import dev.atrium.http.BlobResponses;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.Html;
import dev.atrium.http.Json;
import dev.atrium.http.RawPath;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoPath;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import dev.atrium.repo.TreeReader;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * Space apps under {@code /spaces/{ns}/{name}/app/{grant}/}: a static Space's files from its default branch, a
 * Streamlit Space's requests and WebSockets forwarded to its process ({@link SpaceProxy}); and every Space's runtime
 * at {@code /api/spaces/{ns}/{name}/runtime}.
 *
 * <p>A Space's pages are its author's HTML and scripts. Served from the hub's own origin, they could act as whoever
 * opened them (read their private repos, change their settings). So every app response is a sandboxed document (CSP
 * {@code sandbox} without {@code allow-same-origin}): its scripts run in an origin of their own, with no cookies of
 * the hub and no same-origin access to it, as huggingface.co gets by serving Spaces from another domain.
 *
 * <p>The sandbox also means an app's own requests for its stylesheets and scripts carry no cookies, so access cannot
 * ride on the session. The {@link SpaceAppGrants grant} in the path carries it instead: made for whoever opened the
 * Space, checked on every file, and every relative URL of the app keeps it.
 */
public final class SpaceApp {
    /** Sandboxed: scripts, forms and pop-ups work, but in an opaque origin; only the hub's pages may frame it. */
    static final String APP_POLICY = "sandbox allow-scripts allow-forms allow-popups allow-modals allow-downloads"
            + " allow-pointer-lock; frame-ancestors 'self'";

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"),
            Map.entry("ico", "image/x-icon"), Map.entry("wasm", "application/wasm"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("md", "text/plain; charset=utf-8"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("wav", "audio/wav"), Map.entry("mp4", "video/mp4"), Map.entry("webm", "video/webm"),
            Map.entry("glb", "model/gltf-binary"), Map.entry("gltf", "model/gltf+json"),
            Map.entry("onnx", "application/octet-stream"));

    private final RepoLookup lookup;
    private final Repos repos;
    private final RepoService repoService;
    private final LfsObjects lfs;
    private final SpaceAppGrants grants;
    private final Delegations delegations;
    private final SpaceProcesses processes;
    private final SpaceProxy proxy = new SpaceProxy();

    public SpaceApp(RepoLookup lookup, Repos repos, RepoService repoService, LfsObjects lfs, SpaceAppGrants grants,
                    Delegations delegations, SpaceProcesses processes) {
        this.lookup = lookup;
        this.repos = repos;
        this.repoService = repoService;
        this.lfs = lfs;
        this.grants = grants;
        this.delegations = delegations;
        this.processes = processes;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/spaces/{ns}/{name}/runtime", this::runtime);
        routes.post("/api/spaces/{ns}/{name}/restart", ctx -> control(ctx, processes::restart));
        routes.post("/api/spaces/{ns}/{name}/pause", ctx -> control(ctx, processes::pause));
        routes.post("/api/spaces/{ns}/{name}/sleeptime", ctx -> control(ctx, space -> {
            com.fasterxml.jackson.databind.JsonNode seconds = Json.body(ctx).get("seconds");
            if (seconds == null || !seconds.canConvertToLong()) {
                throw new Errors.BadRequest("'seconds' must be a whole number of seconds, or -1 for never");
            }
            processes.setSleepSeconds(space, seconds.asLong());
        }));
        routes.post("/api/spaces/{ns}/{name}/hardware", ctx -> control(ctx, space -> {
            com.fasterxml.jackson.databind.JsonNode body = Json.body(ctx);
            String flavor = Json.text(body, "flavor");
            if (flavor == null) {
                throw new Errors.BadRequest("'flavor' must name a hardware: one of " + String.join(", ",
                        processes.offered().stream().map(SpaceHardware::name).toList()));
            }
            Long seconds = SpaceRuntimeRequest.of(body).sleepSeconds();
            SpaceRuntimeRequest request = new SpaceRuntimeRequest(flavor, seconds);
            processes.check(request);
            processes.apply(space, request);
        }));
        routes.get("/api/spaces/hardware", ctx -> Json.send(ctx, processes.offered().stream()
                .map(SpaceApp::hardwareJson).toList()));
        // The Hub's container features a hub without containers does not have: said plainly, not a bare 404.
        routes.post("/api/spaces/{ns}/{name}/dev-mode", ctx -> notOffered(ctx, "Dev mode (SSH and VS Code into the"
                + " app's container) is not offered by this hub: its Spaces run as sandboxed processes"));
        for (HandlerType method : List.of(HandlerType.POST, HandlerType.DELETE)) {
            routes.addHttpHandler(method, "/api/spaces/{ns}/{name}/storage", ctx -> notOffered(ctx, "Persistent"
                    + " storage is not offered by this hub: an app's files last until it stops; keep data in a repo"));
        }
        // huggingface_hub 1.x sets volumes with PUT; hub-api.md lists POST as well.
        for (HandlerType method : List.of(HandlerType.POST, HandlerType.PUT, HandlerType.DELETE)) {
            routes.addHttpHandler(method, "/api/spaces/{ns}/{name}/volumes", ctx -> notOffered(ctx, "Volumes are"
                    + " not offered by this hub: an app reads repos through huggingface_hub instead"));
        }
        routes.get("/spaces/{ns}/{name}/app", this::open);
        // A running app's own requests (Streamlit's uploads, its WebSocket) go to it; a static Space only reads.
        routes.addWsHandler(io.javalin.websocket.WsHandlerType.WEBSOCKET, "/spaces/{ns}/{name}/app/{grant}/<path>",
                ws -> proxy.webSocket(ws, this::upstream));
        for (HandlerType method : new HandlerType[] {HandlerType.POST, HandlerType.PUT, HandlerType.PATCH,
                HandlerType.DELETE}) {
            routes.addHttpHandler(method, "/spaces/{ns}/{name}/app/{grant}/<path>", this::serve);
        }
        routes.options("/spaces/{ns}/{name}/app/{grant}/<path>", SpaceApp::preflight);
        for (HandlerType method : new HandlerType[] {HandlerType.GET, HandlerType.HEAD}) {
            // Without the slash, the app's relative URLs would resolve one folder up, outside its grant.
            routes.addHttpHandler(method, "/spaces/{ns}/{name}/app/{grant}", ctx -> {
                if (ctx.req().getRequestURI().endsWith("/")) {
                    serve(ctx);
                } else {
                    ctx.redirect(ctx.req().getRequestURI() + "/");
                }
            });
            routes.addHttpHandler(method, "/spaces/{ns}/{name}/app/{grant}/<path>", this::serve);
        }
    }

    /**
     * One item of {@code GET /api/spaces/hardware}, in the Hub's fields: what it costs is nothing (a self-hosted hub
     * bills no one), and there is no accelerator to describe.
     */
    private static Map<String, Object> hardwareJson(SpaceHardware hardware) {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("name", hardware.name());
        out.put("prettyName", hardware.prettyName());
        out.put("cpu", hardware.cpus() + " vCPU");
        out.put("ram", hardware.memoryGib() + " GB");
        out.put("ephemeralStorage", hardware.diskGib() + " GB");
        out.put("accelerator", null);
        out.put("unitCostMicroUSD", 0);
        out.put("unitCostUSD", 0);
        out.put("unitLabel", "hour");
        return out;
    }

    /** The runtime object of {@code GET /api/spaces/{id}/runtime}, also {@code runtime} in a Space's info. */
    public static Map<String, Object> json(SpaceRuntime runtime) {
        Map<String, Object> hardware = new java.util.LinkedHashMap<>();
        hardware.put("current", runtime.running() ? runtime.hardware().name() : null);
        hardware.put("requested", runtime.hardware().name());
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("stage", runtime.stage().name());
        out.put("hardware", hardware);
        out.put("storage", null);
        out.put("gcTimeout", runtime.sleepSeconds());
        out.put("replicas", Map.of("current", runtime.running() ? 1 : 0, "requested", 1));
        out.put("devMode", false);
        out.put("domains", List.of());
        if (runtime.sdk() != null) {
            out.put("sdk", runtime.sdk());
        }
        if (runtime.head() != null) {
            out.put("sha", runtime.head().name());
        }
        if (runtime.errorMessage() != null) {
            out.put("errorMessage", runtime.errorMessage());
        }
        return out;
    }

    /** A 501 naming what is missing, once the caller is known to be one who may change the Space. */
    private void notOffered(Context ctx, String what) {
        lookup.load(ctx, RepoType.SPACE, ctx.pathParam("ns"), ctx.pathParam("name"), AccessPolicy.Action.WRITE);
        throw new Errors.NotImplemented(what);
    }

    /** The runtime of {@code space} now, its app's process included. */
    public SpaceRuntime runtime(Repository git, Repo space) throws IOException {
        return SpaceRuntime.of(git, space, processes);
    }

    private void runtime(Context ctx) throws IOException {
        Repo space = lookup.load(ctx, RepoType.SPACE, ctx.pathParam("ns"), ctx.pathParam("name"),
                AccessPolicy.Action.READ);
        try (Repository git = repoService.openGit(space)) {
            Json.send(ctx, json(runtime(git, space)));
        }
    }

    /**
     * What the Space's writers may do to its app (restart: stopped now, started afresh at its next visit, unpaused;
     * pause; sleep time), answered with the runtime after it. A static Space's files are served whatever is set.
     */
    private void control(Context ctx, java.util.function.Consumer<Repo> action) throws IOException {
        Repo space = lookup.load(ctx, RepoType.SPACE, ctx.pathParam("ns"), ctx.pathParam("name"),
                AccessPolicy.Action.WRITE);
        action.accept(space);
        try (Repository git = repoService.openGit(space)) {
            Json.send(ctx, json(runtime(git, space)));
        }
    }

    /** Sends whoever may see the Space to its app, under a grant made for them. */
    private void open(Context ctx) {
        Repo space = lookup.load(ctx, RepoType.SPACE, ctx.pathParam("ns"), ctx.pathParam("name"),
                AccessPolicy.Action.DOWNLOAD);
        ctx.redirect(appUrl(space, Delegations.credentialOf(Caller.of(ctx))));
    }

    /** The path of a Space's app for the holder of {@code credential}: what the Space page frames. */
    public String appUrl(Repo space, String credential) {
        return "/spaces/" + space.repoId() + "/app/" + grants.grant(space, credential) + "/";
    }

    /**
     * Checks every open WebSocket of an app against its grant again, closing those whose holder may no longer reach
     * the Space: run every minute, so access taken away ends a connection within about a minute, as it ends the next
     * request at once. Returns how many were closed.
     */
    public int recheckWebSockets() {
        return proxy.recheck((ns, name, grant) -> {
            try {
                authorized(ns, name, grant);
                return true;
            } catch (Errors.NotFound | Errors.Forbidden | Errors.AuthenticationRequired e) {
                return false;
            }
        });
    }

    /** The Space of an app request, once its grant is checked. */
    private Repo authorized(String ns, String name, String grant) {
        Optional<Repo> found = repos.find(RepoType.SPACE, new RepoId(ns, name));
        String credential = found.flatMap(space -> grants.verify(space, grant)).orElseThrow(
                () -> new Errors.NotFound("This Space's link has expired or is not valid; open the Space again"));
        delegations.require(credential, found.get(), Delegations.Need.DOWNLOAD);
        return found.get();
    }

    private SpaceProxy.Upstream upstream(String ns, String name, String grant) {
        Repo space = authorized(ns, name, grant);
        try (Repository git = repoService.openGit(space)) {
            SpaceRuntime runtime = opened(git, space);
            if (SpaceRuntime.STATIC.equals(runtime.sdk())) {
                throw new Errors.NotFound("A static Space has no WebSocket");
            }
            return new SpaceProxy.Upstream(processes.address(space, runtime.head(), runtime.appFile()),
                    () -> processes.touch(space));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private SpaceRuntime opened(Repository git, Repo space) throws IOException {
        SpaceRuntime runtime = runtime(git, space);
        if (runtime.stage() == SpaceRuntime.Stage.RUNTIME_ERROR || runtime.stage() == SpaceRuntime.Stage.BUILD_ERROR) {
            throw new SpaceProcesses.AppUnavailable(runtime.errorMessage(), false);
        }
        if (!runtime.opens()) {
            throw new Errors.NotFound(runtime.errorMessage() != null ? runtime.errorMessage()
                    : "The Space is not running");
        }
        return runtime;
    }

    private void serve(Context ctx) throws IOException, InterruptedException {
        Repo space = authorized(ctx.pathParam("ns"), ctx.pathParam("name"), ctx.pathParam("grant"));
        List<String> segments = RawPath.segments(ctx.req().getRequestURI());
        List<String> rest = segments.subList(Math.min(segments.size(), 5), segments.size());
        try (Repository git = repoService.openGit(space)) {
            SpaceRuntime runtime = opened(git, space);
            if (!SpaceRuntime.STATIC.equals(runtime.sdk())) {
                SpaceProcesses.Address app;
                try {
                    app = processes.address(space, runtime.head(), runtime.appFile());
                } catch (SpaceProcesses.AppUnavailable e) {
                    if (!e.starting() || ctx.method() != HandlerType.GET
                            || !String.valueOf(ctx.header("Accept")).contains("text/html")) {
                        throw e;
                    }
                    waiting(ctx, e.getMessage());
                    return;
                }
                String uri = ctx.req().getRequestURI();
                String path = afterGrant(uri);
                proxy.forward(ctx, app, uri.substring(0, uri.length() - path.length()), path);
                return;
            }
            if (ctx.method() != HandlerType.GET && ctx.method() != HandlerType.HEAD) {
                throw new Errors.BadRequest("A static Space's files can only be read");
            }
            String path = String.join("/", rest.stream().map(RawPath::decode).toList());
            if (path.isEmpty() || path.endsWith("/")) {
                path += path.isEmpty() ? runtime.appFile() : "index.html";
            }
            Optional<FileEntry> file = Optional.empty();
            if (RepoPath.validate(path).isEmpty()) {
                file = TreeReader.find(git, runtime.head(), RepoPath.normalize(path)).filter(f -> !f.isDirectory());
            }
            if (file.isEmpty()) {
                throw new Errors.EntryNotFound("The Space has no file " + path, runtime.head().name());
            }
            send(ctx, git, space, file.get());
        }
    }

    /**
     * What a visitor's frame shows while the app builds or starts: a page that says so and reloads itself, rather
     * than a request that hangs for minutes.
     */
    private static void waiting(Context ctx, String message) {
        sandbox(ctx);
        ctx.header("Cache-Control", "no-store");
        ctx.header("Retry-After", "3");
        ctx.status(503).contentType("text/html; charset=utf-8").result("<!doctype html><html><head>"
                + "<meta charset=utf-8><meta http-equiv=refresh content=3><title>Starting</title>"
                + "<style>body{font:16px system-ui,sans-serif;display:grid;place-items:center;height:90vh;"
                + "color:#59636e}</style></head><body><p>" + Html.escape(message) + "…</p></body></html>");
    }


    /** The still encoded path after {@code /spaces/{ns}/{name}/app/{grant}/}, its trailing slash kept. */
    private static String afterGrant(String uri) {
        int slash = -1;
        for (int i = 0; i < 6 && (slash = uri.indexOf('/', slash + 1)) >= 0; i++) {
            // the sixth slash ends the grant
        }
        return slash < 0 ? "" : uri.substring(slash + 1);
    }

    /**
     * The browser's question before an app page's upload (a cross-origin request from its opaque origin): yes, for
     * the methods the app routes take. It reveals nothing and carries no credentials; the request itself is checked.
     */
    private static void preflight(Context ctx) {
        ctx.header("Access-Control-Allow-Origin", "*");
        ctx.header("Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, PATCH, DELETE");
        String headers = ctx.header("Access-Control-Request-Headers");
        if (headers != null && headers.length() < 1000) {
            ctx.header("Access-Control-Allow-Headers", headers);
        }
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }

    /** What every app response carries, static or proxied: the sandbox, and nothing that leaks its grant. */
    static void sandbox(Context ctx) {
        ctx.header("Content-Security-Policy", APP_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        // The grant is in the URL: links the app follows must not carry it off in a Referer.
        ctx.header("Referrer-Policy", "no-referrer");
        // The app's page is an opaque origin: its module scripts and fetches are cross-origin requests to its own
        // files, which need this. It adds no access: the grant in the path is what opens the files, and any page
        // that knows the path could open it anyway.
        ctx.header("Access-Control-Allow-Origin", "*");
    }

    private void send(Context ctx, Repository git, Repo space, FileEntry file) throws IOException {
        String etag = "\"" + (file.lfs() != null ? file.lfs().oid().hex() : file.oid()) + "\"";
        sandbox(ctx);
        ctx.header("Cache-Control", "private, no-cache");
        ctx.header("ETag", etag);
        ctx.contentType(type(file.path()));
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        if (file.lfs() == null) {
            BlobResponses.sendGitBlob(ctx, git.open(ObjectId.fromString(file.oid()), Constants.OBJ_BLOB));
            return;
        }
        ctx.header("Content-Length", String.valueOf(file.size()));
        if (ctx.method() == HandlerType.HEAD) {
            return;
        }
        if (!lfs.copy(space, file.lfs().oid(), ctx.res().getOutputStream())) {
            throw new Errors.EntryNotFound("The content of " + file.path() + " is not stored", null);
        }
    }

    static String type(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        return TYPES.getOrDefault(dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT),
                "application/octet-stream");
    }
}
