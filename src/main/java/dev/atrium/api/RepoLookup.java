package dev.atrium.api;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import io.javalin.http.Context;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Finds the repo a request names and asks the access policy whether the caller may use it. */
public final class RepoLookup {
    private final RepoService repoService;
    private final Repos repos;
    private final AccessPolicy policy;

    public RepoLookup(RepoService repoService, Repos repos, AccessPolicy policy) {
        this.repoService = repoService;
        this.repos = repos;
        this.policy = policy;
    }

    public Repo load(Context ctx, RepoType type, String namespace, String name, AccessPolicy.Action action) {
        Principal caller = Caller.of(ctx);
        RepoId id;
        try {
            id = new RepoId(namespace, name);
        } catch (IllegalArgumentException e) {
            throw new Errors.RepoNotFound(caller == null);
        }
        Optional<Repo> repo = repoService.find(type, id);
        if (repo.isEmpty()) {
            Optional<Repo> moved = repos.findRedirect(type, id);
            if (moved.isPresent() && policy.canRead(caller, moved.get())) {
                String raw = ctx.req().getRequestURI();
                String query = ctx.req().getQueryString();
                String location = raw.replaceFirst("/" + java.util.regex.Pattern.quote(namespace + "/" + name)
                        + "(?=/|\\.git|$)", "/" + moved.get().repoId());
                throw new Errors.Moved(location + (query == null ? "" : "?" + query));
            }
            throw new Errors.RepoNotFound(caller == null);
        }
        policy.require(caller, repo.get(), action);
        return repo.get();
    }

    /**
     * For transports without redirects (git over SSH): a repo that moved is served under its new name, as git
     * cannot follow a redirect there.
     */
    public Repo load(@Nullable Principal caller, RepoType type, String namespace, String name,
                     AccessPolicy.Action action) {
        RepoId id;
        try {
            id = new RepoId(namespace, name);
        } catch (IllegalArgumentException e) {
            throw new Errors.RepoNotFound(caller == null);
        }
        Repo repo = repoService.find(type, id).or(() -> repos.findRedirect(type, id))
                .orElseThrow(() -> new Errors.RepoNotFound(caller == null));
        policy.require(caller, repo, action);
        return repo;
    }

    public static RepoType typeOf(String plural) {
        return RepoType.fromPlural(plural).orElseThrow(() -> new Errors.NotFound("Unknown repo type: " + plural));
    }
}
