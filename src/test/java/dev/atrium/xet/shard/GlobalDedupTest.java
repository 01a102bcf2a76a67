package dev.atrium.xet.shard;

import static dev.atrium.xet.shard.ShardFixtures.XORB_A;
import static dev.atrium.xet.shard.ShardFixtures.XORB_B;
import static dev.atrium.xet.shard.ShardFixtures.hash;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.xet.MerkleHash;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class GlobalDedupTest {

    private static MerkleHash withLastWord(long seed, long lastWord) {
        byte[] bytes = hash(seed).toBytes();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(24, lastWord);
        return MerkleHash.fromBytes(bytes);
    }

    @Test
    void eligibility_isTheLastLittleEndianWordModulo1024() {
        assertTrue(GlobalDedup.isEligible(withLastWord(1, 0)));
        assertTrue(GlobalDedup.isEligible(withLastWord(1, 1024L * 977)));
        assertTrue(GlobalDedup.isEligible(withLastWord(1, Long.MIN_VALUE))); // 2^63, unsigned
        assertFalse(GlobalDedup.isEligible(withLastWord(1, 1)));
        assertFalse(GlobalDedup.isEligible(withLastWord(1, 1024L * 977 + 512)));
        byte[] firstWordZero = hash(2).toBytes();
        firstWordZero[0] = 0;
        firstWordZero[1] = 0;
        assertEquals(GlobalDedup.isEligible(hash(2)), GlobalDedup.isEligible(MerkleHash.fromBytes(firstWordZero)));
    }

    @Test
    void chunksToIndex_takesFlaggedChunksAndFileStarts() throws Exception {
        Shard shard = ShardParser.parse(ShardFixtures.upload());
        List<GlobalDedup.IndexedChunk> indexed = GlobalDedup.chunksToIndex(shard);
        assertTrue(indexed.contains(new GlobalDedup.IndexedChunk(ShardFixtures.chunkA(0), XORB_A, 0)));
        assertTrue(indexed.contains(new GlobalDedup.IndexedChunk(ShardFixtures.chunkB(1), XORB_B, 1))); // F2 start
        for (GlobalDedup.IndexedChunk c : indexed) {
            boolean expected = c.equals(new GlobalDedup.IndexedChunk(ShardFixtures.chunkA(0), XORB_A, 0))
                    || c.equals(new GlobalDedup.IndexedChunk(ShardFixtures.chunkB(1), XORB_B, 1))
                    || GlobalDedup.isEligible(c.chunkHash());
            assertTrue(expected, "unexpected " + c);
        }
    }

    @Test
    void chunksToIndex_takesChunksEligibleByHash_andNothingElse() {
        MerkleHash eligible = withLastWord(5, 2048);
        MerkleHash plain = withLastWord(6, 7);
        CasInfo xorb = CasInfo.of(hash(4), List.of(plain, eligible), List.of(10L, 20L), 0);
        Shard shard = new Shard(List.of(), List.of(xorb));
        assertEquals(List.of(new GlobalDedup.IndexedChunk(eligible, hash(4), 1)), GlobalDedup.chunksToIndex(shard));
    }

    @Test
    void answer_isTheDedupShapedShard_byteForByte() throws Exception {
        Shard upload = ShardParser.parse(ShardFixtures.upload());
        CasInfo a = upload.xorbs().get(0);
        CasInfo b = upload.xorbs().get(1);
        a = new CasInfo(a.xorbHash(), a.chunks(), a.numBytesInXorb(), 14_737_817, 0);
        UnaryOperator<MerkleHash> keyed = h -> {
            for (int i = 0; i < 5; i++) {
                if (h.equals(ShardFixtures.chunkA(i))) {
                    return hash(300 + i);
                }
            }
            for (int i = 0; i < 3; i++) {
                if (h.equals(ShardFixtures.chunkB(i))) {
                    return hash(400 + i);
                }
            }
            throw new AssertionError("not a chunk of the fixture: " + h);
        };
        Shard answer = GlobalDedup.answer(List.of(a, b, a), Optional.of(hash(99)), keyed,
                ShardFixtures.CREATED, ShardFixtures.CREATED + 7 * 86400);
        byte[] bytes = ShardSerializer.toBytes(answer);
        assertArrayEquals(ShardFixtures.dedup(), bytes);
        assertEquals(answer, ShardParser.parse(bytes));
    }

    @Test
    void answer_withoutKey_listsPlainHashes_andHasAFooter() throws Exception {
        CasInfo xorb = CasInfo.of(hash(4), List.of(hash(5), hash(6)), List.of(10L, 20L), 0);
        Shard answer = GlobalDedup.answer(List.of(xorb), Optional.empty(), h -> {
            throw new AssertionError("no keying without a key");
        }, 1000, 2000);
        Shard parsed = ShardParser.parse(ShardSerializer.toBytes(answer));
        assertEquals(List.of(xorb), parsed.xorbs());
        ShardFooter footer = parsed.footer().orElseThrow();
        assertEquals(Optional.empty(), footer.hmacKey());
        assertEquals(2000, footer.keyExpiry());
        assertEquals(1, footer.lookupTables().xorbs().size());
        assertEquals(2, footer.lookupTables().chunks().size());
        assertTrue(footer.lookupTables().files().isEmpty());
    }

    @Test
    void answer_refusesWhatAClientCouldNotUse() {
        CasInfo xorb = CasInfo.of(hash(4), List.of(hash(5)), List.of(10L), 0);
        assertThrows(IllegalArgumentException.class,
                () -> GlobalDedup.answer(List.of(), Optional.empty(), h -> h, 1000, 2000));
        assertThrows(IllegalArgumentException.class,
                () -> GlobalDedup.answer(List.of(xorb), Optional.empty(), h -> h, 1000, 0));
        assertThrows(IllegalArgumentException.class,
                () -> GlobalDedup.answer(List.of(xorb), Optional.empty(), h -> h, 1000, 1000));
        assertThrows(IllegalArgumentException.class, () -> GlobalDedup.answer(List.of(xorb),
                Optional.of(MerkleHash.fromBytes(new byte[32])), h -> h, 1000, 2000));
    }
}
