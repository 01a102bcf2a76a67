package dev.atrium.space;

import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Delegations;
import dev.atrium.http.BlobResponses;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
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
 * Static Spaces, served from their default branch under {@code /spaces/{ns}/{name}/app/{grant}/}, and every Space's
 * runtime at {@code /api/spaces/{ns}/{name}/runtime}.
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

    public SpaceApp(RepoLookup lookup, Repos repos, RepoService repoService, LfsObjects lfs, SpaceAppGrants grants,
                    Delegations delegations) {
        this.lookup = lookup;
        this.repos = repos;
        this.repoService = repoService;
        this.lfs = lfs;
        this.grants = grants;
        this.delegations = delegations;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/spaces/{ns}/{name}/runtime", this::runtime);
        routes.get("/spaces/{ns}/{name}/app", this::open);
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

    /** The runtime object of {@code GET /api/spaces/{id}/runtime}, also {@code runtime} in a Space's info. */
    public static Map<String, Object> json(SpaceRuntime runtime) {
        Map<String, Object> hardware = new java.util.LinkedHashMap<>();
        hardware.put("current", runtime.running() ? "cpu-basic" : null);
        hardware.put("requested", "cpu-basic");
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("stage", runtime.stage().name());
        out.put("hardware", hardware);
        out.put("storage", null);
        out.put("gcTimeout", null);
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

    private void runtime(Context ctx) throws IOException {
        Repo space = lookup.load(ctx, RepoType.SPACE, ctx.pathParam("ns"), ctx.pathParam("name"),
                AccessPolicy.Action.READ);
        try (Repository git = repoService.openGit(space)) {
            Json.send(ctx, json(SpaceRuntime.of(git, space)));
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

    private void serve(Context ctx) throws IOException {
        Optional<Repo> found = repos.find(RepoType.SPACE, new RepoId(ctx.pathParam("ns"), ctx.pathParam("name")));
        String credential = found.flatMap(space -> grants.verify(space, ctx.pathParam("grant"))).orElseThrow(
                () -> new Errors.NotFound("This Space's link has expired or is not valid; open the Space again"));
        Repo space = found.get();
        delegations.require(credential, space, Delegations.Need.DOWNLOAD);
        List<String> segments = RawPath.segments(ctx.req().getRequestURI());
        String path = String.join("/", segments.subList(Math.min(segments.size(), 5), segments.size()).stream()
                .map(RawPath::decode).toList());
        try (Repository git = repoService.openGit(space)) {
            SpaceRuntime runtime = SpaceRuntime.of(git, space);
            if (!runtime.running()) {
                throw new Errors.NotFound(runtime.errorMessage() != null ? runtime.errorMessage()
                        : "The Space is not running");
            }
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

    private void send(Context ctx, Repository git, Repo space, FileEntry file) throws IOException {
        String etag = "\"" + (file.lfs() != null ? file.lfs().oid().hex() : file.oid()) + "\"";
        ctx.header("Content-Security-Policy", APP_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        // The grant is in the URL: links the app follows must not carry it off in a Referer.
        ctx.header("Referrer-Policy", "no-referrer");
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
