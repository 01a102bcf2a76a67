package dev.atrium.xet.hash;

import dev.atrium.xet.MerkleHash;
import java.util.ArrayList;
import java.util.List;

/**
 * The Xet Merkle tree. hashing.md names the node hash but not the tree's shape, which the xorb and file hashes
 * depend on; the shape is the reference implementation's (xet-core {@code aggregated_hashes.rs}):
 *
 * <p>Collapse the list level by level until one node is left. On each level, walk the nodes left to right and cut
 * them into groups: a group ends after the first node, at position 2 or later within the group, whose hash is
 * divisible by 4 (its last little-endian word mod 4, i.e. the low 2 bits of byte 24), or after 9 nodes, or at the
 * end of the level. A final group of two nodes or fewer is taken whole. Every group becomes one parent whose hash is
 * {@link XetHashes#internalNodeHash} of the group and whose size is the group's total size.
 *
 * <p>Cutting on hash values (mean branching factor 4) rather than fixed counts keeps the tree content-defined, so
 * appending chunks changes only the right edge of the tree.
 */
final class MerkleAggregation {
    /** The mean branching factor; a node whose hash is divisible by it ends a group. */
    private static final int BRANCHING = 4;
    /** Groups have at least 2 nodes when there are 2 to take ... */
    private static final int MIN_GROUP = 2;
    /** ... and at most 2 * BRANCHING + 1. */
    private static final int MAX_GROUP = 2 * BRANCHING + 1;

    private MerkleAggregation() {}

    static MerkleHash root(List<HashedChunk> leaves) {
        if (leaves.isEmpty()) {
            return MerkleHash.ZERO;
        }
        List<HashedChunk> level = leaves;
        while (level.size() > 1) {
            List<HashedChunk> parents = new ArrayList<>(level.size() / 2 + 1);
            int start = 0;
            while (start < level.size()) {
                int end = start + groupLength(level, start);
                List<HashedChunk> group = level.subList(start, end);
                parents.add(new HashedChunk(XetHashes.internalNodeHash(group), totalSize(group)));
                start = end;
            }
            level = parents;
        }
        return level.get(0).hash();
    }

    /** How many nodes, starting at {@code start}, form the next group. */
    static int groupLength(List<HashedChunk> level, int start) {
        int remaining = level.size() - start;
        if (remaining <= MIN_GROUP) {
            return remaining;
        }
        int limit = Math.min(MAX_GROUP, remaining);
        for (int i = MIN_GROUP; i < limit; i++) {
            if (endsGroup(level.get(start + i).hash())) {
                return i + 1;
            }
        }
        return limit;
    }

    /** The reference's {@code hash % 4 == 0}: the last word, read little-endian, is divisible by the factor. */
    static boolean endsGroup(MerkleHash hash) {
        return Long.remainderUnsigned(hash.word3(), BRANCHING) == 0;
    }

    private static long totalSize(List<HashedChunk> group) {
        long total = 0;
        for (HashedChunk chunk : group) {
            total = Math.addExact(total, chunk.size());
        }
        return total;
    }
}
