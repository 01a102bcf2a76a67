package dev.atrium.xet.hash;

import dev.atrium.xet.MerkleHash;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link MerkleAggregation#root} of a list given one leaf at a time, in memory that grows with the tree's height, not
 * its width: a 100 GB file has 1.6 million chunks, whose hashes need not all be held to hash the file. A group is
 * cut as soon as its end is known (a node that ends a group, or the ninth node), which is where the list-at-once
 * version cuts it too; what is left on each level when the input ends is grouped as that version groups a level's
 * tail.
 */
public final class MerkleAccumulator {
    /** Per level, the nodes not yet grouped, and how many nodes that level has had in all. */
    private final List<List<HashedChunk>> pending = new ArrayList<>();
    private final List<Long> seen = new ArrayList<>();

    public void add(MerkleHash hash, long size) {
        add(0, new HashedChunk(hash, size));
    }

    private void add(int level, HashedChunk node) {
        if (pending.size() == level) {
            pending.add(new ArrayList<>());
            seen.add(0L);
        }
        List<HashedChunk> nodes = pending.get(level);
        nodes.add(node);
        seen.set(level, seen.get(level) + 1);
        int last = nodes.size() - 1;
        if (last >= 2 && (MerkleAggregation.endsGroup(node.hash()) || nodes.size() == 9)) {
            HashedChunk parent = parentOf(nodes);
            nodes.clear();
            add(level + 1, parent);
        }
    }

    /** The root over everything added; the accumulator is then spent. */
    public MerkleHash finish() {
        if (pending.isEmpty()) {
            return MerkleHash.ZERO;
        }
        for (int level = 0; ; level++) {
            List<HashedChunk> nodes = pending.get(level);
            boolean top = level == pending.size() - 1;
            if (top && seen.get(level) == 1) {
                return nodes.get(0).hash();
            }
            int start = 0;
            while (start < nodes.size()) {
                int end = start + MerkleAggregation.groupLength(nodes, start);
                add(level + 1, parentOf(nodes.subList(start, end)));
                start = end;
            }
            nodes.clear();
        }
    }

    private static HashedChunk parentOf(List<HashedChunk> group) {
        long size = 0;
        for (HashedChunk node : group) {
            size = Math.addExact(size, node.size());
        }
        return new HashedChunk(XetHashes.internalNodeHash(group), size);
    }
}
