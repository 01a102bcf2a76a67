package dev.atrium.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.db.Database;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountersTest {
    private static final long DAY = 86_400_000L;

    @TempDir
    Path dir;

    private static Map<String, Object> meta(Jdbi jdbi) {
        return jdbi.withHandle(h -> h.createQuery(
                "SELECT likes, downloads, downloads_all_time, trending_score FROM repo_meta").mapToMap().one());
    }

    @Test
    void likesDownloadsAndTheirWindows() {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at)"
                    + " VALUES ('u1', 'alice', 'a', 'a', 'h', false, 0)");
            h.execute("INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at)"
                    + " VALUES ('u2', 'bob', 'b', 'b', 'h', false, 0)");
            h.execute("INSERT INTO repos VALUES ('r1', 'MODEL', 'alice', 'm', false, null, 0, 0)");
            h.execute("INSERT INTO repo_meta (repo_id, last_modified, tags_json, extra_json) VALUES ('r1', 0, '[]', '{}')");
        });
        SettableClock clock = new SettableClock(1_000 * DAY);
        Counters counters = new Counters(jdbi, clock);
        Repo repo = new Repo("r1", RepoType.MODEL, new RepoId("alice", "m"), false, null, 0, 0);

        assertTrue(counters.like("u1", repo));
        assertFalse(counters.like("u1", repo), "liking twice counts once");
        assertTrue(counters.like("u2", repo));
        counters.download(repo);
        counters.download(repo);
        assertEquals(Map.of("likes", 2, "downloads", 2, "downloads_all_time", 2,
                "trending_score", 2 + 2 * Counters.LIKE_WEIGHT), normalise(meta(jdbi)));

        assertEquals(0, counters.refreshWindows(), "nothing slid out of a window: no row is rewritten");
        clock.advance(8 * DAY); // out of the trending week, still in the 30-day window
        assertEquals(1, counters.refreshWindows());
        assertEquals(Map.of("likes", 2, "downloads", 2, "downloads_all_time", 2, "trending_score", 0),
                normalise(meta(jdbi)));
        clock.advance(30 * DAY);
        counters.refreshWindows();
        assertEquals(Map.of("likes", 2, "downloads", 0, "downloads_all_time", 2, "trending_score", 0),
                normalise(meta(jdbi)));
        assertTrue(counters.unlike("u2", repo));
        assertEquals(1L, counters.likes(repo));
    }

    private static Map<String, Integer> normalise(Map<String, Object> row) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        row.forEach((k, v) -> out.put(k, ((Number) v).intValue()));
        return out;
    }
}
