package dev.atrium.xet.cas;

import dev.atrium.DaemonThreads;
import dev.atrium.repo.Repo;
import dev.atrium.storage.Sha256;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.shard.FileReconstruction;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks the SHA-256 a Xet upload claims for each file (its shard's metadata) by rebuilding the file and hashing it
 * once: in the background after the upload, or at once when something must rely on it (two uploads of one file that
 * disagree; a scan keeping its verdict by SHA-256). The file hash is the content's own (the shard check recomputes
 * it); the SHA-256 is what the LFS pointer, git-lfs and every lookup by SHA-256 go by, so a wrong claim is replaced by
 * the real value, and the pointer that carried it then leads nowhere.
 */
public final class XetSha256Checks {
    private static final Logger LOG = LoggerFactory.getLogger(XetSha256Checks.class);
    private static final int QUEUE = 10_000;
    private static final int PAGE = 100;

    private final XetStore store;
    private final XetContent content;
    private final Set<MerkleHash> queued = ConcurrentHashMap.newKeySet();
    private final Map<MerkleHash, CompletableFuture<Optional<Sha256>>> inFlight = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), DaemonThreads.named("xet-sha256-checks"));
    private volatile boolean closing;

    public XetSha256Checks(XetStore store, XetContent content) {
        this.store = store;
        this.content = content;
    }

    /**
     * The file's real SHA-256, read and hashed now unless that was done before; empty for an unknown file. A caller
     * that asks while the file is being read waits for that reading rather than reading it again: a scan of a new
     * file asks as soon as its commit lands, while the background check of its upload is under way.
     */
    public Optional<Sha256> check(MerkleHash fileHash) throws IOException {
        CompletableFuture<Optional<Sha256>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<Sha256>> running = inFlight.putIfAbsent(fileHash, mine);
        if (running != null) {
            return outcome(running);
        }
        try {
            Optional<Sha256> sha = read(fileHash);
            mine.complete(sha);
            return sha;
        } catch (IOException | RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(fileHash, mine);
        }
    }

    private static Optional<Sha256> outcome(CompletableFuture<Optional<Sha256>> running) throws IOException {
        try {
            return running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while another check read the file");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw new IOException(io.getMessage(), io);
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private Optional<Sha256> read(MerkleHash fileHash) throws IOException {
        Optional<XetStore.Sha256Claim> claim = store.sha256Claim(fileHash);
        if (claim.isEmpty() || claim.get().checked()) {
            return claim.map(XetStore.Sha256Claim::sha256);
        }
        FileReconstruction file = store.anyFile(fileHash)
                .orElseThrow(() -> new IOException("Xet file " + fileHash + " has no terms"));
        MessageDigest digest = Sha256.newDigest();
        long[] written = {0};
        OutputStream counted = new OutputStream() {
            @Override
            public void write(int b) {
                written[0]++;
            }

            @Override
            public void write(byte[] b, int off, int len) {
                written[0] += len;
            }
        };
        try (OutputStream out = new DigestOutputStream(counted, digest)) {
            content.writeOnce(file, claim.get().size(), out);
        }
        if (written[0] != claim.get().size()) {
            throw new IOException("Xet file " + fileHash + " rebuilt to " + written[0] + " of its "
                    + claim.get().size() + " bytes");
        }
        Sha256 real = Sha256.of(digest);
        if (claim.get().sha256() != null && !real.equals(claim.get().sha256())) {
            LOG.warn("Xet file {} was uploaded as SHA-256 {}, but its bytes hash to {}: recorded as such, so the"
                    + " pointer that claimed it leads nowhere", fileHash, claim.get().sha256(), real);
        }
        store.sha256Checked(fileHash, real);
        return Optional.of(real);
    }

    /**
     * Whether the Xet file {@code repo} holds under this SHA-256 really has it (checked now if need be): false when
     * the repo holds none, or when its bytes hash to something else.
     */
    public boolean holds(Repo repo, Sha256 oid) throws IOException {
        Optional<XetStore.XetFile> file = store.fileBySha256(repo.id(), oid);
        return file.isPresent() && check(file.get().fileHash()).map(oid::equals).orElse(false);
    }

    /** Checks these files on a background thread; files waiting already, or when the queue is full, are left out. */
    public void checkLater(Collection<MerkleHash> files) {
        for (MerkleHash file : files) {
            if (!queued.add(file)) {
                continue;
            }
            try {
                worker.execute(() -> {
                    try {
                        check(file);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("Checking the SHA-256 of Xet file {} failed, to be tried at the next start: {}",
                                file, e.toString());
                    } finally {
                        queued.remove(file);
                    }
                });
            } catch (RejectedExecutionException e) { // full or stopping: the next start's pass checks it
                queued.remove(file);
            }
        }
    }

    /**
     * Checks every file still unchecked (uploaded before the checks existed, or left when the server stopped) on a
     * thread of its own at startup; {@code alone} runs the pass, or not when another node is doing it.
     */
    public void backfill(Consumer<Runnable> alone) {
        Thread thread = new Thread(() -> alone.accept(() -> {
            String after = "";
            int checked = 0;
            for (List<MerkleHash> page = store.unchecked(after, PAGE); !page.isEmpty() && !closing;
                 page = store.unchecked(after, PAGE)) {
                for (MerkleHash file : page) {
                    if (closing) {
                        break;
                    }
                    try {
                        check(file);
                        checked++;
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("Checking the SHA-256 of Xet file {} failed: {}", file, e.toString());
                    }
                }
                after = page.get(page.size() - 1).hex();
            }
            if (checked > 0) {
                LOG.info("Checked the SHA-256 of {} Xet files uploaded before the checks ran", checked);
            }
        }), "xet-sha256-backfill");
        thread.setDaemon(true);
        thread.start();
    }

    /** Takes no more work; a check cut short records nothing and runs again at the next start. */
    public void close() {
        closing = true;
        worker.shutdown();
    }
}
