package dev.atrium.mirror;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.gate.Gates;
import dev.atrium.http.Errors;
import dev.atrium.org.AuditLog;
import dev.atrium.org.RepoVisibility;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.usage.Quotas;
import java.io.IOException;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.eclipse.jgit.lib.PersonIdent;
import org.jspecify.annotations.Nullable;

/**
 * Making a mirror and ending one, for the API and the pages alike. A mirror is made only once its source has answered
 * that it exists and may be read, so a mistyped address or a wrong token makes nothing here; its content then
 * arrives with the first sync, in the background.
 */
public final class RepoMirroring {
    private final AccessPolicy policy;
    private final Quotas quotas;
    private final RepoService repoService;
    private final Mirrors mirrors;
    private final SourceHub sourceHub;
    private final MirrorScheduler scheduler;
    private final AuditLog audit;
    private final Gates gates;
    private final UnaryOperator<String> namespaceAsRegistered;
    private final RepoVisibility visibility;

    public RepoMirroring(AccessPolicy policy, Quotas quotas, RepoService repoService, Mirrors mirrors,
                         SourceHub sourceHub, MirrorScheduler scheduler, AuditLog audit, Gates gates,
                         UnaryOperator<String> namespaceAsRegistered, RepoVisibility visibility) {
        this.policy = policy;
        this.quotas = quotas;
        this.repoService = repoService;
        this.mirrors = mirrors;
        this.sourceHub = sourceHub;
        this.scheduler = scheduler;
        this.audit = audit;
        this.gates = gates;
        this.namespaceAsRegistered = namespaceAsRegistered;
        this.visibility = visibility;
    }

    /**
     * Makes {@code to} a mirror of {@code source}: private if {@code isPrivate} says so, else as the namespace's
     * default visibility; kept in sync, or imported once.
     */
    public Repo create(Principal caller, MirrorSource source, RepoId to, @Nullable Boolean isPrivate,
                       @Nullable String token, boolean keepInSync) throws IOException {
        RepoId id = new RepoId(namespaceAsRegistered.apply(to.namespace()), to.name());
        policy.requireNamespaceWrite(caller, id.namespace());
        if (source.type() == RepoType.SPACE) {
            // A Space's files are an app the hub would run: its author's code, taken from elsewhere unseen.
            throw new Errors.BadRequest("Spaces cannot be mirrored; models and datasets can");
        }
        SourceHub.SourceRepo found;
        try {
            found = sourceHub.requireReadable(source, token);
        } catch (MirrorFailure e) {
            throw new Errors.BadRequest(e.getMessage());
        }
        // What is private or gated there does not become open here by default: a private source's mirror is private
        // unless asked public, and a gated one asks for access as its source does (its license, say).
        boolean makePrivate = visibility.forNew(id.namespace(), isPrivate == null && found.isPrivate() ? Boolean.TRUE
                : isPrivate);
        if (makePrivate) {
            quotas.requirePrivateRepo(id.namespace());
        }
        Repo repo = repoService.create(source.type(), id, makePrivate, null,
                new PersonIdent(caller.user().name(), caller.user().email()));
        try {
            mirrors.add(repo, source, token, keepInSync, caller.user().id());
            if (found.gated() != null) {
                gates.setMode(repo.id(), Optional.of(found.gated().equals("manual") ? Gates.Mode.MANUAL
                        : Gates.Mode.AUTO));
            }
        } catch (RuntimeException e) {
            repoService.delete(repo);
            throw e;
        }
        audit.record(id.namespace(), caller.user(), keepInSync ? "repo.mirror" : "repo.import",
                source.pageUrl() + " -> " + id, makePrivate ? "private" : "public");
        scheduler.wake();
        return repo;
    }

    /** Gives the source a new token (or none) and syncs with it at once. */
    public void replaceToken(Principal caller, Repo repo, Mirrors.Mirror mirror, @Nullable String token) {
        mirrors.setToken(repo.id(), token);
        audit.recordOnRepo(repo, caller.user(), "repo.mirror-token", token == null ? "removed" : "replaced");
        syncNow(mirror);
    }

    /** "Sync now": the mirror is due at once, and a thread takes it as soon as one is free. */
    public void syncNow(Mirrors.Mirror mirror) {
        mirrors.requestSync(mirror);
        scheduler.wake();
    }

    /** Ends mirroring: the repo keeps what the last sync brought and takes commits and pushes from now on. */
    public void stop(Principal caller, Repo repo, Mirrors.Mirror mirror) throws IOException {
        if (mirrors.remove(repo.id())) {
            audit.recordOnRepo(repo, caller.user(), "repo.mirror-stop", mirror.source().pageUrl());
            try (org.eclipse.jgit.lib.Repository git = repoService.openGit(repo)) {
                SourceHub.dropFetched(git);
            }
        }
    }
}
