package dev.atrium.api;

import dev.atrium.auth.Principal;
import dev.atrium.http.Errors;
import dev.atrium.lfs.RepoLargeFiles;
import dev.atrium.org.AuditLog;
import dev.atrium.lfs.RepoLargeFiles.StoredFile;
import dev.atrium.repo.LfsPointerLocator;
import dev.atrium.repo.LfsPointerPurge;
import dev.atrium.repo.RefMovedException;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Repos;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.Repository;
import org.jspecify.annotations.Nullable;

/**
 * Listing and permanently deleting a repo's large files, for the API ({@link LfsStorageApi}) and the repo's settings
 * page alike, so that both free storage the same way (and leave the same entry in an organization's audit log).
 * Callers check that the caller may write to the repo.
 */
public final class LargeFiles {
    /** A large file the repo holds, with a path that pointed to it and the ref whose history has it, when found. */
    public record Listed(Sha256 oid, long size, long pushedAt, @Nullable String path, @Nullable String ref) {}

    private final RepoService repoService;
    private final Repos repos;
    private final RepoLargeFiles files;
    private final Clock clock;
    private final AuditLog audit;

    public LargeFiles(RepoService repoService, Repos repos, RepoLargeFiles files, Clock clock, AuditLog audit) {
        this.repoService = repoService;
        this.repos = repos;
        this.files = files;
        this.clock = clock;
        this.audit = audit;
    }

    /** Files {@code [offset, offset + limit)}, newest first. */
    public List<Listed> page(Repo repo, int offset, int limit) throws IOException {
        List<StoredFile> page = files.page(repo.id(), offset, limit);
        Map<Sha256, LfsPointerLocator.Location> where;
        try (Repository git = repoService.openGit(repo)) {
            where = LfsPointerLocator.locate(git, page.stream().map(StoredFile::oid).collect(Collectors.toSet()));
        }
        List<Listed> listed = new ArrayList<>(page.size());
        for (StoredFile file : page) {
            LfsPointerLocator.Location location = where.get(file.oid());
            listed.add(new Listed(file.oid(), file.size(), file.pushedAt(), location == null ? null : location.path(),
                    location == null ? null : location.ref()));
        }
        return listed;
    }

    /**
     * Lets go of {@code oids}: with {@code rewriteHistory}, every commit is first rebuilt without the pointers to
     * them, so that no revision names content that is gone; without, those revisions keep pointers whose downloads
     * fail. Files the repo does not hold are skipped, so a retried request succeeds.
     *
     * @return how many files the repo let go of
     * @throws Errors.Conflict when a ref moved during the rewrite; then nothing changed
     */
    public int delete(Principal caller, Repo repo, Collection<Sha256> oids, boolean rewriteHistory)
            throws IOException {
        Set<Sha256> held = files.held(repo.id(), oids);
        if (held.isEmpty()) {
            return 0;
        }
        // The claim goes first: from then on no commit or push may add a pointer to these files, so none can land
        // between the rewrite and the release and keep pointing at content about to be gone. One that was checked
        // before and lands before the rewrite moves a ref the rewrite then fails to swap: all is put back.
        RepoLargeFiles.Forgotten forgotten = files.forget(repo.id(), held);
        if (rewriteHistory) {
            try (Repository git = repoService.openGit(repo)) {
                LfsPointerPurge.purge(git, held);
            } catch (RefMovedException e) {
                files.restore(forgotten);
                throw new Errors.Conflict("the repository changed while its history was rewritten; nothing was "
                        + "deleted, try again");
            } catch (IOException | RuntimeException e) {
                files.restore(forgotten);
                throw e;
            }
        }
        repos.touch(repo, clock.millis());
        audit.recordOnRepo(repo, caller.user(), "repo.large-files.delete", held.size() + " files"
                + (rewriteHistory ? ", history rewritten" : ""));
        return held.size();
    }
}
