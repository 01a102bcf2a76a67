package dev.atrium.xet.hash;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * BLAKE3 in keyed mode with a 32-byte output, written for throughput: every xorb upload hashes each of its chunks,
 * so the server hashes as many bytes as it receives. BouncyCastle's general implementation ran at about a third of
 * this speed and made BLAKE3 the largest cost of a Xet upload. The compression function keeps its state in locals
 * with the seven rounds unrolled and the message permutation applied by renaming, which lets the JIT keep everything
 * in registers; input blocks are read straight from the caller's array.
 *
 * <p>Int-wide VarHandle access to byte arrays is confined to {@link #compress}, whose arrays always escape (it is far
 * too large to be inlined). HotSpot 17's C2 lost such stores into a small array that it had scalar-replaced: a
 * digest written that way into a fresh {@code byte[32]} came out as zeros about once per gigabyte hashed, under load.
 * Results therefore leave as words, and the key is read with plain byte loads.
 *
 * <p>Follows the BLAKE3 specification: 1 KiB chunks of 64-byte blocks, chunk chaining values merged into a binary
 * tree as soon as a right sibling is complete, and the root compressed with the ROOT flag. Not thread-safe.
 */
final class Blake3 {
    private static final int[] IV = {
        0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19,
    };
    private static final int CHUNK_START = 1;
    private static final int CHUNK_END = 2;
    private static final int PARENT = 4;
    private static final int ROOT = 8;
    private static final int KEYED_HASH = 16;
    private static final int BLOCK = 64;
    private static final int CHUNK = 1024;
    private static final int BLOCKS_PER_CHUNK = CHUNK / BLOCK;
    /** Fewer chunks than this are cheaper on the scalar path than a pass of mostly idle lanes. */
    private static final int MIN_LANE_CHUNKS = 4;
    /**
     * The largest subtree whose chunks and parents are compressed in lanes before it joins the tree: 64 chunks, a
     * typical Xet chunk. Merging chunk chaining values one by one on the scalar path took a third of the time.
     */
    private static final int MAX_SUBTREE_CHUNKS = 64;
    /** Enough for 2^54 chunks, more than any input can have. */
    private static final int MAX_DEPTH = 54;
    private static final VarHandle LE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final int[] key = new int[8];
    private final int[] cv = new int[8];
    private final byte[] block = new byte[BLOCK];
    private int blockLength;
    private int blocksCompressed;
    private long chunkCounter;
    private final int[] stack = new int[MAX_DEPTH * 8];
    private int stackSize;
    private final int[] scratchCv = new int[8];
    /** The chaining values of a subtree's chunks, then of each level of its parents (see {@link #compressSubtree}). */
    private int[] subtreeCvs;
    private final byte[] parentBlock = new byte[BLOCK];
    private final boolean useLanes;
    /** Created on the first input long enough to use it. */
    private ChunkLanes lanes;

    Blake3(byte[] key32) {
        this(key32, ChunkLanes.Availability.SIMD);
    }

    /** @param useLanes whether whole chunks may go through {@link ChunkLanes#simd()} (tests compare both paths) */
    Blake3(byte[] key32, boolean useLanes) {
        this.useLanes = useLanes && ChunkLanes.Availability.SIMD;
        if (key32.length != 32) {
            throw new IllegalArgumentException("BLAKE3 keys are 32 bytes");
        }
        for (int i = 0; i < 8; i++) {
            key[i] = le32(key32, i * 4);
        }
        reset();
    }

    /** Forgets all input; the key stays. */
    void reset() {
        System.arraycopy(key, 0, cv, 0, 8);
        blockLength = 0;
        blocksCompressed = 0;
        chunkCounter = 0;
        stackSize = 0;
    }

