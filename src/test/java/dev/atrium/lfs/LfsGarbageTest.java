package dev.atrium.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.db.Database;
import dev.atrium.storage.LocalBlobStore;
import dev.atrium.storage.Sha256;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LFS blobs: kept while a repo links them or a Xet view reads them, or while young; collected otherwise. */
class LfsGarbageTest {
    @TempDir
    Path dir;

    @Test
    void collects_blobsNoRepoLinksAndNoViewReads() throws Exception {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        LocalBlobStore blobs = new LocalBlobStore(dir.resolve("blobs"));
        jdbi.useHandle(h -> h.execute("INSERT INTO repos (id, type, namespace, name, private, created_at, updated_at) "
                + "VALUES ('r1', 'MODEL', 'alice', 'm', false, 0, 0)"));
        Sha256 linked = blob(blobs, "linked to a repo", 48);
        Sha256 viewed = blob(blobs, "read by a Xet view", 48);
        Sha256 orphan = blob(blobs, "its repo was deleted", 48);
        Sha256 young = blob(blobs, "uploaded a moment ago", 0);
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO lfs_objects (repo_id, oid, size, created_at) VALUES ('r1', ?, 16, 0)", linked.hex());
            h.execute("INSERT INTO xet_xorbs (hash, serialized_length, unpacked_length, chunk_count, blob_key, "
                    + "created_at) VALUES (?, 26, 18, 1, ?, 0)", "ab".repeat(32), "lfs-view:" + viewed.hex() + "@0");
        });
        LfsGarbage garbage = new LfsGarbage(jdbi, blobs, Clock.systemUTC());

        assertEquals(new LfsGarbage.Report(1, 20), garbage.collect(Duration.ofHours(24), false));
        assertTrue(blobs.contains(orphan), "a dry run deletes nothing");
        assertEquals(new LfsGarbage.Report(1, 20), garbage.collect(Duration.ofHours(24), true));
        assertFalse(blobs.contains(orphan));
        for (Sha256 kept : new Sha256[] {linked, viewed, young}) {
            assertTrue(blobs.contains(kept));
        }
        assertEquals(new LfsGarbage.Report(0, 0), garbage.collect(Duration.ofHours(24), true));
    }

    private Sha256 blob(LocalBlobStore blobs, String text, int hoursAgo) throws Exception {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        Sha256 oid = Sha256.of(content);
        blobs.put(oid, content.length, new ByteArrayInputStream(content));
        Path file = dir.resolve("blobs").resolve(oid.hex().substring(0, 2)).resolve(oid.hex().substring(2, 4))
                .resolve(oid.hex()); // LocalBlobStore's layout
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(hoursAgo))));
        return oid;
    }
}
