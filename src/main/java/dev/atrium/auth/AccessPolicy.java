package dev.atrium.auth;

import dev.atrium.http.Errors;
import dev.atrium.repo.Repo;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one place that decides who may do what. The API, git and LFS all ask it. A repo the caller may not read does
 * not exist for them (RepoNotFound), so private names never leak; a readable repo they may not change is a 403.
 */
public final class AccessPolicy {

    /** READ: see the repo (info, card, files list); DOWNLOAD: also its files' content; WRITE: change it. */
    public enum Action { READ, DOWNLOAD, WRITE }

    private final Memberships memberships;
    private final Gating gating;

    public AccessPolicy(Memberships memberships, Gating gating) {
        this.memberships = memberships;
        this.gating = gating;
    }

    /**
     * The content of a gated repo is for those who may administer or write it, and for users whose access request
     * was accepted; everyone who may read it sees its card and file list.
     */
    public boolean canDownload(@Nullable Principal caller, Repo repo) {
        if (!canRead(caller, repo)) {
            return false;
        }
        if (!gating.isGated(repo.id()) || isOwner(caller, repo)
                || role(caller, repo.repoId().namespace()).isPresent()) {
            return true;
        }
        return caller != null && gating.isAccepted(repo.id(), caller.user().id());
    }

    /** Public repos; private ones for their owner, the members of their organization (any role) and site admins. */
    public boolean canRead(@Nullable Principal caller, Repo repo) {
        return !repo.isPrivate() || isOwner(caller, repo) || role(caller, repo.repoId().namespace()).isPresent();
    }

    /**
     * With a write token: the owner, an organization's members with the write or admin role (contributors only open
     * pull requests), site admins.
     */
    public boolean canWrite(@Nullable Principal caller, Repo repo) {
        return caller != null && caller.canWrite() && (isOwner(caller, repo)
                || role(caller, repo.repoId().namespace()).filter(r -> r.atLeast(OrgRole.WRITE)).isPresent());
    }

    /** The caller's role in the organization called {@code namespace}, if it is one and they belong to it. */
    public Optional<OrgRole> role(@Nullable Principal caller, String namespace) {
        return caller == null ? Optional.empty() : memberships.roleIn(namespace, caller.user().id());
    }

    public void require(@Nullable Principal caller, Repo repo, Action action) {
        if (!canRead(caller, repo)) {
            throw new Errors.RepoNotFound(repo.repoId().toString(), caller == null);
        }
        if (action == Action.DOWNLOAD && !canDownload(caller, repo)) {
            throw new Errors.GatedRepo(repo.repoId().toString(), caller == null);
        }
        if (action == Action.WRITE && !canWrite(caller, repo)) {
            if (caller == null) {
                throw new Errors.AuthenticationRequired("You must be authenticated to write to " + repo.repoId());
            }
            if (!caller.canWrite()) {
                throw new Errors.Forbidden("This token has the read role and cannot write to " + repo.repoId()
                        + "; use a token with the write role");
            }
            throw new Errors.Forbidden("You don't have the rights to write to " + repo.repoId());
        }
    }

    /** An SQL condition and the parameters it binds. */
    public record SqlCondition(String sql, java.util.Map<String, Object> parameters) {}

    /**
     * {@link #canRead} as an SQL condition on a {@code repos} row aliased {@code r}, for listings that must filter
     * thousands of repos in the database. Change both together.
     */
    public SqlCondition readableRepos(@Nullable Principal caller) {
        if (caller == null) {
            return new SqlCondition("r.private = FALSE", java.util.Map.of());
        }
        if (caller.user().isAdmin()) {
            return new SqlCondition("1 = 1", java.util.Map.of());
        }
        return new SqlCondition("(r.private = FALSE OR r.namespace = :viewer OR "
                + memberships.namespaceIsViewersOrg("r.namespace") + ")",
                java.util.Map.of("viewer", caller.user().name(), "viewerId", caller.user().id()));
    }

    /** Creating repos in a namespace: the user's own, an organization where they have write or admin, any for admins. */
    public void requireNamespaceWrite(@Nullable Principal caller, String namespace) {
        requireNamespace(caller, namespace, OrgRole.WRITE);
    }

    /**
     * Moving repos into or out of a namespace, deleting them, changing their visibility: the user's own, an
     * organization where they are admin, any for site admins.
     */
    public void requireNamespaceAdmin(@Nullable Principal caller, String namespace) {
        requireNamespace(caller, namespace, OrgRole.ADMIN);
    }

    private void requireNamespace(@Nullable Principal caller, String namespace, OrgRole needed) {
        if (caller == null) {
            throw new Errors.AuthenticationRequired("You must be authenticated to create or change repositories");
        }
        if (!caller.canWrite()) {
            throw new Errors.Forbidden("This token has the read role; use a token with the write role");
        }
        boolean allowed = caller.user().name().equals(namespace) || caller.user().isAdmin()
                || role(caller, namespace).filter(r -> r.atLeast(needed)).isPresent();
        if (!allowed) {
            throw new Errors.Forbidden("You don't have the rights to " + (needed == OrgRole.ADMIN ? "administer"
                    : "create or change") + " repositories in '" + namespace + "'");
        }
    }

    private static boolean isOwner(@Nullable Principal caller, Repo repo) {
        return caller != null
                && (caller.user().name().equals(repo.repoId().namespace()) || caller.user().isAdmin());
    }
}
