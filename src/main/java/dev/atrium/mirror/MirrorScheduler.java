package dev.atrium.mirror;

import dev.atrium.DaemonThreads;
import dev.atrium.db.Leases;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the syncs that are due on threads of their own, two at a time: a sync downloads whole models, which must hold
 * up neither requests nor the housekeeping thread, and one first import of a very large model must not hold up every
 * other mirror for hours. Each sync holds a lease, so two nodes of a hub never sync the same mirror at once (their
 * ref updates could not both land anyway).
 */
public final class MirrorScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorScheduler.class);
    /** How many due mirrors one pass takes; the next pass, a minute later or at the next request, takes more. */
    private static final int PASS = 20;
    /** A node that dies mid-sync frees its mirror after this long. */
    private static final Duration LEASE = Duration.ofHours(6);

    private final Mirrors mirrors;
    private final MirrorSync sync;
    private final Leases leases;
    private static final int SYNCS_AT_ONCE = 2;

    private final ExecutorService syncs = Executors.newFixedThreadPool(SYNCS_AT_ONCE,
            DaemonThreads.named("mirror-sync"));
    /** Mirrors handed to the threads and not done yet on this node: a due mirror is queued once. */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();

    public MirrorScheduler(Mirrors mirrors, MirrorSync sync, Leases leases) {
        this.mirrors = mirrors;
        this.sync = sync;
        this.leases = leases;
    }

    /** Queues the mirrors that are due and not queued yet (one query, on the caller's thread). */
    public void wake() {
        List<Mirrors.Mirror> due;
        try {
            due = mirrors.due(PASS);
        } catch (RuntimeException e) {
            LOG.warn("Looking for mirrors to sync failed: {}", e.toString());
            return;
        }
        for (Mirrors.Mirror mirror : due) {
            if (queued.add(mirror.repoId())) {
                syncs.execute(() -> {
                    try {
                        leases.runAlone("mirror-sync:" + mirror.repoId(), LEASE, () -> sync.sync(mirror));
                    } catch (RuntimeException e) {
                        LOG.warn("Syncing mirror {} failed: {}", mirror.repoId(), e.toString());
                    } finally {
                        queued.remove(mirror.repoId());
                    }
                });
            }
        }
    }

    @Override
    public void close() {
        syncs.shutdownNow();
    }
}
