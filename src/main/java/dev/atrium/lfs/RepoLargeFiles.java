package dev.atrium.lfs;

import dev.atrium.storage.Sha256;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * The large files a repo holds, whichever way they came: LFS objects linked to it and Xet files registered in it
 * (by their content's SHA-256, the oid of their LFS pointer). These are what its storage usage counts, what
 * {@code list_lfs_files} lists, and what {@code permanently_delete_lfs_files} lets go of. Letting go removes the
 * repo's claim only: the bytes stay while another repo holds them, and otherwise {@code atrium admin gc} frees them.
 */
public final class RepoLargeFiles {
    /** One large file of a repo: its content's SHA-256 and size, and when the repo first got it. */
    public record StoredFile(Sha256 oid, long size, long pushedAt) {}

    private static final String HELD = "SELECT oid, MAX(size) AS size, MIN(created_at) AS pushed FROM ("
            + heldBy("r.id = :repo") + ") held";

    /**
     * The large files of the repos {@code repoCondition} (on {@code r}, a {@code repos} row) selects, one row per repo
     * and way it holds a content: LFS objects linked to it and Xet files registered in it, by their content's SHA-256
     * (an LFS oid). Columns {@code repo_id, private, oid, size, created_at}. What storage usage counts and
     * {@code list_lfs_files} lists, so that the two always agree.
     */
    public static String heldBy(String repoCondition) {
        return """
                SELECT o.repo_id AS repo_id, r.private AS private, o.oid AS oid, o.size AS size,
                       o.created_at AS created_at
                FROM lfs_objects o JOIN repos r ON r.id = o.repo_id WHERE %1$s
                UNION ALL
                SELECT g.repo_id, r.private, f.sha256, f.size, g.created_at
                FROM xet_file_registrations g JOIN xet_files f ON f.file_hash = g.file_hash
                JOIN repos r ON r.id = g.repo_id WHERE %1$s AND f.sha256 IS NOT NULL""".formatted(repoCondition);
    }

    private final Jdbi jdbi;

    public RepoLargeFiles(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Files {@code [offset, offset + limit)}, newest first. */
    public List<StoredFile> page(String repoId, int offset, int limit) {
        return jdbi.withHandle(h -> h.createQuery(
                        HELD + " GROUP BY oid ORDER BY pushed DESC, oid LIMIT :limit OFFSET :offset")
                .bind("repo", repoId).bind("limit", limit).bind("offset", offset)
                .map((rs, ctx) -> new StoredFile(new Sha256(rs.getString("oid")), rs.getLong("size"),
                        rs.getLong("pushed")))
                .list());
    }

    /**
     * Whether the repo holds the content {@code oid}, as its own or as a file the hub made from its files (its Parquet
     * export): what serving a pointer to it needs.
     */
    public boolean holds(String repoId, Sha256 oid) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT 1 FROM lfs_objects WHERE repo_id = :repo AND oid = :oid
                        UNION ALL
                        SELECT 1 FROM derived_lfs_objects WHERE repo_id = :repo AND oid = :oid
                        UNION ALL
                        SELECT 1 FROM xet_files f
                        JOIN xet_file_registrations g ON g.file_hash = f.file_hash AND g.repo_id = :repo
                        WHERE f.sha256 = :oid""")
                .bind("repo", repoId).bind("oid", oid.hex()).mapTo(Integer.class).findFirst().isPresent());
    }

    /** Which of {@code oids} the repo holds. */
    public Set<Sha256> held(String repoId, Collection<Sha256> oids) {
        if (oids.isEmpty()) {
            return Set.of();
        }
        return jdbi.withHandle(h -> h.createQuery(HELD + " WHERE oid IN (<oids>) GROUP BY oid")
                .bind("repo", repoId).bindList("oids", oids.stream().map(Sha256::hex).toList())
                .map((rs, ctx) -> new Sha256(rs.getString("oid")))
                .collect(Collectors.toSet()));
    }

    /** The rows a {@link #forget} removed, so that {@link #restore} can put them back as they were. */
    public record Forgotten(List<LfsLink> links, List<XetRegistration> registrations) {}

    /** A row of {@code lfs_objects}. */
    public record LfsLink(String repoId, String oid, long size, long createdAt) {}

    /** A row of {@code xet_file_registrations}. */
    public record XetRegistration(String fileHash, String repoId, @Nullable String userId, long createdAt,
                                  boolean committed) {}

    /**
     * Removes the repo's claim on {@code oids}, LFS links and Xet registrations together. From then on no commit or
     * push of the repo may reference them (see {@code LfsObjects.sizeOf}).
     */
    public Forgotten forget(String repoId, Collection<Sha256> oids) {
        if (oids.isEmpty()) {
            return new Forgotten(List.of(), List.of());
        }
        List<String> hex = oids.stream().map(Sha256::hex).toList();
        return jdbi.inTransaction(h -> {
            List<LfsLink> links = h.createQuery("""
                    SELECT repo_id, oid, size, created_at FROM lfs_objects WHERE repo_id = :repo AND oid IN (<oids>)""")
                    .bind("repo", repoId).bindList("oids", hex)
                    .map((rs, ctx) -> new LfsLink(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4)))
                    .list();
            String registered = """
                    FROM xet_file_registrations WHERE repo_id = :repo
                      AND file_hash IN (SELECT file_hash FROM xet_files WHERE sha256 IN (<oids>))""";
            List<XetRegistration> registrations = h.createQuery(
                            "SELECT file_hash, repo_id, user_id, created_at, committed " + registered)
                    .bind("repo", repoId).bindList("oids", hex)
                    .map((rs, ctx) -> new XetRegistration(rs.getString(1), rs.getString(2), rs.getString(3),
                            rs.getLong(4), rs.getBoolean(5)))
                    .list();
            h.createUpdate("DELETE FROM lfs_objects WHERE repo_id = :repo AND oid IN (<oids>)")
                    .bind("repo", repoId).bindList("oids", hex).execute();
            h.createUpdate("DELETE " + registered).bind("repo", repoId).bindList("oids", hex).execute();
            return new Forgotten(links, registrations);
        });
    }

    /**
     * Puts back what {@link #forget} removed, when what it was removed for did not happen. Rows added again since
     * (the same content uploaded anew) stay as they are.
     */
    public void restore(Forgotten forgotten) {
        jdbi.useTransaction(h -> {
            for (LfsLink l : forgotten.links()) {
                h.createUpdate("""
                        INSERT INTO lfs_objects (repo_id, oid, size, created_at) VALUES (:repo, :oid, :size, :at)
                        ON CONFLICT (repo_id, oid) DO NOTHING""")
                        .bind("repo", l.repoId()).bind("oid", l.oid()).bind("size", l.size())
                        .bind("at", l.createdAt()).execute();
            }
            for (XetRegistration r : forgotten.registrations()) {
                h.createUpdate("""
                        INSERT INTO xet_file_registrations (file_hash, repo_id, user_id, created_at, committed)
                        VALUES (:file, :repo, :user, :at, :committed) ON CONFLICT (file_hash, repo_id) DO NOTHING""")
                        .bind("file", r.fileHash()).bind("repo", r.repoId()).bind("user", r.userId())
                        .bind("at", r.createdAt()).bind("committed", r.committed()).execute();
            }
        });
    }
}
