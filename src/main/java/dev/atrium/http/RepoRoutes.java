package dev.atrium.http;

import dev.atrium.repo.RepoType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * Registers a route under the three URL shapes of non-API paths: {@code /{ns}/{name}...} for models,
 * {@code /datasets/{ns}/{name}...} and {@code /spaces/{ns}/{name}...}. A {@code .git} suffix on the name (git and
 * git-lfs URLs) is removed before the handler sees it.
 */
public final class RepoRoutes {
    private RepoRoutes() {}

    @FunctionalInterface
    public interface RepoHandler {
        void handle(Context ctx, RepoType type, String namespace, String name) throws Exception;
    }

    /** {@code suffix} starts with '/' (e.g. {@code /resolve/<rest>}) or is empty. */
    public static void add(RoutesConfig routes, HandlerType method, String suffix, RepoHandler handler) {
        for (RepoType type : RepoType.values()) {
            routes.addHttpHandler(method, "/" + type.urlPrefix() + "{ns}/{name}" + suffix, ctx -> {
                String name = ctx.pathParam("name");
                if (name.endsWith(".git")) {
                    name = name.substring(0, name.length() - 4);
                }
                handler.handle(ctx, type, ctx.pathParam("ns"), name);
            });
        }
    }

    /** The raw (still percent-encoded) path segments after the first {@code skip} segments of the repo URL. */
    public static java.util.List<String> rawTail(Context ctx, RepoType type, int skipAfterRepo) {
        java.util.List<String> segments = RawPath.segments(ctx.req().getRequestURI());
        int repoSegments = type == RepoType.MODEL ? 2 : 3;
        return segments.subList(Math.min(segments.size(), repoSegments + skipAfterRepo), segments.size());
    }
}
