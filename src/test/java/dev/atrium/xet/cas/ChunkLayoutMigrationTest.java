package dev.atrium.xet.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.db.Database;
import dev.atrium.storage.Sha256;
import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.hash.XetHashes;
import dev.atrium.xet.shard.XorbChunk;
import dev.atrium.xet.shard.XorbInfo;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V29 on a database that V28 left with xorbs in it: chunk rows become layouts, eligible rows the dedup index. */
class ChunkLayoutMigrationTest {
    @TempDir
    Path dir;

    @Test
    void migrate_fromChunkRows_keepsEveryXorbsChunksAndItsDedupEntries() {
        Path file = dir.resolve("atrium.db");
        Flyway.configure().dataSource("jdbc:sqlite:" + file, null, null)
                .locations("classpath:db/migration/common", "classpath:db/migration/sqlite")
                .target("28").load().migrate();
        XorbInfo first = xorb(1, 300);
        XorbInfo second = xorb(2, 3);
        Jdbi before = Jdbi.create("jdbc:sqlite:" + file);
        before.useHandle(h -> {
            for (XorbInfo x : List.of(first, second)) {
                h.execute("INSERT INTO xet_xorbs (hash, serialized_length, unpacked_length, chunk_count, blob_key, "
                        + "created_at) VALUES (?, ?, 0, ?, ?, 0)", x.hash().hex(), x.serializedLength(),
                        x.chunks().size(), Sha256.of(new byte[] {1}).hex());
                for (int i = 0; i < x.chunks().size(); i++) {
                    XorbChunk c = x.chunks().get(i);
                    h.execute("INSERT INTO xet_xorb_chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?)", x.hash().hex(), i,
                            c.hash().hex(), c.unpackedOffset(), c.unpackedLength(), c.packedOffset(),
                            c.packedLength(), i == 1);
                }
            }
        });

        Jdbi after = Database.openSqlite(file);
        XetStore store = new XetStore(after, Clock.systemUTC());
        assertEquals(first, store.xorb(first.hash()).orElseThrow().info());
        assertEquals(second, store.xorb(second.hash()).orElseThrow().info());
        List<String> indexed = after.withHandle(h -> h.createQuery(
                "SELECT xorb_hash || ':' || chunk_index || ':' || chunk_hash FROM xet_dedup_chunks ORDER BY 1")
                .mapTo(String.class).list());
        List<String> expected = new ArrayList<>();
        for (XorbInfo x : List.of(first, second)) {
            expected.add(x.hash().hex() + ":1:" + x.chunks().get(1).hash().hex());
        }
        expected.sort(null);
        assertEquals(expected, indexed, "exactly the rows that were dedup_eligible");
        int oldTables = after.withHandle(h -> h.createQuery(
                "SELECT count(*) FROM sqlite_master WHERE name = 'xet_xorb_chunks'").mapTo(Integer.class).one());
        assertEquals(0, oldTables, "the chunk rows are gone");
    }

    private static XorbInfo xorb(int seed, int chunks) {
        List<XorbChunk> list = new ArrayList<>();
        for (int i = 0; i < chunks; i++) {
            list.add(new XorbChunk(XetHashes.chunkHash(new byte[] {(byte) seed, (byte) i, (byte) (i >> 8)}),
                    i * 1000L, 1000, i * 508L, 508));
        }
        return new XorbInfo(MerkleHash.parse(XetHashes.chunkHash(new byte[] {(byte) seed}).hex()), list,
                chunks * 508L + 92 + 40L * chunks + 4);
    }
}
