package dev.atrium.auth;

import dev.atrium.http.Errors;
import dev.atrium.http.HubException;
import dev.atrium.repo.Repo;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one place that decides who may do what. The API, git and LFS all ask it. A repo the caller may not read does
 * not exist for them (RepoNotFound), so private names never leak; a readable repo they may not change is a 403.
 */
public final class AccessPolicy {

    /**
     * READ: see the repo (info, card, files list); DOWNLOAD: also its files' content; WRITE: change it (its settings
     * too); COMMIT: change its files or refs (commits, pushes, branches, tags, merges), which a repo that takes its
     * content from elsewhere refuses even to its writers.
     */
    public enum Action { READ, DOWNLOAD, WRITE, COMMIT }

    /** Repos whose content comes from elsewhere and takes no commits here: mirrors of another hub's repo. */
    @FunctionalInterface
    public interface ReadOnlyRepos {
        /** Why {@code repo} takes no commits, in words for whoever tried; empty when it takes them. */
        Optional<String> whyReadOnly(Repo repo);
    }

    private final Memberships memberships;
    private final Gating gating;
    private final ReadOnlyRepos readOnly;

    public AccessPolicy(Memberships memberships, Gating gating, ReadOnlyRepos readOnly) {
        this.memberships = memberships;
        this.gating = gating;
        this.readOnly = readOnly;
    }

    /** Every repo takes commits from its writers. */
    public AccessPolicy(Memberships memberships, Gating gating) {
        this(memberships, gating, repo -> Optional.empty());
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
        return caller != null && tokenMayReadGated(caller, repo) && accepted(caller, repo);
    }

    private static boolean tokenMayReadGated(Principal caller, Repo repo) {
        TokenScopes scopes = caller.token().scopes();
        return scopes == null || scopes.canReadGatedRepos() || scopes.allowsByScope(TokenScopes.READ, repo);
    }

    private boolean accepted(Principal caller, Repo repo) {
        return gating.requestStatus(repo.id(), caller.user().id()).orElse(null) == AccessRequestStatus.ACCEPTED;
    }

    /** Why {@link #canDownload} said no, in the Hub's words where it has some: what the caller can do about it. */
    private Errors.GatedRepo gatedRefusal(@Nullable Principal caller, Repo repo) {
        String what = repo.type().singular() + " " + repo.repoId();
        if (caller == null) {
            return new Errors.GatedRepo("Access to " + what + " is restricted. You must have access to it and be"
                    + " authenticated to access it. Please log in.", null, true);
        }
        AccessRequestStatus status = gating.requestStatus(repo.id(), caller.user().id()).orElse(null);
        if (status == AccessRequestStatus.PENDING) {
            return new Errors.GatedRepo("Your request to access " + what + " is awaiting a review from the repo"
                    + " authors.", null, false);
        }
        if (status == AccessRequestStatus.REJECTED) {
            return new Errors.GatedRepo("Your request to access " + what + " has been rejected by the repo's"
                    + " authors.", null, false);
        }
        if (status == AccessRequestStatus.ACCEPTED) {
            return new Errors.GatedRepo("Access to " + what + " was granted to you, but this fine-grained token may"
                    + " not read gated repos. Use a token with the read role, or one that may read gated repos.",
                    null, false);
        }
        return new Errors.GatedRepo("Access to " + what + " is restricted and you are not in the authorized list.",
                repo.urlPath(), false);
    }

    /** Public repos; private ones for their owner, the members of their organization (any role) and site admins. */
    public boolean canRead(@Nullable Principal caller, Repo repo) {
        if (repo.isPrivate() && !(isOwner(caller, repo) || role(caller, repo.repoId().namespace()).isPresent())) {
            return false;
        }
        // A fine-grained token sees public repos as anyone does, private ones only within its scopes.
        TokenScopes scopes = caller == null ? null : caller.token().scopes();
        return !repo.isPrivate() || scopes == null || scopes.allows(TokenScopes.READ, repo);
    }

