package dev.atrium.collection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atrium.db.Database;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Titles, descriptions and notes outside their lengths are refused by every change, with nothing written. */
class CollectionTextTest {
    @TempDir
    Path dir;

    @Test
    void everyChange_checksItsTexts_andWritesNothingWhenRefused() throws Exception {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Collections collections = new Collections(jdbi, Clock.systemUTC());
        Collections.TextOutOfBounds e = assertThrows(Collections.TextOutOfBounds.class,
                () -> collections.create("alice", "", null, false));
        assertEquals("A title has 1 to 200 characters.", e.getMessage());
        assertEquals(400, e.status());
        assertThrows(Collections.TextOutOfBounds.class, () -> collections.create("alice", "t".repeat(201), null, false));
        assertEquals("A description has at most 2000 characters.", assertThrows(Collections.TextOutOfBounds.class,
                () -> collections.create("alice", "Picks", "d".repeat(2001), false)).getMessage());
        assertEquals(0, count(jdbi, "collections"));

        Collections.Collection picks = collections.create("alice", "t".repeat(200), "d".repeat(2000), false);
        assertThrows(Collections.TextOutOfBounds.class, () -> collections.update(picks, "", null, null, null, null));
        assertEquals("t".repeat(200), collections.byId(picks.id()).orElseThrow().title());
        assertEquals("A note has at most 1000 characters.", assertThrows(Collections.TextOutOfBounds.class,
                () -> collections.addItem(picks, "paper", "2401.00001", "n".repeat(1001))).getMessage());
        assertEquals(0, count(jdbi, "collection_items"));
        Collections.Item item = collections.addItem(picks, "paper", "2401.00001", "n".repeat(1000));
        assertThrows(Collections.TextOutOfBounds.class,
                () -> collections.updateItem(picks, item.id(), "n".repeat(1001), null));
        assertEquals(List.of("n".repeat(1000)),
                collections.items(picks.id()).stream().map(Collections.Item::note).toList());
    }

    private static int count(Jdbi jdbi, String table) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM " + table).mapTo(Integer.class).one());
    }
}
