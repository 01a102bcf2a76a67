package dev.atrium.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.db.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BandwidthTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);
    private static final int TODAY = (int) (CLOCK.millis() / 86_400_000L);

    @TempDir
    Path dir;

    /** SQLite here; {@link BandwidthPostgresIT} runs the same tests on PostgreSQL. */
    protected Jdbi openDatabase() {
        return Database.openSqlite(dir.resolve("atrium.db"));
    }

    @Test
    void flush_whileDownloadsAreCounted_losesNone() throws Exception {
        Jdbi jdbi = openDatabase();
        Bandwidth bandwidth = new Bandwidth(jdbi, CLOCK);
        AtomicBoolean counting = new AtomicBoolean(true);
        Thread flusher = new Thread(() -> {
            while (counting.get()) {
                bandwidth.flush();
            }
        });
        flusher.start();
        List<Thread> downloads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread download = new Thread(() -> {
                for (int i = 0; i < 50_000; i++) {
                    bandwidth.served("alice", 3);
                }
            });
            downloads.add(download);
            download.start();
        }
        for (Thread download : downloads) {
            download.join();
        }
        counting.set(false);
        flusher.join();
        bandwidth.flush();

        assertEquals(4 * 50_000 * 3L, bandwidth.between("alice", TODAY, TODAY));
    }

    @Test
    void flush_fromTwoNodes_addsUp() {
        Jdbi jdbi = openDatabase();
        Bandwidth one = new Bandwidth(jdbi, CLOCK);
        Bandwidth two = new Bandwidth(jdbi, CLOCK);
        one.served("acme", 100);
        two.served("acme", 20);
        one.served("bob", 7);

        one.flush();
        two.flush();

        assertEquals(120, one.between("acme", TODAY, TODAY));
        assertEquals(java.util.Map.of(TODAY, 7L), two.daysBetween("bob", TODAY - 1, TODAY));
    }
}