    /**
     * With a write token: the owner, an organization's members with the write or admin role (contributors only open
     * pull requests), site admins.
     */
    public boolean canWrite(@Nullable Principal caller, Repo repo) {
        return caller != null && tokenMayWrite(caller, repo) && (isOwner(caller, repo)
                || role(caller, repo.repoId().namespace()).filter(r -> r.atLeast(OrgRole.WRITE)).isPresent());
    }

    /** {@link #canWrite}, and the repo takes commits: whether to offer editing its files. */
    public boolean canCommit(@Nullable Principal caller, Repo repo) {
        return canWrite(caller, repo) && readOnly.whyReadOnly(repo).isEmpty();
    }

    /** A write token, or a fine-grained one with write permission on the repo or its namespace. */
    private static boolean tokenMayWrite(Principal caller, Repo repo) {
        TokenScopes scopes = caller.token().scopes();
        return caller.canWrite() || (scopes != null && scopes.allows(TokenScopes.WRITE, repo));
    }

    /**
     * Opening discussions and pull requests, and committing to one's own pull request: anyone signed in who can read
     * the repo (a read token suffices, as on the Hub; an organization's contributors are meant for exactly this). A
     * fine-grained token needs discussion.write or repo.write there.
     */
    public boolean canContribute(@Nullable Principal caller, Repo repo) {
        if (caller == null || !canRead(caller, repo)) {
            return false;
        }
        TokenScopes scopes = caller.token().scopes();
        return scopes == null || scopes.allows("discussion.write", repo) || scopes.allows(TokenScopes.WRITE, repo);
    }

    public void requireContribute(@Nullable Principal caller, Repo repo) {
        if (!canRead(caller, repo)) {
            throw new Errors.RepoNotFound(caller == null);
        }
        if (caller == null) {
            throw new Errors.AuthenticationRequired("You must be authenticated to open a discussion or pull request");
        }
        if (!canContribute(caller, repo)) {
            throw new Errors.Forbidden("This token may not open discussions or pull requests on " + repo.repoId());
        }
    }

    /**
     * Sending large files to a repo (LFS uploads, cross-repo copies): write access, or the right to open a pull
     * request, whose files arrive before the pull request exists.
     */
    public void requireUpload(@Nullable Principal caller, Repo repo) {
        if (!canWrite(caller, repo)) {
            requireContribute(caller, repo);
        }
    }

    /** The caller's role in the organization called {@code namespace}, if it is one and they belong to it. */
    public Optional<OrgRole> role(@Nullable Principal caller, String namespace) {
        return caller == null ? Optional.empty() : memberships.roleIn(namespace, caller.user().id());
    }

