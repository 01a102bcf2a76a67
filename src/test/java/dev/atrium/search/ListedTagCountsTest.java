package dev.atrium.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.db.Database;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite triggers behind the listings' sidebar counts (migrations V21, V22), on a real database. */
class ListedTagCountsTest {
    @TempDir
    Path dir;

    private Jdbi jdbi;

    @BeforeEach
    void open() {
        jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        repo("m1", "MODEL", false, "license:mit", "pytorch");
        repo("m2", "MODEL", false, "license:mit");
        repo("m3", "MODEL", true, "license:mit", "project-codename");
        repo("d1", "DATASET", false, "license:mit");
    }

    @Test
    void counts_publicReposOnly_perType() {
        assertEquals(Map.of("DATASET license:mit", 1L, "MODEL license:mit", 2L, "MODEL pytorch", 1L), counts());
        assertEquals(recomputed(), counts());
    }

    @Test
    void counts_followVisibility_reindexing_andDeletion() {
        setPrivate("m3", false);
        assertEquals(3L, counts().get("MODEL license:mit"));
        assertEquals(1L, counts().get("MODEL project-codename"));
        setPrivate("m1", true);
        setPrivate("m1", true); // unchanged: counted once
        assertEquals(recomputed(), counts());
        // The indexer replaces a repo's tags: delete, then insert.
        jdbi.useHandle(h -> h.execute("DELETE FROM repo_tags WHERE repo_id = 'm2'"));
        tag("m2", "license:apache-2.0");
        jdbi.useHandle(h -> h.execute("DELETE FROM repos WHERE id = 'm3'")); // cascades to its tags
        assertEquals(recomputed(), counts());
        assertEquals(Map.of("DATASET license:mit", 1L, "MODEL license:apache-2.0", 1L), counts());
    }

    private void repo(String id, String type, boolean isPrivate, String... tags) {
        jdbi.useHandle(h -> h.execute("INSERT INTO repos (id, type, namespace, name, private, created_at, updated_at) "
                + "VALUES (?, ?, 'alice', ?, ?, 0, 0)", id, type, id, isPrivate));
        for (String tag : tags) {
            tag(id, tag);
        }
    }

    /** As the indexer writes a tag. */
    private void tag(String repoId, String tag) {
        jdbi.useHandle(h -> h.execute("INSERT INTO repo_tags (tag, repo_id, listed_type) VALUES (?, ?, "
                + "(SELECT r.type FROM repos r WHERE r.id = ? AND r.private = FALSE))", tag, repoId, repoId));
    }

    private void setPrivate(String id, boolean isPrivate) {
        jdbi.useHandle(h -> h.execute("UPDATE repos SET private = ? WHERE id = ?", isPrivate, id));
    }

    private Map<String, Long> counts() {
        return rows("SELECT type, tag, repos FROM listed_tag_counts WHERE repos > 0");
    }

    private Map<String, Long> recomputed() {
        return rows("SELECT r.type, t.tag, COUNT(*) FROM repo_tags t JOIN repos r ON r.id = t.repo_id "
                + "WHERE r.private = FALSE GROUP BY r.type, t.tag");
    }

    private Map<String, Long> rows(String sql) {
        Map<String, Long> out = new TreeMap<>();
        jdbi.useHandle(h -> h.createQuery(sql).map((rs, c) -> {
            out.put(rs.getString(1) + " " + rs.getString(2), rs.getLong(3));
            return 0;
        }).list());
        return out;
    }
}
