package dev.atrium.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atrium.auth.AccessRequestStatus;
import dev.atrium.auth.User;
import dev.atrium.db.Database;
import dev.atrium.db.Ids;
import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatesTest {
    @TempDir
    Path dir;

    protected Jdbi openDatabase() {
        return Database.openSqlite(dir.resolve("atrium.db"));
    }

    /** A popular gated repo's requests come a page at a time, each once, even with many asked in the same instant. */
    @Test
    void requests_comeInPagesByKey_eachOnce_andCounted() {
        Jdbi jdbi = openDatabase();
        SettableClock clock = new SettableClock(1_800_000_000_000L);
        Gates gates = new Gates(jdbi, clock);
        String repoId = Ids.newId();
        jdbi.useHandle(h -> h.execute("INSERT INTO repos (id, type, namespace, name, private, sdk, created_at,"
                + " updated_at) VALUES (?, 'MODEL', 'alice', 'gated', FALSE, NULL, 1, 1)", repoId));
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            User user = new User(Ids.newId(), "u" + i, "u" + i + "@example.com", "u" + i, false, 1L);
            jdbi.useHandle(h -> h.execute("INSERT INTO users (id, name, email, fullname, password_hash, is_admin,"
                    + " created_at) VALUES (?, ?, ?, ?, 'unused', FALSE, 1)", user.id(), user.name(), user.email(),
                    user.name()));
            gates.ask(repoId, user, "{}", Gates.Mode.MANUAL);
            asked.add(user.name());
            if (i % 50 == 49) {
                clock.advance(1); // most share an instant: the user id breaks the tie
            }
        }
        List<String> listed = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Gates.RequestPage page = gates.requests(repoId, AccessRequestStatus.PENDING, cursor, 100);
            page.items().forEach(r -> listed.add(r.user().name()));
            cursor = page.next();
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(asked.stream().sorted().toList(), listed.stream().sorted().toList());
        assertEquals(250, listed.stream().distinct().count());
        assertEquals(250, gates.count(repoId, AccessRequestStatus.PENDING));
        assertEquals(0, gates.count(repoId, AccessRequestStatus.ACCEPTED));
        assertNull(gates.requests(repoId, AccessRequestStatus.PENDING, null, 250).next(), "one page holds all");
        assertThrows(IllegalArgumentException.class,
                () -> gates.requests(repoId, AccessRequestStatus.PENDING, "not-a-cursor", 10));
    }
}
