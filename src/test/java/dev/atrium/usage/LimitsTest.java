package dev.atrium.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.db.Database;
import dev.atrium.repo.GitRepos;
import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Limits set one at a time read back with the others unset (the SQLite driver cannot map a NULL to a Long). */
class LimitsTest {
    @TempDir
    Path dir;

    @Test
    void eachLimit_alone_readsBackWithTheOthersUnset() throws Exception {
        Usage usage = new Usage(Database.openSqlite(dir.resolve("atrium.db")), new GitRepos(dir.resolve("git")),
                new SettableClock(0));
        assertEquals(Usage.Limits.NONE, usage.limits("alice"));
        for (Usage.Limits limits : new Usage.Limits[] {new Usage.Limits(null, null, 0),
                new Usage.Limits(3L << 20, null, null), new Usage.Limits(null, 5_000_000_000L, null),
                new Usage.Limits(1L, 2L, 3)}) {
            usage.setLimits("alice", limits);
            assertEquals(limits, usage.limits("alice"));
        }
    }
}
