package dev.atrium.xet.cas;

import dev.atrium.DaemonThreads;
import dev.atrium.storage.BlobStore;
import dev.atrium.storage.Sha256;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.chunking.Chunker;
import dev.atrium.xet.hash.HashedChunk;
import dev.atrium.xet.hash.MerkleAccumulator;
import dev.atrium.xet.hash.XetHashes;
import dev.atrium.xet.shard.FileReconstruction;
import dev.atrium.xet.shard.FileTerm;
import dev.atrium.xet.shard.GlobalDedup;
import dev.atrium.xet.shard.XorbChunk;
import dev.atrium.xet.shard.XorbInfo;
import dev.atrium.xet.xorb.ChunkHeader;
import dev.atrium.xet.xorb.XorbLimits;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes files uploaded through LFS (git-lfs, the JS client, Python with Xet off) Xet files as well, in the
 * background: Xet clients then download them through reconstruction, and later uploads through Xet deduplicate
 * against them (a new version of a model pushed with git-lfs, re-uploaded with a 1 MB edit by hf_xet, stores about
 * 1 MB). Nothing is copied: the blob is chunked and hashed as a client would, and its xorbs are views of it
 * ({@link XorbSource.LfsView}) whose chunk headers are written when served. Until an object is done, Xet clients
 * get it as LFS, which they handle.
 *
 * <p>One worker thread, fed by landed commits ({@link #convertLater}) and, at start, by every linked object not yet
 * converted ({@link #backfill}).
 */
public final class LfsToXet implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LfsToXet.class);
    /** As hf_xet groups chunks: at most 64 MiB of content and 8192 chunks per xorb. */
    static final int MAX_XORB_CHUNKS = 8 * 1024;
    private static final int BACKFILL_PAGE = 500;

    private record Item(String repoId, Sha256 oid) {}

    private final Jdbi jdbi;
    private final BlobStore blobs;
    private final XetStore store;
    private final Clock clock;
    private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(DaemonThreads.named("lfs-to-xet"));

    public LfsToXet(Jdbi jdbi, BlobStore blobs, XetStore store, Clock clock) {
        this.jdbi = jdbi;
        this.blobs = blobs;
        this.store = store;
        this.clock = clock;
    }

    /** A commit of {@code repoId} references LFS object {@code oid}: make it a Xet file there, soon. */
    public void convertLater(String repoId, Sha256 oid) {
        queue.add(new Item(repoId, oid));
        worker.execute(this::drain);
    }

    /**
     * Queues every object linked to a repo that is not yet a Xet file there (objects from before this existed, or
     * whose conversion a crash cut short). {@code alone} runs the pass, or not when another node of the hub is
     * already doing it.
     */
    public void backfill(java.util.function.Consumer<Runnable> alone) {
        worker.execute(() -> alone.accept(() -> {
            String lastRepo = "";
            String lastOid = "";
            while (true) {
                String afterRepo = lastRepo;
                String afterOid = lastOid;
                // A page of linked objects in key order; only those not yet a Xet file in their repo are worked on,
                // so a restart of a large hub where everything is done reads the links once and converts nothing.
                List<Item[]> page = jdbi.withHandle(h -> h.createQuery("""
                                SELECT o.repo_id, o.oid, CASE WHEN o.size > 0 AND NOT EXISTS (
                                    SELECT 1 FROM xet_files f JOIN xet_file_registrations g ON g.file_hash = f.file_hash
                                    WHERE f.sha256 = o.oid AND g.repo_id = o.repo_id) THEN 1 ELSE 0 END
                                FROM lfs_objects o
                                WHERE o.repo_id > :r OR (o.repo_id = :r AND o.oid > :o)
                                ORDER BY o.repo_id, o.oid LIMIT :n""")
                        .bind("r", afterRepo).bind("o", afterOid).bind("n", BACKFILL_PAGE)
                        .map((rs, c) -> {
                            Item item = new Item(rs.getString(1), new Sha256(rs.getString(2)));
                            return new Item[] {item, rs.getInt(3) == 1 ? item : null};
                        }).list());
                if (page.isEmpty()) {
                    break;
                }
                page.stream().map(row -> row[1]).filter(java.util.Objects::nonNull).forEach(this::process);
                lastRepo = page.get(page.size() - 1)[0].repoId();
                lastOid = page.get(page.size() - 1)[0].oid().hex();
            }
        }));
    }

    private void drain() {
        for (Item item = queue.poll(); item != null; item = queue.poll()) {
            process(item);
        }
    }

    /** Registers the object's Xet file in the repo, converting the object first if no repo has it as one yet. */
    private void process(Item item) {
        try {
            Optional<Long> size = jdbi.withHandle(h -> h.createQuery("""
                            SELECT o.size FROM lfs_objects o
                            WHERE o.repo_id = :r AND o.oid = :o AND o.size > 0
                              AND NOT EXISTS (SELECT 1 FROM lfs_xet_failures x WHERE x.oid = o.oid)""")
                    .bind("r", item.repoId()).bind("o", item.oid().hex()).mapTo(Long.class).findOne());
            if (size.isEmpty() || store.fileBySha256(item.repoId(), item.oid()).isPresent()) {
                return; // uploaded through Xet, already done, or not convertible
            }
            Optional<MerkleHash> known = store.fileHashBySha256(item.oid());
            if (known.isPresent()) {
                store.registerExisting(known.get(), List.of(item.repoId()));
                return;
            }
            long started = System.nanoTime();
            Converted converted = convert(item.oid(), size.get());
            store.registerConverted(converted.file(), converted.indexed(), List.of(item.repoId()));
            LOG.info("LFS object {} ({} bytes) is now a Xet file: {} xorbs, {} ms", item.oid(), size.get(),
                    converted.file().terms().size(), (System.nanoTime() - started) / 1_000_000);
        } catch (org.jdbi.v3.core.JdbiException e) {
            // Another node converting the same object at once, or a passing database error: the rows that count
            // are written in one transaction, so trying again later (the next commit or start) is safe.
            LOG.warn("Recording LFS object {} as a Xet file failed, to be tried again: {}", item.oid(), e.toString());
        } catch (Unconvertible | RuntimeException e) {
            LOG.warn("Could not make LFS object {} a Xet file: {}", item.oid(), e.toString());
            jdbi.useHandle(h -> h.createUpdate("""
                            INSERT INTO lfs_xet_failures (oid, reason, failed_at) VALUES (:o, :r, :now)
                            ON CONFLICT (oid) DO NOTHING""")
                    .bind("o", item.oid().hex()).bind("r", truncate(e.toString())).bind("now", clock.millis())
                    .execute());
        } catch (IOException e) {
            // Stopping (the read was interrupted) or a passing I/O error: the next start's backfill tries again.
            if (!Thread.currentThread().isInterrupted()) {
                LOG.warn("Converting LFS object {} to Xet failed, to be tried again: {}", item.oid(), e.toString());
            }
        }
    }

    /** An object that cannot become a Xet file: its blob is gone, or not what its link says. Not tried again. */
    static final class Unconvertible extends IOException {
        private static final long serialVersionUID = 1L;

        Unconvertible(String message) {
            super(message);
        }
    }

    /** The file (one term per xorb) and the chunks to index for one LFS object whose xorbs are stored. */
    record Converted(FileReconstruction file, List<GlobalDedup.IndexedChunk> indexed) {}

    /**
     * Chunks and hashes the blob as hf_xet would, grouping chunks into xorbs of at most 64 MiB and 8192 chunks, and
     * stores each xorb (a view of the blob) as soon as it is complete. Memory stays that of one xorb's chunk list
     * whatever the file's size: the file's tree is built a leaf at a time. A conversion that fails half way leaves
     * stored xorbs that nothing references; converting again finds them by hash.
     */
    Converted convert(Sha256 oid, long size) throws IOException {
        InputStream opened;
        try {
            opened = blobs.openOnce(oid, 0, size);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new Unconvertible("blob " + oid + " is missing");
        }
        XorbBuilder xorbs = new XorbBuilder(oid);
        try (InputStream in = opened) {
            long read = Chunker.chunk(in, chunk -> xorbs.add(chunk.hash(), chunk.length()));
            if (read != size) {
                throw new Unconvertible("blob " + oid + " has " + read + " bytes, its link says " + size);
            }
        }
        return xorbs.finish();
    }

    /** Collects one xorb's chunks at a time and stores each xorb when it is full. */
    private final class XorbBuilder {
        private final Sha256 oid;
        private final MerkleAccumulator fileTree = new MerkleAccumulator();
        private final List<HashedChunk> chunks = new ArrayList<>();
        private final List<FileTerm> terms = new ArrayList<>();
        private long chunkBytes;
        private long fileOffset;
        private MerkleHash firstChunk;
        private MerkleHash firstXorb;

        XorbBuilder(Sha256 oid) {
            this.oid = oid;
        }

        void add(MerkleHash hash, int length) {
            if (!chunks.isEmpty() && (chunks.size() == MAX_XORB_CHUNKS
                    || chunkBytes + length > XorbLimits.MAX_XORB_BYTES)) {
                storeXorb();
            }
            chunks.add(new HashedChunk(hash, length));
            chunkBytes += length;
            fileTree.add(hash, length);
            if (firstChunk == null) {
                firstChunk = hash;
            }
        }

        private void storeXorb() {
            List<XorbChunk> layout = new ArrayList<>(chunks.size());
            long unpacked = 0;
            long packed = 0;
            for (HashedChunk c : chunks) {
                layout.add(new XorbChunk(c.hash(), unpacked, c.size(), packed, ChunkHeader.LENGTH + c.size()));
                unpacked += c.size();
                packed += ChunkHeader.LENGTH + c.size();
            }
            XorbInfo xorb = new XorbInfo(XetHashes.xorbHash(chunks), layout, packed);
            store.insertXorb(xorb, new XorbSource.LfsView(oid, fileOffset), null);
            terms.add(new FileTerm(xorb.hash(), 0, chunks.size(), unpacked));
            if (firstXorb == null) {
                firstXorb = xorb.hash();
            }
            fileOffset += unpacked;
            chunks.clear();
            chunkBytes = 0;
        }

        Converted finish() {
            storeXorb();
            FileReconstruction file = new FileReconstruction(XetHashes.fileHashOfRoot(fileTree.finish()), terms,
                    Optional.empty(), Optional.of(MerkleHash.parse(oid.hex())));
            // As for an uploaded shard: a file's first chunk is indexed whatever its hash, so that a new version of
            // the file finds this one (the chunks eligible by hash are indexed when the xorbs are recorded).
            return new Converted(file, List.of(new GlobalDedup.IndexedChunk(firstChunk, firstXorb, 0)));
        }
    }

    private static String truncate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 497) + "...";
    }

    @Override
    public void close() {
        worker.shutdownNow();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests: waits until the work queued so far is done. */
    void awaitIdle() throws InterruptedException {
        var done = new java.util.concurrent.CountDownLatch(1);
        worker.execute(done::countDown);
        done.await();
    }
}
