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
        jdbi.useHandle(h -> h.execute("INSERT INTO users VALUES ('u00000000000000000000001','alice','a','a','h',false,0)"));
        XetStore store = new XetStore(jdbi, Clock.systemUTC());
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                XorbInfo info = xorb(i, 200);
                results.add(pool.submit(() -> store.insertXorb(info, Sha256.of(new byte[] {1}),
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
        assertFalse(store.insertXorb(xorb(3, 200), Sha256.of(new byte[] {1}), "u00000000000000000000001"),
                "a second insert of the same xorb is a no-op");
    }

}