    public void require(@Nullable Principal caller, Repo repo, Action action) {
        if (!canRead(caller, repo)) {
            throw new Errors.RepoNotFound(caller == null);
        }
        if (action == Action.DOWNLOAD && !canDownload(caller, repo)) {
            throw gatedRefusal(caller, repo);
        }
        if ((action == Action.WRITE || action == Action.COMMIT) && !canWrite(caller, repo)) {
            if (caller == null) {
                throw new Errors.AuthenticationRequired("You must be authenticated to write to " + repo.repoId());
            }
            if (!tokenMayWrite(caller, repo)) {
                throw new Errors.Forbidden(caller.token().scopes() != null
                        ? "This fine-grained token has no write permission on " + repo.repoId()
                        : "This token has the read role and cannot write to " + repo.repoId()
                                + "; use a token with the write role");
            }
            throw new Errors.Forbidden("You don't have the rights to write to " + repo.repoId());
        }
        if (action == Action.COMMIT) {
            Optional<String> why = readOnly.whyReadOnly(repo);
            if (why.isPresent()) {
                throw new Errors.Forbidden(why.get());
            }
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
        TokenScopes scopes = caller.token().scopes();
        if (caller.user().isAdmin() && scopes == null) {
            return new SqlCondition("1 = 1", java.util.Map.of());
        }
        String userCanRead = caller.user().isAdmin() ? "1 = 1"
                : "r.namespace = :viewer OR " + memberships.namespaceIsViewersOrg("r.namespace");
        java.util.Map<String, Object> params = new java.util.HashMap<>(
                java.util.Map.of("viewer", caller.user().name(), "viewerId", caller.user().id()));
        if (scopes == null) {
            return new SqlCondition("(r.private = FALSE OR " + userCanRead + ")", params);
        }
        // A fine-grained token narrows what its user may read to its scopes: each scope's name is bound apart.
        StringBuilder inScope = new StringBuilder("1 = 0");
        List<String> namespaces = scopes.readableNamespaces();
        for (int i = 0; i < namespaces.size(); i++) {
            inScope.append(" OR r.namespace = :fgNamespace").append(i);
            params.put("fgNamespace" + i, namespaces.get(i));
        }
        List<String> repoIds = scopes.readableRepoIds();
        for (int i = 0; i < repoIds.size(); i++) {
            inScope.append(" OR (r.namespace || '/' || r.name) = :fgRepo").append(i);
            params.put("fgRepo" + i, repoIds.get(i));
        }
        return new SqlCondition("(r.private = FALSE OR ((" + userCanRead + ") AND (" + inScope + ")))", params);
    }

    /** Creating repos in a namespace: the user's own, an organization where they have write or admin, any for admins. */
    public void requireNamespaceWrite(@Nullable Principal caller, String namespace) {
        requireNamespace(caller, namespace, OrgRole.WRITE);
    }

    /** {@link #requireNamespaceWrite} as a question: whether to offer what it would allow. */
    public boolean mayWriteNamespace(@Nullable Principal caller, String namespace) {
        return namespaceRefusal(caller, namespace, OrgRole.WRITE).isEmpty();
    }

    /**
     * Moving repos into or out of a namespace, deleting them, changing their visibility: the user's own, an
     * organization where they are admin, any for site admins.
     */
    public void requireNamespaceAdmin(@Nullable Principal caller, String namespace) {
        requireNamespace(caller, namespace, OrgRole.ADMIN);
    }

    private void requireNamespace(@Nullable Principal caller, String namespace, OrgRole needed) {
        Optional<HubException> refusal = namespaceRefusal(caller, namespace, needed);
        if (refusal.isPresent()) {
            throw refusal.get();
        }
    }

    /** Why the caller may not act on the namespace's repos with the {@code needed} role; empty when they may. */
    private Optional<HubException> namespaceRefusal(@Nullable Principal caller, String namespace, OrgRole needed) {
        if (caller == null) {
            return Optional.of(new Errors.AuthenticationRequired(
                    "You must be authenticated to create or change repositories"));
        }
        TokenScopes scopes = caller.token().scopes();
        if (scopes != null ? !scopes.allowsNamespace(TokenScopes.WRITE, namespace) : !caller.canWrite()) {
            return Optional.of(new Errors.Forbidden(scopes != null
                    ? "This fine-grained token has no write permission on the namespace '" + namespace + "'"
                    : "This token has the read role; use a token with the write role"));
        }
        boolean allowed = caller.user().name().equals(namespace) || caller.user().isAdmin()
                || role(caller, namespace).filter(r -> r.atLeast(needed)).isPresent();
        if (!allowed) {
            return Optional.of(new Errors.Forbidden("You don't have the rights to "
                    + (needed == OrgRole.ADMIN ? "administer" : "create or change") + " repositories in '"
                    + namespace + "'"));
        }
        return Optional.empty();
    }

    private static boolean isOwner(@Nullable Principal caller, Repo repo) {
        return caller != null
                && (caller.user().name().equals(repo.repoId().namespace()) || caller.user().isAdmin());
    }
}
