package dev.atrium.xet.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.db.Database;
import dev.atrium.storage.LocalBlobStore;
import dev.atrium.storage.Sha256;
import dev.atrium.testing.SettableClock;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.hash.XetHashes;
import dev.atrium.xet.shard.FileReconstruction;
import dev.atrium.xet.shard.FileTerm;
import dev.atrium.xet.shard.XorbChunk;
import dev.atrium.xet.shard.XorbInfo;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and xorbs that nothing refers to, collected, and everything else kept: xorbs shared with a live repo's
 * files, uploads younger than the grace period, committed files. Each xorb's bytes are a real blob.
 */
class XetGarbageTest {
    private static final String ALICE = "u00000000000000000000001";
    private static final Duration GRACE = Duration.ofHours(1);
    private static final long HOUR = 3_600_000L;

    @TempDir
    Path dir;
    private Jdbi jdbi;
    private LocalBlobStore blobs;
    private SettableClock clock;
    private XetStore store;
    private XetGarbage garbage;

    @BeforeEach
    void open() throws Exception {
        jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at)"
                    + " VALUES ('" + ALICE + "','alice','a','a','h',false,0)");
            h.execute("INSERT INTO repos (id, type, namespace, name, private, created_at, updated_at) "
                    + "VALUES ('ra', 'MODEL', 'alice', 'a', false, 0, 0), ('rb', 'MODEL', 'alice', 'b', false, 0, 0)");
        });
        blobs = new LocalBlobStore(dir.resolve("blobs"));
        clock = new SettableClock(10 * HOUR);
        store = new XetStore(jdbi, clock);
        garbage = new XetGarbage(jdbi, blobs, clock);
    }

    /** A one-chunk xorb whose serialized bytes are a stored blob. */
    private Xorb xorb(int seed) throws Exception {
        byte[] bytes = new byte[1000 + seed];
        bytes[0] = (byte) seed;
        Sha256 blob = Sha256.of(bytes);
        blobs.put(blob, bytes.length, new ByteArrayInputStream(bytes));
        XorbInfo info = new XorbInfo(XetHashes.chunkHash(new byte[] {(byte) seed, 9}),
                List.of(new XorbChunk(XetHashes.chunkHash(new byte[] {(byte) seed}), 0, 100, 0, 108)), bytes.length);
        store.insertXorb(info, new XorbSource.Stored(blob), ALICE);
        return new Xorb(info.hash(), blob);
    }

    private record Xorb(MerkleHash hash, Sha256 blob) {}

    /** A file of one term per xorb, registered in {@code repoId}, committed or not. */
    private void file(String repoId, int seed, boolean committed, Xorb... xorbs) {
        List<FileTerm> terms = new ArrayList<>();
        for (Xorb x : xorbs) {
            terms.add(new FileTerm(x.hash(), 0, 1, 100, 0));
        }
        Sha256 sha = Sha256.of(new byte[] {(byte) seed, 1});
        store.registerShard(Sha256.of(new byte[] {(byte) seed, 2}), 1, repoId, ALICE,
                List.of(new FileReconstruction(XetHashes.chunkHash(new byte[] {(byte) seed, 7}), terms,
                        Optional.empty(), Optional.of(MerkleHash.parse(sha.hex())))), List.of());
        if (committed) {
            store.markCommitted(repoId, sha);
        }
    }

    private boolean stored(Xorb x) throws Exception {
        return store.location(x.hash()).isPresent() && blobs.contains(x.blob());
    }

    @Test
    void collects_whatNothingRefersTo_andKeepsTheRest() throws Exception {
        Xorb onlyA = xorb(1);
        Xorb shared = xorb(2);
        Xorb onlyB = xorb(3);
        Xorb abandoned = xorb(4); // uploaded, its shard never came
        Xorb ofAnUncommittedUpload = xorb(5);
        file("ra", 1, true, onlyA, shared);
        file("rb", 2, true, shared, onlyB);
        file("ra", 3, false, ofAnUncommittedUpload); // its commit never landed
        clock.advance(Duration.ofHours(2));
        Xorb inFlight = xorb(6); // uploaded a moment ago: its shard may still come

        XetGarbage.Report dryRun = garbage.collect(GRACE, false);
        assertEquals(new XetGarbage.Report(1, 1, 2, 1004 + 1005), dryRun);
        for (Xorb x : List.of(onlyA, shared, onlyB, abandoned, ofAnUncommittedUpload, inFlight)) {
            assertTrue(stored(x), "a dry run removes nothing");
        }

        assertEquals(dryRun, garbage.collect(GRACE, true));
        assertFalse(stored(abandoned));
        assertFalse(stored(ofAnUncommittedUpload));
        assertFalse(blobs.contains(abandoned.blob()), "its bytes are gone");
        for (Xorb x : List.of(onlyA, shared, onlyB, inFlight)) {
            assertTrue(stored(x));
        }

        jdbi.useHandle(h -> h.execute("DELETE FROM repos WHERE id = 'ra'")); // cascades to its registrations
        assertEquals(new XetGarbage.Report(0, 1, 1, 1001), garbage.collect(GRACE, true));
        assertFalse(stored(onlyA), "what only the deleted repo used goes");
        assertTrue(stored(shared), "what another repo's file uses stays");
        assertTrue(stored(onlyB));
        assertTrue(store.file(XetHashes.chunkHash(new byte[] {2, 7}), "rb").isPresent(), "b's file is whole");

        clock.advance(Duration.ofHours(2));
        assertEquals(new XetGarbage.Report(0, 0, 1, 1006), garbage.collect(GRACE, true),
                "an upload whose shard never came is collected once the grace period is over");
        assertEquals(new XetGarbage.Report(0, 0, 0, 0), garbage.collect(GRACE, true), "and then nothing is left");
    }
}
