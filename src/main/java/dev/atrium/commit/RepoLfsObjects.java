package dev.atrium.commit;

import dev.atrium.repo.Repo;
import dev.atrium.storage.Sha256;
import java.time.Clock;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;

/** The LFS objects a repo may reference (table lfs_objects). */
public final class RepoLfsObjects {
    private final Jdbi jdbi;
    private final Clock clock;

    public RepoLfsObjects(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public OptionalLong sizeOf(Repo repo, Sha256 oid) {
        return jdbi.withHandle(h -> h.createQuery("SELECT size FROM lfs_objects WHERE repo_id = :r AND oid = :o")
                .bind("r", repo.id()).bind("o", oid.hex()).mapTo(Long.class).findOne()
                .map(OptionalLong::of).orElse(OptionalLong.empty()));
    }

    public void link(Repo repo, Sha256 oid, long size) {
        if (sizeOf(repo, oid).isPresent()) {
            return;
        }
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO lfs_objects (repo_id, oid, size, created_at) VALUES (:r, :o, :s, :now)
                ON CONFLICT (repo_id, oid) DO NOTHING""")
                .bind("r", repo.id()).bind("o", oid.hex()).bind("s", size).bind("now", clock.millis()).execute());
    }
}
