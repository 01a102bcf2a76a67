package dev.atrium.lfs;

import dev.atrium.storage.BlobStore;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Frees LFS blobs nothing refers to: no repo links the object (its repos were deleted), no repo's Parquet export
 * holds it (a newer export replaced it: {@code derived_lfs_objects}), and no Xet file reads it
 * through a view xorb ({@code lfs-view:} in {@code xet_xorbs}, made by the background conversion). Run after the Xet
 * collection, which drops the views of files no repo holds.
 *
 * <p>Safe while the server runs. Blobs younger than the grace period are skipped. A repo gets a link only by
 * uploading the bytes (the LFS batch asks even when another repo has them) or by a copy from a repo that links
 * them, so a candidate can gain a reference only through a writer that checks the blob exists: the store sets the
 * blob aside before this checks again ({@link BlobStore#deleteIfUnreferenced}), so such a writer either is seen by
 * the check or finds the blob missing and fails; no commit is left pointing at nothing.
 */
public final class LfsGarbage {
    /** What a collection removed, or would remove. */
    public record Report(int blobs, long bytes) {}

    private final Jdbi jdbi;
    private final BlobStore blobs;
    private final Clock clock;

    public LfsGarbage(Jdbi jdbi, BlobStore blobs, Clock clock) {
        this.jdbi = jdbi;
        this.blobs = blobs;
        this.clock = clock;
    }

    /** Collects the blobs unreferenced and older than {@code grace}; with {@code apply} false it only reports. */
    public Report collect(Duration grace, boolean apply) throws IOException {
        Set<String> viewed = viewedBlobs();
        int count = 0;
        long bytes = 0;
        for (Sha256 oid : blobs.contentBlobsWrittenBefore(clock.instant().minus(grace))) {
            if (viewed.contains(oid.hex()) || linked(oid)) {
                continue;
            }
            long size = blobs.size(oid).orElse(0);
            if (!apply || blobs.deleteIfUnreferenced(oid, () -> !linked(oid) && !viewed(oid))) {
                count++;
                bytes += size;
            }
        }
        return new Report(count, bytes);
    }

    private boolean linked(Sha256 oid) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT 1 FROM lfs_objects WHERE oid = :oid
                        UNION ALL SELECT 1 FROM derived_lfs_objects WHERE oid = :oid""")
                .bind("oid", oid.hex()).mapTo(Integer.class).findFirst().isPresent());
    }

    private boolean viewed(Sha256 oid) {
        return jdbi.withHandle(h -> h.createQuery("SELECT 1 FROM xet_xorbs WHERE blob_key LIKE :prefix")
                .bind("prefix", "lfs-view:" + oid.hex() + "@%").mapTo(Integer.class).findFirst().isPresent());
    }

    /** The blobs some view xorb reads, read once for the whole scan; each deletion checks again on its own. */
    private Set<String> viewedBlobs() {
        Set<String> viewed = new HashSet<>();
        jdbi.useHandle((Handle h) -> h.createQuery("SELECT blob_key FROM xet_xorbs WHERE blob_key LIKE 'lfs-view:%'")
                .mapTo(String.class)
                .forEach(key -> viewed.add(key.substring("lfs-view:".length(), key.indexOf('@')))));
        return viewed;
    }
}
