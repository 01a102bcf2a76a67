package dev.atrium.api;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.org.AuditLog;
import dev.atrium.org.RepoVisibility;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.usage.Quotas;
import java.io.IOException;

/**
 * Duplicating a repo, for the API and the pages alike. The caller has already loaded the source with download access
 * (a copy is a download: a gate holds for copies); this checks the rest.
 */
public final class RepoDuplication {
    private final AccessPolicy policy;
    private final Quotas quotas;
    private final RepoService repoService;
    private final AuditLog audit;

    private final RepoVisibility visibility;

    public RepoDuplication(AccessPolicy policy, Quotas quotas, RepoService repoService, AuditLog audit,
                           RepoVisibility visibility) {
        this.visibility = visibility;
        this.policy = policy;
        this.quotas = quotas;
        this.repoService = repoService;
        this.audit = audit;
    }

    /**
     * Copies {@code source} to {@code to}, which must be in a namespace the caller may create repos in, within its
     * private-repo and storage limits.
     *
     * @throws dev.atrium.http.Errors.Conflict when {@code to} exists
     */
    public Repo duplicate(Principal caller, Repo source, RepoId to, boolean isPrivate) throws IOException {
        policy.requireNamespaceWrite(caller, to.namespace());
        visibility.requireAllowed(to.namespace(), isPrivate);
        quotas.requireCopy(source, to.namespace(), isPrivate);
        Repo copy = repoService.duplicate(source, to, isPrivate, caller.user().id());
        audit.record(to.namespace(), caller.user(), "repo.duplicate",
                AuditLog.target(source.type(), source.repoId()) + " -> " + to, isPrivate ? "private" : "public");
        return copy;
    }
}
