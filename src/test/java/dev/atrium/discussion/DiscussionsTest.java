package dev.atrium.discussion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.auth.User;
import dev.atrium.db.Database;
import dev.atrium.db.Ids;
import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing pages of threads in SQL: filters, counts of the whole list, offsets. */
class DiscussionsTest {
    @TempDir
    Path dir;
    private Discussions discussions;
    private User alice;
    private User bob;

    @BeforeEach
    void setUp() {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        alice = user(jdbi, "alice");
        bob = user(jdbi, "bob");
        jdbi.useHandle(h -> h.execute("INSERT INTO repos (id, type, namespace, name, private, created_at, updated_at) "
                + "VALUES ('r1', 'MODEL', 'alice', 'm', false, 0, 0), ('r2', 'MODEL', 'alice', 'n', false, 0, 0)"));
        discussions = new Discussions(jdbi, new SettableClock(1_000));
        // r1: #1..#7 alternate alice/bob; the PRs are #3 and #6; #2 closed, #6 merged. r2 has one of its own.
        for (int n = 1; n <= 7; n++) {
            Discussions.Discussion d = discussions.create("r1", "t" + n, n % 2 == 1 ? alice : bob, n % 3 == 0,
                    "open", n % 3 == 0 ? "refs/heads/main" : null);
            if (n == 2) {
                discussions.setStatus(d, "closed", null);
            } else if (n == 6) {
                discussions.setStatus(d, "merged", "0".repeat(40));
            }
        }
        discussions.create("r2", "elsewhere", alice, false, "open", null);
    }

    private static User user(Jdbi jdbi, String name) {
        User user = new User(Ids.newId(), name, name + "@example.com", name, false, 1_000L);
        jdbi.useHandle(h -> h.createUpdate("INSERT INTO users (id, name, email, fullname, password_hash, is_admin, "
                        + "created_at) VALUES (:id, :name, :email, :name, 'unused', false, 0)")
                .bind("id", user.id()).bind("name", name).bind("email", user.email()).execute());
        return user;
    }

    private List<Integer> nums(Discussions.Page page) {
        return page.items().stream().map(Discussions.Discussion::num).toList();
    }

    @Test
    void pages_newestFirst_withTheWholeListsCounts() {
        Discussions.Filter all = new Discussions.Filter(null, null, null);
        Discussions.Page first = discussions.page("r1", all, 0, 3);
        assertEquals(List.of(7, 6, 5), nums(first));
        assertEquals(7, first.total());
        assertEquals(2, first.closed());
        assertEquals(List.of(4, 3, 2), nums(discussions.page("r1", all, 3, 3)));
        assertEquals(List.of(1), nums(discussions.page("r1", all, 6, 3)));
        assertEquals(List.of(), nums(discussions.page("r1", all, 9, 3)));
    }

    @Test
    void filters_byKindStatusAndAuthor_andCountWhatTheyKeep() {
        Discussions.Page prs = discussions.page("r1", new Discussions.Filter(true, null, null), 0, 50);
        assertEquals(List.of(6, 3), nums(prs));
        assertEquals(1, prs.closed());
        Discussions.Page open = discussions.page("r1", new Discussions.Filter(false, "open", null), 0, 50);
        assertEquals(List.of(7, 5, 4, 1), nums(open));
        assertEquals(0, open.closed());
        assertEquals(List.of(6, 2), nums(discussions.page("r1", new Discussions.Filter(null, "closed", null), 0, 50)));
        Discussions.Page bobs = discussions.page("r1", new Discussions.Filter(null, null, "bob"), 0, 2);
        assertEquals(List.of(6, 4), nums(bobs));
        assertEquals(3, bobs.total());
        assertEquals(0, discussions.page("r1", new Discussions.Filter(null, null, "nobody"), 0, 50).total());
    }
}
