package dev.atrium.xet.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.db.Database;
import dev.atrium.storage.Sha256;
import dev.atrium.xet.hash.XetHashes;
import dev.atrium.xet.shard.XorbChunk;
import dev.atrium.xet.shard.XorbInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XetStoreTest {
    @TempDir
    Path dir;

    private static XorbInfo xorb(int seed, int chunks) {
        List<XorbChunk> list = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            list.add(new XorbChunk(XetHashes.chunkHash(new byte[] {(byte) seed, (byte) i, 1}), i * 100L, 100,
                    i * 108L, 108));
        }
        return new XorbInfo(XetHashes.chunkHash(new byte[] {(byte) seed, 9}), list, chunks * 108L + 64);
    }

    @Test
    void insertXorb_manyWritersAtOnce_allLandWithoutBusyErrors() throws Exception {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        jdbi.useHandle(h -> h.execute("INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at)"
                + " VALUES ('u00000000000000000000001','alice','a','a','h',false,0)"));
        XetStore store = new XetStore(jdbi, Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                XorbInfo info = xorb(i, 200);
                results.add(pool.submit(() -> store.insertXorb(info, new XorbSource.Stored(Sha256.of(new byte[] {1})),
                        "u00000000000000000000001")));
            }
            for (Future<Boolean> result : results) {
                assertTrue(result.get(), "every new xorb is inserted");
            }
        } finally {
            pool.shutdown();
        }
        for (int i = 0; i < 64; i++) {
            assertEquals(200, store.xorb(xorb(i, 200).hash()).orElseThrow().info().chunks().size());
        }
        assertFalse(store.insertXorb(xorb(3, 200), new XorbSource.Stored(Sha256.of(new byte[] {1})), "u00000000000000000000001"),
                "a second insert of the same xorb is a no-op");
    }

    private static final String ALICE = "u00000000000000000000001";
    private static final String BOB = "u00000000000000000000002";
    private static final String CAROL = "u00000000000000000000003";

    /** A committed file made of one term per xorb, in this order, registered in {@code repoId}. */
    private static void registerFile(XetStore store, String repoId, String userId, int seed, XorbInfo... xorbs) {
        List<dev.atrium.xet.shard.FileTerm> terms = new ArrayList<>();
        for (XorbInfo x : xorbs) {
            terms.add(new dev.atrium.xet.shard.FileTerm(x.hash(), 0, 1, 100, 0));
        }
        Sha256 sha = Sha256.of(new byte[] {(byte) seed});
        var file = new dev.atrium.xet.shard.FileReconstruction(XetHashes.chunkHash(new byte[] {(byte) seed, 7}), terms,
                java.util.Optional.empty(), java.util.Optional.of(dev.atrium.xet.MerkleHash.parse(sha.hex())));
        store.registerShard(Sha256.of(new byte[] {(byte) seed, 3}), 1, repoId, userId, List.of(file), List.of());
        store.markCommitted(repoId, sha);
    }

    @Test
    void xorbsFollowing_readableFilesOnly_nearestFirst() {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at)"
                    + " VALUES ('" + ALICE + "','alice','a','a','h',false,0)");
            h.execute("INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at)"
                    + " VALUES ('" + BOB + "','bob','b','b','h',false,0)");
            h.execute("INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at)"
                    + " VALUES ('" + CAROL + "','carol','c','c','h',false,0)");
            h.execute("INSERT INTO repos VALUES ('r00000000000000000000001','model','alice','open',false,null,0,0)");
            h.execute("INSERT INTO repos VALUES ('r00000000000000000000002','model','bob','secret',true,null,0,0)");
        });
        XetStore store = new XetStore(jdbi, Clock.systemUTC());
        XorbInfo a = xorb(1, 2), b = xorb(2, 2), c = xorb(3, 2), d = xorb(4, 2), e = xorb(5, 2);
        for (XorbInfo x : List.of(a, b, c, d, e)) {
            store.insertXorb(x, new XorbSource.Stored(Sha256.of(new byte[] {1})), ALICE);
        }
        registerFile(store, "r00000000000000000000001", ALICE, 1, d, a, b, c);
        registerFile(store, "r00000000000000000000002", BOB, 2, a, e);

        assertEquals(List.of(b.hash(), c.hash()), store.xorbsFollowing(a.hash(), CAROL, 16),
                "what follows a in alice's public file, nearest first; d comes before a, bob's file is private");
        assertEquals(List.of(b.hash()), store.xorbsFollowing(a.hash(), CAROL, 1));
        assertTrue(store.xorbsFollowing(a.hash(), BOB, 16).contains(e.hash()), "bob sees his own private file");
        assertEquals(List.of(), store.xorbsFollowing(e.hash(), CAROL, 16));
    }

    @Test
    void xorbsWithChunk_findsEligibleAndConfirmedChunksOnly() {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at)"
                    + " VALUES ('" + ALICE + "','alice','a','a','h',false,0)");
            h.execute("INSERT INTO repos VALUES ('r00000000000000000000001','model','alice','open',false,null,0,0)");
        });
        XetStore store = new XetStore(jdbi, Clock.systemUTC());
        byte[] raw = new byte[dev.atrium.xet.MerkleHash.LENGTH];
        raw[0] = 42; // the last eight bytes, zero, are 0 mod 1024
        dev.atrium.xet.MerkleHash eligible = dev.atrium.xet.MerkleHash.fromBytes(raw);
        assertTrue(dev.atrium.xet.shard.GlobalDedup.isEligible(eligible));
        XorbInfo plain = xorb(1, 4);
        List<XorbChunk> chunks = new ArrayList<>(plain.chunks());
        chunks.set(2, new XorbChunk(eligible, 200, 100, 216, 108));
        XorbInfo x = new XorbInfo(plain.hash(), chunks, plain.serializedLength());
        store.insertXorb(x, new XorbSource.Stored(Sha256.of(new byte[] {1})), ALICE);
        var flagged = new dev.atrium.xet.shard.GlobalDedup.IndexedChunk(x.chunks().get(0).hash(), x.hash(), 0);
        var falseClaim = new dev.atrium.xet.shard.GlobalDedup.IndexedChunk(x.chunks().get(3).hash(), x.hash(), 1);
        var file = new dev.atrium.xet.shard.FileReconstruction(XetHashes.chunkHash(new byte[] {7}),
                List.of(new dev.atrium.xet.shard.FileTerm(x.hash(), 0, 4, 400, 0)), java.util.Optional.empty(),
                java.util.Optional.of(dev.atrium.xet.MerkleHash.parse(Sha256.of(new byte[] {5}).hex())));
        store.registerShard(Sha256.of(new byte[] {6}), 1, "r00000000000000000000001", ALICE, List.of(file),
                List.of(flagged, falseClaim));

        assertEquals(List.of(x.hash()), store.xorbsWithChunk(eligible, ALICE), "eligible by its value");
        assertEquals(List.of(x.hash()), store.xorbsWithChunk(flagged.chunkHash(), ALICE), "named by the shard");
        assertEquals(List.of(), store.xorbsWithChunk(x.chunks().get(3).hash(), ALICE),
                "a shard naming a chunk at an index that holds another one indexes nothing");
        assertEquals(List.of(), store.xorbsWithChunk(x.chunks().get(1).hash(), ALICE), "an ordinary chunk");
    }
}
