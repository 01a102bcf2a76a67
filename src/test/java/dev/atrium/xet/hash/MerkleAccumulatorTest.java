package dev.atrium.xet.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.xet.MerkleHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** One leaf at a time against the list-at-once tree, over every small width and a spread of large ones. */
class MerkleAccumulatorTest {
    @Test
    void root_equalsTheListAtOnceRoot_forAnyNumberOfLeaves() {
        Random random = new Random(5);
        List<Integer> widths = new ArrayList<>();
        for (int n = 0; n <= 300; n++) {
            widths.add(n);
        }
        for (int i = 0; i < 30; i++) {
            widths.add(300 + random.nextInt(20_000));
        }
        for (int n : widths) {
            List<HashedChunk> leaves = new ArrayList<>();
            MerkleAccumulator accumulator = new MerkleAccumulator();
            for (int i = 0; i < n; i++) {
                byte[] bytes = new byte[8];
                random.nextBytes(bytes);
                HashedChunk leaf = new HashedChunk(XetHashes.chunkHash(bytes), 1 + random.nextInt(128 * 1024));
                leaves.add(leaf);
                accumulator.add(leaf.hash(), leaf.size());
            }
            MerkleHash expected = MerkleAggregation.root(leaves);
            assertEquals(expected, accumulator.finish(), n + " leaves");
        }
    }
}
