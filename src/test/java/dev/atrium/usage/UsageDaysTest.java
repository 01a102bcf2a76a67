package dev.atrium.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.db.Database;
import dev.atrium.repo.GitRepos;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageDaysTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    /** SQLite here; {@link UsageDaysPostgresIT} runs the same tests on PostgreSQL. */
    protected Jdbi openDatabase() {
        return Database.openSqlite(dir.resolve("atrium.db"));
    }

    /** The daily snapshot runs on every node of a hub: the same day recorded at once by several must not fail. */
    @Test
    void recordToday_onSeveralNodesAtOnce_keepsOneRowPerNamespaceAndDay() throws Exception {
        Jdbi jdbi = openDatabase();
        jdbi.useHandle(h -> h.execute("DELETE FROM repos WHERE id IN ('u1', 'u2')"));
        jdbi.useHandle(h -> h.execute("INSERT INTO repos (id, type, namespace, name, private, created_at, updated_at)"
                + " VALUES ('u1', 'MODEL', 'acme', 'one', false, 0, 0), ('u2', 'MODEL', 'bob', 'two', true, 0, 0)"));
        int nodes = 4;
        CyclicBarrier together = new CyclicBarrier(nodes);
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            Usage node = new Usage(jdbi, new GitRepos(dir.resolve("repos")), CLOCK);
            Thread thread = new Thread(() -> {
                try {
                    for (int round = 0; round < 20; round++) {
                        together.await(30, java.util.concurrent.TimeUnit.SECONDS);
                        node.recordToday();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                    together.reset(); // the others stop waiting for this one
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertEquals(List.of(), failures);
        int rows = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM usage_days").mapTo(Integer.class).one());
        assertEquals(2, rows);
    }
}
