package dev.atrium.lfs;

import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.storage.BlobMismatchException;
import dev.atrium.storage.BlobStore;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.jdbi.v3.core.Jdbi;

/**
 * Which LFS objects each repo may reference. Bytes are stored once in the {@link BlobStore} whatever repo sent
 * them, but a repo only reaches an object after the object was uploaded <em>to that repo</em> (a link in
 * {@code lfs_objects}): knowing a sha256 is never enough to read another repo's content or to commit a pointer
 * to it. The git pre-receive policy, the LFS batch API and the commit endpoint all ask this class.
 */
public final class LfsObjects {
    private final Jdbi jdbi;
    private final BlobStore blobs;
    private final Clock clock;
    private final XetBacked xet;

    /** Objects whose content is stored as Xet chunks rather than as one blob. */
    public interface XetBacked {
        /** The size of the object when {@code repo} registered one with this SHA-256 through Xet. */
        OptionalLong sizeOf(Repo repo, Sha256 oid);

        /** Writes bytes {@code [offset, offset + length)} of that object, rebuilt from its chunks. */
        void write(Repo repo, Sha256 oid, long offset, long length, java.io.OutputStream out) throws IOException;

        /** A commit of {@code repo} that references the object has landed: it may now be read through Xet. */
        default void committed(Repo repo, Sha256 oid) {}
    }

    private static final XetBacked NO_XET = new XetBacked() {
        @Override
        public OptionalLong sizeOf(Repo repo, Sha256 oid) {
            return OptionalLong.empty();
        }

        @Override
        public void write(Repo repo, Sha256 oid, long offset, long length, java.io.OutputStream out) throws IOException {
            throw new IOException("no Xet storage configured");
        }
    };

    public LfsObjects(Jdbi jdbi, BlobStore blobs, Clock clock, XetBacked xet) {
        this.jdbi = jdbi;
        this.blobs = blobs;
        this.clock = clock;
        this.xet = xet;
    }

    public LfsObjects(Jdbi jdbi, BlobStore blobs, Clock clock) {
        this(jdbi, blobs, clock, NO_XET);
    }

    /**
     * The size of the object when {@code repo} may reference it: linked to the repo (or made by the hub from its files,
     * {@link #storeDerived}) and present in the store.
     */
    public OptionalLong sizeOf(Repo repo, Sha256 oid) throws IOException {
        Optional<Long> linked = jdbi.withHandle(h -> h.createQuery("""
                        SELECT size FROM lfs_objects WHERE repo_id = :repo AND oid = :oid
                        UNION ALL
                        SELECT size FROM derived_lfs_objects WHERE repo_id = :repo AND oid = :oid""")
                .bind("repo", repo.id()).bind("oid", oid.hex()).mapTo(Long.class).findFirst());
        if (linked.isEmpty()) {
            // Uploaded through Xet: registered by a shard in this repo, reconstructed from chunks on download.
            return xet.sizeOf(repo, oid);
        }
        OptionalLong stored = blobs.size(oid);
        // A link whose bytes are gone (lost disk, manual cleanup) must not let a commit or push reference nothing.
        return stored.isPresent() && stored.getAsLong() == linked.get() ? stored : OptionalLong.empty();
    }

    /** True when the object's bytes are one stored blob; false when they must be rebuilt through {@link #writeXet}. */
    public boolean isBlob(Sha256 oid) throws IOException {
        return blobs.contains(oid);
    }

    public void writeXet(Repo repo, Sha256 oid, long offset, long length, java.io.OutputStream out) throws IOException {
        xet.write(repo, oid, offset, length, out);
    }