    void update(byte[] input, int offset, int length) {
        java.util.Objects.checkFromIndexSize(offset, length, input.length);
        int off = offset;
        int len = length;
        while (len > 0) {
            if (blocksCompressed * BLOCK + blockLength == CHUNK) {
                finishChunk(); // more input follows, so this chunk is not the root
            }
            if (blockLength == BLOCK) {
                compressBlock(block, 0); // more input follows within this chunk, so it is not the chunk's last block
                blockLength = 0;
            }
            if (blockLength == 0 && blocksCompressed == 0 && useLanes && len > MIN_LANE_CHUNKS * CHUNK) {
                int whole = compressWholeChunks(input, off, len);
                off += whole * CHUNK;
                len -= whole * CHUNK;
                continue;
            }
            if (blockLength == 0) {
                // Whole blocks straight from the input; the last one stays buffered, as it may end the chunk.
                while (len > BLOCK && blocksCompressed < BLOCKS_PER_CHUNK - 1) {
                    compressBlock(input, off);
                    off += BLOCK;
                    len -= BLOCK;
                }
            }
            int take = Math.min(BLOCK - blockLength, len);
            System.arraycopy(input, off, block, blockLength, take);
            blockLength += take;
            off += take;
            len -= take;
        }
    }

    /**
     * Compresses, a lane per chunk, the whole chunks at the start of {@code input[off, off + len)} that more input
     * follows (the last chunk may be the root, so it stays on the scalar path); returns how many.
     */
    private int compressWholeChunks(byte[] input, int off, int len) {
        if (lanes == null) {
            lanes = ChunkLanes.simd().orElseThrow();
        }
        int whole = (len - 1) / CHUNK;
        int done = 0;
        while (whole - done >= MIN_LANE_CHUNKS) {
            int span = alignedSubtree(whole - done);
            if (span >= lanes.lanes()) {
                compressSubtree(input, off + done * CHUNK, span);
                done += span;
                continue;
            }
            int count = Math.min(whole - done, lanes.lanes());
            lanes.compressChunks(key, input, off + done * CHUNK, count, chunkCounter, KEYED_HASH);
            for (int lane = 0; lane < count; lane++) {
                for (int w = 0; w < 8; w++) {
                    scratchCv[w] = lanes.chainingValue(lane, w);
                }
                pushChunk(scratchCv);
            }
            done += count;
        }
        return done;
    }

    /**
     * The largest subtree that can join the tree next: a power of two of at most {@code available} chunks (and of
     * {@link #MAX_SUBTREE_CHUNKS}) that the chunks so far are a multiple of, as BLAKE3's left-full tree requires.
     */
    private int alignedSubtree(int available) {
        int span = Integer.highestOneBit(Math.min(available, MAX_SUBTREE_CHUNKS));
        while ((chunkCounter & (span - 1)) != 0) {
            span >>>= 1;
        }
        return span;
    }

    /**
     * Compresses the {@code span} chunks at {@code input[off]} (a power of two, a multiple of the lanes) and the
     * parents above them, level by level, into one chaining value that joins the tree. Pairing neighbours level by
     * level gives BLAKE3's tree because the subtree is full. Levels of fewer than half the lanes' width of parents
     * are cheaper on the scalar path.
     */
    private void compressSubtree(byte[] input, int off, int span) {
        int width = lanes.lanes();
        if (subtreeCvs == null) {
            subtreeCvs = new int[MAX_SUBTREE_CHUNKS * 8];
        }
        int[] cvs = subtreeCvs;
        for (int first = 0; first < span; first += width) {
            lanes.compressChunks(key, input, off + first * CHUNK, width, chunkCounter + first, KEYED_HASH);
            copyLanes(cvs, first, width);
        }
        for (int nodes = span / 2; nodes >= 1; nodes /= 2) {
            if (nodes >= width / 2) {
                for (int first = 0; first < nodes; first += width) {
                    int count = Math.min(width, nodes - first);
                    lanes.compressParents(key, cvs, first, count, KEYED_HASH | PARENT);
                    copyLanes(cvs, first, count);
                }
            } else {
                for (int node = 0; node < nodes; node++) {
                    parentCv(cvs, 16 * node, cvs, 16 * node + 8, scratchCv);
                    System.arraycopy(scratchCv, 0, cvs, 8 * node, 8);
                }
            }
        }
        System.arraycopy(cvs, 0, scratchCv, 0, 8);
        pushSubtree(scratchCv, Integer.numberOfTrailingZeros(span));
    }

