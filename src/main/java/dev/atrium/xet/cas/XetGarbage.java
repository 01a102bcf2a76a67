package dev.atrium.xet.cas;

import dev.atrium.storage.BlobStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Frees the Xet storage nothing refers to any more, in this order: registrations of uploads whose commit never
 * landed, files registered in no repo (their repos were deleted, or their upload was abandoned), then xorbs that no
 * file uses, whose bytes are deleted last, once their rows are gone. Everything younger than the grace period is
 * kept, so uploads in flight (xorbs sent, shard or commit not yet) are never touched.
 *
 * <p>Safe while the server runs: a xorb is deleted only if no file term names it, and the foreign key from terms to
 * xorbs makes a shard registered concurrently against it fail instead (its client retries; no committed file ever
 * loses a chunk). Global deduplication never offers an unreferenced xorb. LFS blobs are not collected here: an LFS
 * batch can answer "already present" for a blob between a collection's check and its delete, which needs a
 * move-aside-and-recheck protocol first.
 */
public final class XetGarbage {
    /** What a collection removed, or would remove. */
    public record Report(int abandonedUploads, int files, int xorbs, long bytes) {}

    private final Jdbi jdbi;
    private final BlobStore blobs;
    private final Clock clock;

    public XetGarbage(Jdbi jdbi, BlobStore blobs, Clock clock) {
        this.jdbi = jdbi;
        this.blobs = blobs;
        this.clock = clock;
    }

    /**
     * Collects what has been unreferenced for longer than {@code grace}; with {@code apply} false it only reports,
     * by running the same deletes in a transaction that it rolls back.
     */
    public Report collect(Duration grace, boolean apply) throws IOException {
        long cutoff = clock.millis() - grace.toMillis();
        List<XorbSource> freed = new ArrayList<>();
        Report report = deleteRows(cutoff, apply, freed);
        if (apply) {
            for (XorbSource source : freed) {
                blobs.delete(((XorbSource.Stored) source).blob());
            }
        }
        return report;
    }

    private Report deleteRows(long cutoff, boolean apply, List<XorbSource> freed) {
        return jdbi.inTransaction(h -> {
            int abandoned = h.createUpdate(
                            "DELETE FROM xet_file_registrations WHERE committed = FALSE AND created_at < :cutoff")
                    .bind("cutoff", cutoff).execute();
            int files = h.createUpdate("""
                            DELETE FROM xet_files WHERE created_at < :cutoff AND NOT EXISTS (
                                SELECT 1 FROM xet_file_registrations r WHERE r.file_hash = xet_files.file_hash)""")
                    .bind("cutoff", cutoff).execute(); // their terms go with them (ON DELETE CASCADE)
            List<String> hashes = new ArrayList<>();
            long[] bytes = {0};
            h.createQuery("""
                            SELECT hash, blob_key, serialized_length FROM xet_xorbs x WHERE created_at < :cutoff
                              AND NOT EXISTS (SELECT 1 FROM xet_file_terms t WHERE t.xorb_hash = x.hash)""")
                    .bind("cutoff", cutoff)
                    .map((rs, ctx) -> {
                        hashes.add(rs.getString(1));
                        XorbSource source = XorbSource.parse(rs.getString(2));
                        if (source instanceof XorbSource.Stored) { // a view of an LFS blob frees no bytes of its own
                            freed.add(source);
                            bytes[0] += rs.getLong(3);
                        }
                        return source;
                    }).list();
            for (int from = 0; from < hashes.size(); from += 500) {
                h.createUpdate("DELETE FROM xet_xorbs WHERE hash IN (<hashes>)") // chunks go too (CASCADE)
                        .bindList("hashes", hashes.subList(from, Math.min(hashes.size(), from + 500))).execute();
            }
            if (!apply) {
                h.rollback(); // Jdbi then does not commit
            }
            return new Report(abandoned, files, hashes.size(), bytes[0]);
        });
    }
}
