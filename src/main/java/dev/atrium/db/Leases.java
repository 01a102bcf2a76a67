package dev.atrium.db;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Lets one node of a hub at a time do a piece of background work that every node would otherwise do at start (the
 * passes over every repo that index, convert and scan what is missing): doing it twice is correct but doubles its
 * reads, from a shared bucket and file system at that. A lease is held while the work runs and given back after; a
 * node that dies holding one keeps it until it expires, and the work then waits for the next start.
 */
public final class Leases {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Leases.class);

    private final Jdbi jdbi;
    private final Clock clock;
    /** This process: a node that restarts is a new holder. */
    private final String holder = UUID.randomUUID().toString();

    public Leases(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * Runs {@code work} unless another node holds the lease {@code name}; returns whether it ran. {@code atMost} is how
     * long the lease lasts should this node die before giving it back.
     */
    public boolean runAlone(String name, Duration atMost, Runnable work) {
        long now = clock.millis();
        int taken = jdbi.withHandle(h -> h.createUpdate("""
                        INSERT INTO leases (name, holder, expires_at) VALUES (:name, :holder, :expires)
                        ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
                        WHERE leases.expires_at < :now""")
                .bind("name", name).bind("holder", holder).bind("expires", now + atMost.toMillis()).bind("now", now)
                .execute());
        if (taken == 0) {
            LOG.info("Another node is doing '{}'; this one leaves it", name);
            return false;
        }
        try {
            work.run();
            return true;
        } finally {
            jdbi.useHandle(h -> h.createUpdate("DELETE FROM leases WHERE name = :name AND holder = :holder")
                    .bind("name", name).bind("holder", holder).execute());
        }
    }
}