    /** Copies the chaining values of lanes {@code [0, count)} to nodes {@code [first, first + count)} of {@code cvs}. */
    private void copyLanes(int[] cvs, int first, int count) {
        for (int lane = 0; lane < count; lane++) {
            for (int w = 0; w < 8; w++) {
                cvs[8 * (first + lane) + w] = lanes.chainingValue(lane, w);
            }
        }
    }

    private void compressBlock(byte[] bytes, int offset) {
        int flags = KEYED_HASH | (blocksCompressed == 0 ? CHUNK_START : 0);
        compress(cv, bytes, offset, chunkCounter, BLOCK, flags, cv);
        blocksCompressed++;
    }

    private void finishChunk() {
        int flags = KEYED_HASH | CHUNK_END | (blocksCompressed == 0 ? CHUNK_START : 0);
        compress(cv, block, 0, chunkCounter, blockLength, flags, scratchCv);
        pushChunk(scratchCv);
        System.arraycopy(key, 0, cv, 0, 8);
        blocksCompressed = 0;
        blockLength = 0;
    }

    /** Adds the chaining value of the next chunk to the tree ({@code chunkCv} is overwritten). */
    private void pushChunk(int[] chunkCv) {
        pushSubtree(chunkCv, 0);
    }

    /**
     * Adds the chaining value of a full subtree of the next {@code 2^height} chunks to the tree ({@code cv} is
     * overwritten); the chunks so far must be a multiple of its size.
     */
    private void pushSubtree(int[] cv, int height) {
        chunkCounter += 1L << height;
        // Merge completed subtrees: as many as the new count, in subtrees of this size, has trailing zero bits.
        long total = chunkCounter >>> height;
        while ((total & 1) == 0) {
            stackSize--;
            parentCv(stack, stackSize * 8, cv, 0, cv);
            total >>= 1;
        }
        System.arraycopy(cv, 0, stack, stackSize * 8, 8);
        stackSize++;
    }

    private void parentCv(int[] left, int leftOffset, int[] right, int rightOffset, int[] out) {
        fillParentBlock(left, leftOffset, right, rightOffset);
        compress(key, parentBlock, 0, 0, BLOCK, KEYED_HASH | PARENT, out);
    }

    private void fillParentBlock(int[] left, int leftOffset, int[] right, int rightOffset) {
        for (int i = 0; i < 8; i++) {
            LE_INT.set(parentBlock, i * 4, left[leftOffset + i]);
            LE_INT.set(parentBlock, 32 + i * 4, right[rightOffset + i]);
        }
    }

    /**
     * Writes the 32-byte hash of everything given so far to {@code words} as 8 little-endian words (word {@code i} is
     * bytes {@code 4i..4i+3} of the digest); the state is left unchanged.
     */
    void finish(int[] words) {
        Arrays.fill(block, blockLength, BLOCK, (byte) 0);
        int chunkFlags = KEYED_HASH | CHUNK_END | (blocksCompressed == 0 ? CHUNK_START : 0);
        int[] result = words;
        if (stackSize == 0) {
            compress(cv, block, 0, chunkCounter, blockLength, chunkFlags | ROOT, result);
        } else {
            // The last chunk's chaining value climbs the stack; the final parent is the root.
            compress(cv, block, 0, chunkCounter, blockLength, chunkFlags, result);
            for (int i = stackSize - 1; i > 0; i--) {
                parentCv(stack, i * 8, result, 0, result);
            }
            fillParentBlock(stack, 0, result, 0);
            compress(key, parentBlock, 0, 0, BLOCK, KEYED_HASH | PARENT | ROOT, result);
        }
    }

