package dev.atrium.xet.hash;

import java.util.Optional;

/**
 * Compresses several whole BLAKE3 chunks side by side, one per SIMD lane. BLAKE3's chunks are independent until
 * their chaining values meet in the tree, so a long input can be hashed many chunks at a time, and the parents of a
 * level of the tree many nodes at a time; the input's last chunk and the upper tree stay with {@link Blake3}.
 */
interface ChunkLanes {
    /** How many chunks one call compresses at most. */
    int lanes();

    /**
     * Compresses {@code count} (1 to {@link #lanes()}) whole 1 KiB chunks that start at {@code offset}, numbered
     * from {@code counter}, none of which is the input's last chunk.
     */
    void compressChunks(int[] key, byte[] input, int offset, int count, long counter, int flags);

    /**
     * Compresses {@code count} (1 to {@link #lanes()}) parent nodes, none of them the root: node {@code i}'s block is
     * the 16 words {@code childCvs[16 * (first + i), 16 * (first + i + 1))}, its left child's chaining value then its
     * right child's. Reads every block before computing, so the caller may write the results over them.
     */
    void compressParents(int[] key, int[] childCvs, int first, int count, int flags);

    /** Word {@code word} of the chaining value of the chunk or parent in {@code lane} after the last call. */
    int chainingValue(int lane, int word);

    /**
     * The SIMD implementation when the JVM runs with {@code --add-modules jdk.incubator.vector} (as {@code ./atrium}
     * starts it) on a CPU with vectors of at least 8 ints, and {@code atrium.blake3.simd} is not {@code false}.
     */
    static Optional<ChunkLanes> simd() {
        return Availability.SIMD ? Optional.of(new Blake3Lanes()) : Optional.empty();
    }

    /** Whether {@link #simd()} is available, decided once. */
    final class Availability {
        static final boolean SIMD = probe();

        private Availability() {}

        private static boolean probe() {
            if ("false".equals(System.getProperty("atrium.blake3.simd"))
                    || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return false;
            }
            try {
                return Blake3Lanes.supported();
            } catch (LinkageError e) {
                return false;
            }
        }
    }
}
