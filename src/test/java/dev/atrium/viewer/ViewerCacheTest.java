package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.repo.FileEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ViewerCacheTest {
    @TempDir
    Path dir;

    /** A 100-byte file in git, its bytes all {@code fill}. */
    private static FileEntry file(Repository git, String name, int fill) throws Exception {
        byte[] bytes = new byte[100];
        java.util.Arrays.fill(bytes, (byte) fill);
        try (ObjectInserter ins = git.newObjectInserter()) {
            String oid = ins.insert(Constants.OBJ_BLOB, bytes).name();
            ins.flush();
            return new FileEntry("data/" + name, false, oid, bytes.length, null, bytes.length);
        }
    }

    @Test
    void lease_copiesInUse_surviveEvictionUntilClosed() throws Exception {
        try (Git g = Git.init().setDirectory(dir.resolve("repo").toFile()).setBare(true).call()) {
            Repository git = g.getRepository();
            ViewerCache cache = new ViewerCache(dir.resolve("cache"), null, 250);
            FileEntry a = file(git, "a.csv", 1), b = file(git, "b.csv", 2), c = file(git, "c.csv", 3),
                    d = file(git, "d.csv", 4);

            ViewerCache.Lease first = cache.lease(git, null, List.of(a, b));
            Files.setLastModifiedTime(first.files().get(0), FileTime.fromMillis(1_000));
            Files.setLastModifiedTime(first.files().get(1), FileTime.fromMillis(2_000));
            ViewerCache.Lease second = cache.lease(git, null, List.of(c));
            assertTrue(Files.exists(first.files().get(0)) && Files.exists(first.files().get(1)),
                    "300 bytes against a budget of 250, but every copy is in use");
            byte[] expected = new byte[100];
            java.util.Arrays.fill(expected, (byte) 1);
            assertArrayEquals(expected, Files.readAllBytes(first.files().get(0)));

            first.close();
            second.close();
            try (ViewerCache.Lease third = cache.lease(git, null, List.of(d))) {
                assertFalse(Files.exists(first.files().get(0)), "the least recently used copy goes");
                assertFalse(Files.exists(first.files().get(1)), "and the next, until 200 bytes remain");
                assertTrue(Files.exists(second.files().get(0)));
                assertTrue(Files.exists(third.files().get(0)));
            }
            try (ViewerCache.Lease again = cache.lease(git, null, List.of(a))) {
                assertEquals(first.files().get(0), again.files().get(0), "named by content: the same copy again");
                assertArrayEquals(expected, Files.readAllBytes(again.files().get(0)));
            }
        }
    }
}