    private static int le32(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) | (bytes[offset + 1] & 0xFF) << 8 | (bytes[offset + 2] & 0xFF) << 16
                | (bytes[offset + 3] & 0xFF) << 24;
    }

    /** The BLAKE3 compression function, truncated to the 8 words that chaining values and 32-byte outputs use. */
    private static void compress(int[] chainingValue, byte[] bytes, int offset, long counter, int blockLength,
            int flags, int[] out) {
        java.util.Objects.checkFromIndexSize(offset, BLOCK, bytes.length);
        int m0 = (int) LE_INT.get(bytes, offset);
        int m1 = (int) LE_INT.get(bytes, offset + 4);
        int m2 = (int) LE_INT.get(bytes, offset + 8);
        int m3 = (int) LE_INT.get(bytes, offset + 12);
        int m4 = (int) LE_INT.get(bytes, offset + 16);
        int m5 = (int) LE_INT.get(bytes, offset + 20);
        int m6 = (int) LE_INT.get(bytes, offset + 24);
        int m7 = (int) LE_INT.get(bytes, offset + 28);
        int m8 = (int) LE_INT.get(bytes, offset + 32);
        int m9 = (int) LE_INT.get(bytes, offset + 36);
        int m10 = (int) LE_INT.get(bytes, offset + 40);
        int m11 = (int) LE_INT.get(bytes, offset + 44);
        int m12 = (int) LE_INT.get(bytes, offset + 48);
        int m13 = (int) LE_INT.get(bytes, offset + 52);
        int m14 = (int) LE_INT.get(bytes, offset + 56);
        int m15 = (int) LE_INT.get(bytes, offset + 60);
        int v0 = chainingValue[0];
        int v1 = chainingValue[1];
        int v2 = chainingValue[2];
        int v3 = chainingValue[3];
        int v4 = chainingValue[4];
        int v5 = chainingValue[5];
        int v6 = chainingValue[6];
        int v7 = chainingValue[7];
        int v8 = IV[0];
        int v9 = IV[1];
        int v10 = IV[2];
        int v11 = IV[3];
        int v12 = (int) counter;
        int v13 = (int) (counter >>> 32);
        int v14 = blockLength;
        int v15 = flags;
        // round 1
        v0 += v4 + m0; v12 = Integer.rotateRight(v12 ^ v0, 16); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 12);
        v0 += v4 + m1; v12 = Integer.rotateRight(v12 ^ v0, 8); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 7);
        v1 += v5 + m2; v13 = Integer.rotateRight(v13 ^ v1, 16); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 12);
        v1 += v5 + m3; v13 = Integer.rotateRight(v13 ^ v1, 8); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 7);
        v2 += v6 + m4; v14 = Integer.rotateRight(v14 ^ v2, 16); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 12);
        v2 += v6 + m5; v14 = Integer.rotateRight(v14 ^ v2, 8); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 7);
        v3 += v7 + m6; v15 = Integer.rotateRight(v15 ^ v3, 16); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 12);
        v3 += v7 + m7; v15 = Integer.rotateRight(v15 ^ v3, 8); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 7);
        v0 += v5 + m8; v15 = Integer.rotateRight(v15 ^ v0, 16); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 12);
        v0 += v5 + m9; v15 = Integer.rotateRight(v15 ^ v0, 8); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 7);
        v1 += v6 + m10; v12 = Integer.rotateRight(v12 ^ v1, 16); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 12);
        v1 += v6 + m11; v12 = Integer.rotateRight(v12 ^ v1, 8); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 7);
        v2 += v7 + m12; v13 = Integer.rotateRight(v13 ^ v2, 16); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 12);
        v2 += v7 + m13; v13 = Integer.rotateRight(v13 ^ v2, 8); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 7);
        v3 += v4 + m14; v14 = Integer.rotateRight(v14 ^ v3, 16); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 12);
        v3 += v4 + m15; v14 = Integer.rotateRight(v14 ^ v3, 8); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 7);
        // round 2
        v0 += v4 + m2; v12 = Integer.rotateRight(v12 ^ v0, 16); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 12);
        v0 += v4 + m6; v12 = Integer.rotateRight(v12 ^ v0, 8); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 7);
        v1 += v5 + m3; v13 = Integer.rotateRight(v13 ^ v1, 16); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 12);
        v1 += v5 + m10; v13 = Integer.rotateRight(v13 ^ v1, 8); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 7);
        v2 += v6 + m7; v14 = Integer.rotateRight(v14 ^ v2, 16); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 12);
        v2 += v6 + m0; v14 = Integer.rotateRight(v14 ^ v2, 8); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 7);
        v3 += v7 + m4; v15 = Integer.rotateRight(v15 ^ v3, 16); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 12);
        v3 += v7 + m13; v15 = Integer.rotateRight(v15 ^ v3, 8); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 7);
        v0 += v5 + m1; v15 = Integer.rotateRight(v15 ^ v0, 16); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 12);
        v0 += v5 + m11; v15 = Integer.rotateRight(v15 ^ v0, 8); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 7);
        v1 += v6 + m12; v12 = Integer.rotateRight(v12 ^ v1, 16); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 12);
        v1 += v6 + m5; v12 = Integer.rotateRight(v12 ^ v1, 8); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 7);
        v2 += v7 + m9; v13 = Integer.rotateRight(v13 ^ v2, 16); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 12);
        v2 += v7 + m14; v13 = Integer.rotateRight(v13 ^ v2, 8); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 7);
        v3 += v4 + m15; v14 = Integer.rotateRight(v14 ^ v3, 16); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 12);
        v3 += v4 + m8; v14 = Integer.rotateRight(v14 ^ v3, 8); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 7);
        // round 3
        v0 += v4 + m3; v12 = Integer.rotateRight(v12 ^ v0, 16); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 12);
        v0 += v4 + m4; v12 = Integer.rotateRight(v12 ^ v0, 8); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 7);
        v1 += v5 + m10; v13 = Integer.rotateRight(v13 ^ v1, 16); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 12);
        v1 += v5 + m12; v13 = Integer.rotateRight(v13 ^ v1, 8); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 7);
        v2 += v6 + m13; v14 = Integer.rotateRight(v14 ^ v2, 16); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 12);
        v2 += v6 + m2; v14 = Integer.rotateRight(v14 ^ v2, 8); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 7);
        v3 += v7 + m7; v15 = Integer.rotateRight(v15 ^ v3, 16); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 12);
        v3 += v7 + m14; v15 = Integer.rotateRight(v15 ^ v3, 8); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 7);
        v0 += v5 + m6; v15 = Integer.rotateRight(v15 ^ v0, 16); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 12);
        v0 += v5 + m5; v15 = Integer.rotateRight(v15 ^ v0, 8); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 7);
        v1 += v6 + m9; v12 = Integer.rotateRight(v12 ^ v1, 16); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 12);
        v1 += v6 + m0; v12 = Integer.rotateRight(v12 ^ v1, 8); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 7);
        v2 += v7 + m11; v13 = Integer.rotateRight(v13 ^ v2, 16); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 12);
        v2 += v7 + m15; v13 = Integer.rotateRight(v13 ^ v2, 8); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 7);
        v3 += v4 + m8; v14 = Integer.rotateRight(v14 ^ v3, 16); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 12);
        v3 += v4 + m1; v14 = Integer.rotateRight(v14 ^ v3, 8); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 7);
        // round 4
        v0 += v4 + m10; v12 = Integer.rotateRight(v12 ^ v0, 16); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 12);
        v0 += v4 + m7; v12 = Integer.rotateRight(v12 ^ v0, 8); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 7);
        v1 += v5 + m12; v13 = Integer.rotateRight(v13 ^ v1, 16); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 12);
        v1 += v5 + m9; v13 = Integer.rotateRight(v13 ^ v1, 8); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 7);
        v2 += v6 + m14; v14 = Integer.rotateRight(v14 ^ v2, 16); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 12);
        v2 += v6 + m3; v14 = Integer.rotateRight(v14 ^ v2, 8); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 7);
        v3 += v7 + m13; v15 = Integer.rotateRight(v15 ^ v3, 16); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 12);
        v3 += v7 + m15; v15 = Integer.rotateRight(v15 ^ v3, 8); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 7);
        v0 += v5 + m4; v15 = Integer.rotateRight(v15 ^ v0, 16); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 12);
        v0 += v5 + m0; v15 = Integer.rotateRight(v15 ^ v0, 8); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 7);
        v1 += v6 + m11; v12 = Integer.rotateRight(v12 ^ v1, 16); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 12);
        v1 += v6 + m2; v12 = Integer.rotateRight(v12 ^ v1, 8); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 7);
        v2 += v7 + m5; v13 = Integer.rotateRight(v13 ^ v2, 16); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 12);
        v2 += v7 + m8; v13 = Integer.rotateRight(v13 ^ v2, 8); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 7);
        v3 += v4 + m1; v14 = Integer.rotateRight(v14 ^ v3, 16); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 12);
        v3 += v4 + m6; v14 = Integer.rotateRight(v14 ^ v3, 8); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 7);
        // round 5
        v0 += v4 + m12; v12 = Integer.rotateRight(v12 ^ v0, 16); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 12);
        v0 += v4 + m13; v12 = Integer.rotateRight(v12 ^ v0, 8); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 7);
        v1 += v5 + m9; v13 = Integer.rotateRight(v13 ^ v1, 16); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 12);
        v1 += v5 + m11; v13 = Integer.rotateRight(v13 ^ v1, 8); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 7);
        v2 += v6 + m15; v14 = Integer.rotateRight(v14 ^ v2, 16); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 12);
        v2 += v6 + m10; v14 = Integer.rotateRight(v14 ^ v2, 8); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 7);
        v3 += v7 + m14; v15 = Integer.rotateRight(v15 ^ v3, 16); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 12);
        v3 += v7 + m8; v15 = Integer.rotateRight(v15 ^ v3, 8); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 7);
        v0 += v5 + m7; v15 = Integer.rotateRight(v15 ^ v0, 16); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 12);
        v0 += v5 + m2; v15 = Integer.rotateRight(v15 ^ v0, 8); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 7);
        v1 += v6 + m5; v12 = Integer.rotateRight(v12 ^ v1, 16); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 12);
        v1 += v6 + m3; v12 = Integer.rotateRight(v12 ^ v1, 8); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 7);
        v2 += v7 + m0; v13 = Integer.rotateRight(v13 ^ v2, 16); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 12);
        v2 += v7 + m1; v13 = Integer.rotateRight(v13 ^ v2, 8); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 7);
        v3 += v4 + m6; v14 = Integer.rotateRight(v14 ^ v3, 16); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 12);
        v3 += v4 + m4; v14 = Integer.rotateRight(v14 ^ v3, 8); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 7);
        // round 6
        v0 += v4 + m9; v12 = Integer.rotateRight(v12 ^ v0, 16); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 12);
        v0 += v4 + m14; v12 = Integer.rotateRight(v12 ^ v0, 8); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 7);
        v1 += v5 + m11; v13 = Integer.rotateRight(v13 ^ v1, 16); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 12);
        v1 += v5 + m5; v13 = Integer.rotateRight(v13 ^ v1, 8); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 7);
        v2 += v6 + m8; v14 = Integer.rotateRight(v14 ^ v2, 16); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 12);
        v2 += v6 + m12; v14 = Integer.rotateRight(v14 ^ v2, 8); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 7);
        v3 += v7 + m15; v15 = Integer.rotateRight(v15 ^ v3, 16); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 12);
        v3 += v7 + m1; v15 = Integer.rotateRight(v15 ^ v3, 8); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 7);
        v0 += v5 + m13; v15 = Integer.rotateRight(v15 ^ v0, 16); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 12);
        v0 += v5 + m3; v15 = Integer.rotateRight(v15 ^ v0, 8); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 7);
        v1 += v6 + m0; v12 = Integer.rotateRight(v12 ^ v1, 16); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 12);
        v1 += v6 + m10; v12 = Integer.rotateRight(v12 ^ v1, 8); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 7);
        v2 += v7 + m2; v13 = Integer.rotateRight(v13 ^ v2, 16); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 12);
        v2 += v7 + m6; v13 = Integer.rotateRight(v13 ^ v2, 8); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 7);
        v3 += v4 + m4; v14 = Integer.rotateRight(v14 ^ v3, 16); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 12);
        v3 += v4 + m7; v14 = Integer.rotateRight(v14 ^ v3, 8); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 7);
        // round 7
        v0 += v4 + m11; v12 = Integer.rotateRight(v12 ^ v0, 16); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 12);
        v0 += v4 + m15; v12 = Integer.rotateRight(v12 ^ v0, 8); v8 += v12; v4 = Integer.rotateRight(v4 ^ v8, 7);
        v1 += v5 + m5; v13 = Integer.rotateRight(v13 ^ v1, 16); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 12);
        v1 += v5 + m0; v13 = Integer.rotateRight(v13 ^ v1, 8); v9 += v13; v5 = Integer.rotateRight(v5 ^ v9, 7);
        v2 += v6 + m1; v14 = Integer.rotateRight(v14 ^ v2, 16); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 12);
        v2 += v6 + m9; v14 = Integer.rotateRight(v14 ^ v2, 8); v10 += v14; v6 = Integer.rotateRight(v6 ^ v10, 7);
        v3 += v7 + m8; v15 = Integer.rotateRight(v15 ^ v3, 16); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 12);
        v3 += v7 + m6; v15 = Integer.rotateRight(v15 ^ v3, 8); v11 += v15; v7 = Integer.rotateRight(v7 ^ v11, 7);
        v0 += v5 + m14; v15 = Integer.rotateRight(v15 ^ v0, 16); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 12);
        v0 += v5 + m10; v15 = Integer.rotateRight(v15 ^ v0, 8); v10 += v15; v5 = Integer.rotateRight(v5 ^ v10, 7);
        v1 += v6 + m2; v12 = Integer.rotateRight(v12 ^ v1, 16); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 12);
        v1 += v6 + m12; v12 = Integer.rotateRight(v12 ^ v1, 8); v11 += v12; v6 = Integer.rotateRight(v6 ^ v11, 7);
        v2 += v7 + m3; v13 = Integer.rotateRight(v13 ^ v2, 16); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 12);
        v2 += v7 + m4; v13 = Integer.rotateRight(v13 ^ v2, 8); v8 += v13; v7 = Integer.rotateRight(v7 ^ v8, 7);
        v3 += v4 + m7; v14 = Integer.rotateRight(v14 ^ v3, 16); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 12);
        v3 += v4 + m13; v14 = Integer.rotateRight(v14 ^ v3, 8); v9 += v14; v4 = Integer.rotateRight(v4 ^ v9, 7);
        out[0] = v0 ^ v8;
        out[1] = v1 ^ v9;
        out[2] = v2 ^ v10;
        out[3] = v3 ^ v11;
        out[4] = v4 ^ v12;
        out[5] = v5 ^ v13;
        out[6] = v6 ^ v14;
        out[7] = v7 ^ v15;
    }
}