    /**
     * Up to {@code length} bytes of a stored object from {@code offset} (fewer at its end): for reading file headers
     * without reading the file. Empty when {@code repo} may not reference the object.
     */
    public byte[] readRange(Repo repo, Sha256 oid, long offset, int length) throws IOException {
        OptionalLong size = sizeOf(repo, oid);
        if (size.isEmpty() || offset >= size.getAsLong()) {
            return new byte[0];
        }
        int n = (int) Math.min(length, size.getAsLong() - offset);
        if (isBlob(oid)) {
            try (InputStream in = blobs.open(oid, offset, n)) {
                return in.readNBytes(n);
            }
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(n);
        writeXet(repo, oid, offset, n, out);
        return out.toByteArray();
    }

    /**
     * Up to {@code limit} first bytes of a file of a tree: the object an LFS pointer names, or else the git blob
     * itself.
     */
    public byte[] readStart(Repository git, Repo repo, FileEntry file, int limit) throws IOException {
        if (file.lfs() != null) {
            return readRange(repo, file.lfs().oid(), 0, limit);
        }
        try (InputStream in = git.open(ObjectId.fromString(file.oid()), Constants.OBJ_BLOB).openStream()) {
            return in.readNBytes(limit);
        }
    }

    /**
     * Writes the whole object to {@code out}, from its blob or rebuilt from its Xet chunks; false (nothing written) when
     * {@code repo} may not reference it.
     */
    public boolean copy(Repo repo, Sha256 oid, java.io.OutputStream out) throws IOException {
        return copyStart(repo, oid, Long.MAX_VALUE, out);
    }

    /** Like {@link #copy}, of the object's first {@code limit} bytes only (all of a smaller one). */
    public boolean copyStart(Repo repo, Sha256 oid, long limit, java.io.OutputStream out) throws IOException {
        OptionalLong size = sizeOf(repo, oid);
        if (size.isEmpty()) {
            return false;
        }
        long length = Math.min(limit, size.getAsLong());
        if (isBlob(oid)) {
            try (InputStream in = blobs.open(oid, 0, length)) {
                in.transferTo(out);
            }
        } else {
            writeXet(repo, oid, 0, length, out);
        }
        return true;
    }

    /**
     * Called for every LFS pointer a landed commit or push references. A derived object (say a Parquet export file
     * downloaded and committed again) becomes the repo's own, or replacing the export would take it from the commit.
     */
    public void noteCommitted(Repo repo, Sha256 oid) {
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO lfs_objects (repo_id, oid, size, created_at)
                SELECT repo_id, oid, size, :now FROM derived_lfs_objects WHERE repo_id = :repo AND oid = :oid
                ON CONFLICT (repo_id, oid) DO NOTHING""")
                .bind("repo", repo.id()).bind("oid", oid.hex()).bind("now", clock.millis()).execute());
        xet.committed(repo, oid);
    }

    public boolean isLinked(Repo repo, Sha256 oid) throws IOException {
        return sizeOf(repo, oid).isPresent();
    }

    /**
     * Lets {@code repo} reference an object that is already in the blob store, e.g. one the commit endpoint stored
     * from an inline upload. Idempotent.
     *
     * @throws IllegalArgumentException when the store has no object with that oid and size: a link must never
     *                                  point at missing bytes
     */
    public void link(Repo repo, Sha256 oid, long size) throws IOException {
        OptionalLong stored = blobs.size(oid);
        if (stored.isEmpty() || stored.getAsLong() != size) {
            throw new IllegalArgumentException("blob " + oid + " of " + size + " bytes is not in the store");
        }
        // ON CONFLICT DO NOTHING is understood by SQLite and PostgreSQL alike; the first link's time is kept.
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO lfs_objects (repo_id, oid, size, created_at) VALUES (:repo, :oid, :size, :now)
                ON CONFLICT (repo_id, oid) DO NOTHING""")
                .bind("repo", repo.id()).bind("oid", oid.hex()).bind("size", size).bind("now", clock.millis())
                .execute());
    }

    /**
     * Stores an object the hub made from {@code repo}'s files, as {@link #store} does, and lets the repo serve it without
     * counting it as the repo's storage; {@link #keepDerived} lets it go again.
     */
    public void storeDerived(Repo repo, Sha256 oid, long size, InputStream in)
            throws IOException, BlobMismatchException {
        blobs.put(oid, size, in);
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO derived_lfs_objects (repo_id, oid, size, created_at) VALUES (:repo, :oid, :size, :now)
                ON CONFLICT (repo_id, oid) DO NOTHING""")
                .bind("repo", repo.id()).bind("oid", oid.hex()).bind("size", size).bind("now", clock.millis())
                .execute());
        // Checked after the row is in: garbage collection sets a blob aside before it looks for rows, so either it
        // saw this row or the blob is missing here.
        if (blobs.size(oid).isEmpty()) {
            throw new IOException("blob " + oid + " was collected while it was being stored again; try again");
        }
    }

    /**
     * Makes {@code kept} (oid to size) the repo's derived objects, once what references them has landed: the others
     * are let go (garbage collection frees their bytes unless something else holds them), and the kept ones are
     * claimed again, should a slower writer have let them go meanwhile. One transaction.
     */
    public void keepDerived(Repo repo, Map<Sha256, Long> kept) {
        long now = clock.millis();
        jdbi.useTransaction(h -> {
            for (Map.Entry<Sha256, Long> object : kept.entrySet()) {
                h.createUpdate("""
                        INSERT INTO derived_lfs_objects (repo_id, oid, size, created_at)
                        VALUES (:repo, :oid, :size, :now) ON CONFLICT (repo_id, oid) DO NOTHING""")
                        .bind("repo", repo.id()).bind("oid", object.getKey().hex()).bind("size", object.getValue())
                        .bind("now", now).execute();
            }
            if (kept.isEmpty()) {
                h.createUpdate("DELETE FROM derived_lfs_objects WHERE repo_id = :repo").bind("repo", repo.id())
                        .execute();
            } else {
                h.createUpdate("DELETE FROM derived_lfs_objects WHERE repo_id = :repo AND oid NOT IN (<kept>)")
                        .bind("repo", repo.id())
                        .bindList("kept", kept.keySet().stream().map(Sha256::hex).toList()).execute();
            }
        });
    }

    /**
     * Streams {@code in} into the store, verifying it hashes to {@code oid} and has {@code size} bytes, then links
     * it to {@code repo}. On a mismatch nothing is stored or linked.
     */
    public void store(Repo repo, Sha256 oid, long size, InputStream in) throws IOException, BlobMismatchException {
        blobs.put(oid, size, in);
        link(repo, oid, size);
    }
}
