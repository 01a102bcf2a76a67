package dev.atrium.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.db.Database;
import dev.atrium.storage.Sha256;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoLargeFilesTest {
    private static final String REPO = "r00000000000000000000001";
    private static final String ALICE = "u00000000000000000000001";

    @TempDir
    Path dir;

    @Test
    void forget_thenRestore_putsBackEveryRowAsItWas() {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Sha256 lfs = Sha256.of(new byte[] {1});
        Sha256 xet = Sha256.of(new byte[] {2});
        Sha256 kept = Sha256.of(new byte[] {3});
        String fileHash = "ab".repeat(32);
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at)"
                    + " VALUES (?,'alice','a','a','h',false,0)", ALICE);
            h.execute("INSERT INTO repos VALUES (?,'model','alice','m',false,null,0,0)", REPO);
            h.execute("INSERT INTO lfs_objects (repo_id, oid, size, created_at) VALUES (?, ?, 10, 111)", REPO, lfs.hex());
            h.execute("INSERT INTO lfs_objects (repo_id, oid, size, created_at) VALUES (?, ?, 30, 333)", REPO, kept.hex());
            h.execute("INSERT INTO xet_files (file_hash, sha256, size, term_count, created_at) VALUES (?, ?, 20, 0, 0)",
                    fileHash, xet.hex());
            h.execute("INSERT INTO xet_file_registrations (file_hash, repo_id, user_id, created_at, committed) "
                    + "VALUES (?, ?, ?, 222, TRUE)", fileHash, REPO, ALICE);
        });
        RepoLargeFiles files = new RepoLargeFiles(jdbi);
        List<String> before = rows(jdbi);

        RepoLargeFiles.Forgotten forgotten = files.forget(REPO, List.of(lfs, xet));
        assertEquals(Set.of(kept), files.held(REPO, List.of(lfs, xet, kept)), "only the other file is held");
        assertFalse(files.holds(REPO, xet));
        assertEquals(1, forgotten.links().size());
        assertEquals(1, forgotten.registrations().size());

        files.restore(forgotten);
        assertEquals(before, rows(jdbi), "every row back, with its size, time, uploader and committed flag");
        assertTrue(files.holds(REPO, xet));
        files.restore(forgotten);
        assertEquals(before, rows(jdbi), "restoring twice, or after the same content came back, changes nothing");
    }

    private static List<String> rows(Jdbi jdbi) {
        return jdbi.withHandle(h -> {
            List<String> out = new java.util.ArrayList<>(h.createQuery(
                    "SELECT repo_id || ' ' || oid || ' ' || size || ' ' || created_at FROM lfs_objects ORDER BY oid")
                    .mapTo(String.class).list());
            out.addAll(h.createQuery("SELECT file_hash || ' ' || repo_id || ' ' || user_id || ' ' || created_at || ' '"
                    + " || committed FROM xet_file_registrations").mapTo(String.class).list());
            return out;
        });
    }
}
