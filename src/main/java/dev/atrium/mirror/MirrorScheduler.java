package dev.atrium.mirror;

import dev.atrium.DaemonThreads;
import dev.atrium.db.Leases;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the syncs that are due, one at a time on a thread of their own: a sync downloads whole models, which must hold
 * up neither requests nor the housekeeping thread. Each sync holds a lease, so two nodes of a hub never sync the same
 * mirror at once (their ref updates could not both land anyway).
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
    private final ExecutorService worker = Executors.newSingleThreadExecutor(DaemonThreads.named("mirror-sync"));
    private final AtomicBoolean passQueued = new AtomicBoolean();

    public MirrorScheduler(Mirrors mirrors, MirrorSync sync, Leases leases) {
        this.mirrors = mirrors;
        this.sync = sync;
        this.leases = leases;
    }

    /** Starts a pass over the due mirrors unless one is waiting to start already. */
    public void wake() {
        if (passQueued.compareAndSet(false, true)) {
            worker.execute(() -> {
                passQueued.set(false);
                try {
                    for (Mirrors.Mirror due : mirrors.due(PASS)) {
                        leases.runAlone("mirror-sync:" + due.repoId(), LEASE, () -> sync.sync(due));
                    }
                } catch (RuntimeException e) {
                    LOG.warn("A pass over the mirrors failed: {}", e.toString());
                }
            });
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
