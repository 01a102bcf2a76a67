package dev.atrium.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeasesTest {
    private static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path dir;

    @Test
    void runAlone_whileAnotherNodeHoldsTheLease_leavesTheWork_andAfterItRunsIt() {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Leases one = new Leases(jdbi, Clock.systemUTC());
        Leases two = new Leases(jdbi, Clock.systemUTC());
        AtomicInteger runs = new AtomicInteger();

        assertTrue(one.runAlone("pass", HOUR, () -> {
            runs.incrementAndGet();
            assertFalse(two.runAlone("pass", HOUR, runs::incrementAndGet), "held by the first node");
            assertTrue(two.runAlone("other pass", HOUR, () -> { }), "another lease is free");
        }));
        assertEquals(1, runs.get());
        assertTrue(two.runAlone("pass", HOUR, runs::incrementAndGet), "given back when done");
        assertEquals(2, runs.get());
    }

    @Test
    void runAlone_aLeaseWhoseHolderDied_isTakenOnceItExpires_andFailedWorkGivesItBack() {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Instant now = Instant.parse("2026-11-27T06:00:00Z");
        jdbi.useHandle(h -> h.execute("INSERT INTO leases (name, holder, expires_at) VALUES ('pass', 'dead', ?)",
                now.plus(HOUR).toEpochMilli()));
        AtomicInteger runs = new AtomicInteger();

        assertFalse(new Leases(jdbi, Clock.fixed(now, ZoneOffset.UTC)).runAlone("pass", HOUR, runs::incrementAndGet));
        Leases later = new Leases(jdbi, Clock.fixed(now.plus(HOUR).plusSeconds(1), ZoneOffset.UTC));
        assertThrows(IllegalStateException.class, () -> later.runAlone("pass", HOUR, () -> {
            throw new IllegalStateException("the pass failed");
        }));
        assertTrue(later.runAlone("pass", HOUR, runs::incrementAndGet), "a failed pass gave the lease back");
        assertEquals(1, runs.get());
    }
}
