package dev.atrium.xet.cas;

import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Delegations;
import dev.atrium.auth.Principal;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.http.RawPath;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Revisions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
import org.eclipse.jgit.lib.Repository;

/**
 * {@code GET /api/{type}/{id}/xet-read-token/{rev}} and {@code xet-write-token}: the access policy decides, then a
 * repo-scoped CAS token is issued. The Python client reads the answer from the {@code X-Xet-*} response headers,
 * the spec and the JS client from the JSON body; both are sent.
 */
public final class XetTokenRoutes {
    private static final String CAS_URL = "X-Xet-Cas-Url";
    private static final String TOKEN = "X-Xet-Access-Token";
    private static final String EXPIRATION = "X-Xet-Token-Expiration";
    private final RepoLookup lookup;
    private final RepoService repoService;
    private final XetTokens tokens;
    private final BaseUrl baseUrl;
    private final AccessPolicy policy;

    public XetTokenRoutes(RepoLookup lookup, RepoService repoService, XetTokens tokens, BaseUrl baseUrl,
                          AccessPolicy policy) {
        this.policy = policy;
        this.lookup = lookup;
        this.repoService = repoService;
        this.tokens = tokens;
        this.baseUrl = baseUrl;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/{type}/{ns}/{name}/xet-write-token/<rev>", ctx -> issue(ctx, XetGrant.Scope.WRITE));
        routes.get("/api/{type}/{ns}/{name}/xet-read-token/<rev>", ctx -> issue(ctx, XetGrant.Scope.READ));
    }

    private void issue(Context ctx, XetGrant.Scope scope) throws IOException {
        // Uploading for a pull request needs only what opening one needs (the client asks for revision "None").
        boolean forPullRequest = scope == XetGrant.Scope.WRITE && Pagination.boolParam(ctx, "create_pr");
        AccessPolicy.Action action = forPullRequest ? AccessPolicy.Action.READ
                : scope == XetGrant.Scope.WRITE ? AccessPolicy.Action.COMMIT : AccessPolicy.Action.DOWNLOAD;
        Repo repo = lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"),
                ctx.pathParam("name"), action);
        if (forPullRequest) {
            policy.requireContribute(Caller.of(ctx), repo);
        } else {
            String revision = RawPath.apiTail(ctx);
            try (Repository git = repoService.openGit(repo)) {
                Revisions.resolve(git, revision);
            }
        }
        Map<String, String> grant = grant(repo, Caller.of(ctx), scope, baseUrl.of(ctx));
        grant.forEach(ctx::header);
        ctx.header("Cache-Control", "no-store");
        Json.send(ctx, Map.of("accessToken", grant.get(TOKEN), "exp", Long.parseLong(grant.get(EXPIRATION)),
                "casUrl", grant.get(CAS_URL)));
    }

    /**
     * A write grant for a caller the access policy already let upload to {@code repo}: what the LFS batch offers a
     * client that negotiates Xet.
     */
    public Map<String, String> writeGrant(Repo repo, Principal caller, String base) {
        return grant(repo, caller, XetGrant.Scope.WRITE, base);
    }

    private Map<String, String> grant(Repo repo, Principal caller, XetGrant.Scope scope, String base) {
        // Public repos are readable anonymously; the CAS then sees no user, which only limits deduplication.
        String userId = caller == null ? "000000000000000000000000" : caller.user().id();
        XetTokens.Issued issued = tokens.issue(repo.id(), userId, Delegations.credentialOf(caller), scope);
        return Map.of(CAS_URL, base + CasRoutes.PREFIX, TOKEN, issued.accessToken(),
                EXPIRATION, String.valueOf(issued.expiresAt()));
    }
}
