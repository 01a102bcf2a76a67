package dev.atrium.xet.hash;

import static jdk.incubator.vector.VectorOperators.ROR;
import static jdk.incubator.vector.VectorOperators.XOR;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ChunkLanes} on the JDK's Vector API: word {@code i} of every lane's state is one vector, so one pass of the
 * compression function compresses a block of every lane's chunk. The message words are first gathered into
 * {@link #message} so that word {@code j} of all lanes is contiguous. Lanes beyond {@code count} compute on stale
 * words and are ignored. About 3.5 times the scalar code's speed with 16 lanes (AVX-512), see docs/architecture.md.
 */
final class Blake3Lanes implements ChunkLanes {
    private static final VectorSpecies<Integer> SPECIES = IntVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    private static final int BLOCK = 64;
    private static final int CHUNK = 1024;
    private static final int CHUNK_START = 1;
    private static final int CHUNK_END = 2;
    /** Where each lane's chunk starts in {@link #words}. */
    private static final int[] LANE_STARTS = IntStream.range(0, LANES).map(lane -> lane * CHUNK / 4).toArray();
    private static final int[] IV = {0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A};

    private final int[] state = new int[8 * LANES];
    private final int[] work = new int[16 * LANES];
    private final int[] message = new int[16 * LANES];
    private final int[] words = new int[LANES * CHUNK / 4];
    private final int[] counterLow = new int[LANES];
    private final int[] counterHigh = new int[LANES];

    /** Narrower vectors than 8 ints would not beat the scalar code. */
    static boolean supported() {
        return LANES >= 8;
    }

    @Override
    public int lanes() {
        return LANES;
    }

    @Override
    public int chainingValue(int lane, int word) {
        return state[word * LANES + lane];
    }

    @Override
    public void compressChunks(int[] key, byte[] input, int offset, int count, long counter, int flags) {
        if (count < 1 || count > LANES) {
            throw new IllegalArgumentException("count " + count + " outside 1.." + LANES);
        }
        Objects.checkFromIndexSize(offset, count * CHUNK, input.length);
        for (int w = 0; w < 8; w++) {
            Arrays.fill(state, w * LANES, (w + 1) * LANES, key[w]);
        }
        for (int lane = 0; lane < LANES; lane++) {
            long c = counter + lane;
            counterLow[lane] = (int) c;
            counterHigh[lane] = (int) (c >>> 32);
        }
        // One bulk copy into words (lane-major), then a gather per message word: far cheaper than transposing
        // word by word. Lanes beyond count gather stale words.
        ByteBuffer.wrap(input, offset, count * CHUNK).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer()
                .get(words, 0, count * CHUNK / 4);
        for (int b = 0; b < CHUNK / BLOCK; b++) {
            for (int j = 0; j < 16; j++) {
                IntVector.fromArray(SPECIES, words, b * 16 + j, LANE_STARTS, 0).intoArray(message, j * LANES);
            }
            int blockFlags = flags | (b == 0 ? CHUNK_START : 0) | (b == CHUNK / BLOCK - 1 ? CHUNK_END : 0);
            compress(blockFlags);
        }
    }

    @Override
    public void compressParents(int[] key, int[] childCvs, int first, int count, int flags) {
        if (count < 1 || count > LANES) {
            throw new IllegalArgumentException("count " + count + " outside 1.." + LANES);
        }
        Objects.checkFromIndexSize(16 * first, 16 * count, childCvs.length);
        for (int w = 0; w < 8; w++) {
            Arrays.fill(state, w * LANES, (w + 1) * LANES, key[w]);
        }
        Arrays.fill(counterLow, 0);
        Arrays.fill(counterHigh, 0);
        for (int lane = 0; lane < count; lane++) {
            int block = 16 * (first + lane);
            for (int j = 0; j < 16; j++) {
                message[j * LANES + lane] = childCvs[block + j];
            }
        }
        compress(flags);
    }

    private void compress(int flags) {
        int[] v = work;
        System.arraycopy(state, 0, v, 0, 8 * LANES);
        for (int w = 0; w < 4; w++) {
            Arrays.fill(v, (8 + w) * LANES, (9 + w) * LANES, IV[w]);
        }
        System.arraycopy(counterLow, 0, v, 12 * LANES, LANES);
        System.arraycopy(counterHigh, 0, v, 13 * LANES, LANES);
        Arrays.fill(v, 14 * LANES, 15 * LANES, BLOCK);
        Arrays.fill(v, 15 * LANES, 16 * LANES, flags);
        int[] m = message;
        round1(v, m);
        round2(v, m);
        round3(v, m);
        round4(v, m);
        round5(v, m);
        round6(v, m);
        round7(v, m);
        for (int w = 0; w < 8; w++) {
            IntVector.fromArray(SPECIES, v, w * LANES).lanewise(XOR, IntVector.fromArray(SPECIES, v, (w + 8) * LANES))
                    .intoArray(state, w * LANES);
        }
    }

    /*
     * One method per round, the message permutation applied by choosing words, state in {@code v} between rounds:
     * C2 gives up on a method holding all seven rounds, and the Vector API is slow when not compiled by C2.
     */
    private static void round1(int[] v, int[] m) {
        IntVector v0 = IntVector.fromArray(SPECIES, v, 0);
        IntVector v1 = IntVector.fromArray(SPECIES, v, LANES);
        IntVector v2 = IntVector.fromArray(SPECIES, v, 2 * LANES);
        IntVector v3 = IntVector.fromArray(SPECIES, v, 3 * LANES);
        IntVector v4 = IntVector.fromArray(SPECIES, v, 4 * LANES);
        IntVector v5 = IntVector.fromArray(SPECIES, v, 5 * LANES);
        IntVector v6 = IntVector.fromArray(SPECIES, v, 6 * LANES);
        IntVector v7 = IntVector.fromArray(SPECIES, v, 7 * LANES);
        IntVector v8 = IntVector.fromArray(SPECIES, v, 8 * LANES);
        IntVector v9 = IntVector.fromArray(SPECIES, v, 9 * LANES);
        IntVector v10 = IntVector.fromArray(SPECIES, v, 10 * LANES);
        IntVector v11 = IntVector.fromArray(SPECIES, v, 11 * LANES);
        IntVector v12 = IntVector.fromArray(SPECIES, v, 12 * LANES);
        IntVector v13 = IntVector.fromArray(SPECIES, v, 13 * LANES);
        IntVector v14 = IntVector.fromArray(SPECIES, v, 14 * LANES);
        IntVector v15 = IntVector.fromArray(SPECIES, v, 15 * LANES);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, 0));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 16);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 12);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, LANES));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 8);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 7);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 2 * LANES));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 16);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 12);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 3 * LANES));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 8);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 7);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, 4 * LANES));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 16);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 12);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, 5 * LANES));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 8);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 7);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, 6 * LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 16);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 12);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, 7 * LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 8);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 7);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, 8 * LANES));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 16);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 12);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, 9 * LANES));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 8);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 7);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 10 * LANES));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 16);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 12);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 11 * LANES));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 8);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 7);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, 12 * LANES));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 16);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 12);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, 13 * LANES));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 8);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 7);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, 14 * LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 16);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 12);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, 15 * LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 8);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 7);
        v0.intoArray(v, 0);
        v1.intoArray(v, LANES);
        v2.intoArray(v, 2 * LANES);
        v3.intoArray(v, 3 * LANES);
        v4.intoArray(v, 4 * LANES);
        v5.intoArray(v, 5 * LANES);
        v6.intoArray(v, 6 * LANES);
        v7.intoArray(v, 7 * LANES);
        v8.intoArray(v, 8 * LANES);
        v9.intoArray(v, 9 * LANES);
        v10.intoArray(v, 10 * LANES);
        v11.intoArray(v, 11 * LANES);
        v12.intoArray(v, 12 * LANES);
        v13.intoArray(v, 13 * LANES);
        v14.intoArray(v, 14 * LANES);
        v15.intoArray(v, 15 * LANES);
    }

    private static void round2(int[] v, int[] m) {
        IntVector v0 = IntVector.fromArray(SPECIES, v, 0);
        IntVector v1 = IntVector.fromArray(SPECIES, v, LANES);
        IntVector v2 = IntVector.fromArray(SPECIES, v, 2 * LANES);
        IntVector v3 = IntVector.fromArray(SPECIES, v, 3 * LANES);
        IntVector v4 = IntVector.fromArray(SPECIES, v, 4 * LANES);
        IntVector v5 = IntVector.fromArray(SPECIES, v, 5 * LANES);
        IntVector v6 = IntVector.fromArray(SPECIES, v, 6 * LANES);
        IntVector v7 = IntVector.fromArray(SPECIES, v, 7 * LANES);
        IntVector v8 = IntVector.fromArray(SPECIES, v, 8 * LANES);
        IntVector v9 = IntVector.fromArray(SPECIES, v, 9 * LANES);
        IntVector v10 = IntVector.fromArray(SPECIES, v, 10 * LANES);
        IntVector v11 = IntVector.fromArray(SPECIES, v, 11 * LANES);
        IntVector v12 = IntVector.fromArray(SPECIES, v, 12 * LANES);
        IntVector v13 = IntVector.fromArray(SPECIES, v, 13 * LANES);
        IntVector v14 = IntVector.fromArray(SPECIES, v, 14 * LANES);
        IntVector v15 = IntVector.fromArray(SPECIES, v, 15 * LANES);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, 2 * LANES));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 16);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 12);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, 6 * LANES));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 8);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 7);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 3 * LANES));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 16);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 12);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 10 * LANES));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 8);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 7);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, 7 * LANES));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 16);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 12);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, 0));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 8);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 7);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, 4 * LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 16);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 12);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, 13 * LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 8);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 7);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, LANES));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 16);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 12);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, 11 * LANES));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 8);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 7);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 12 * LANES));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 16);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 12);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 5 * LANES));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 8);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 7);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, 9 * LANES));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 16);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 12);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, 14 * LANES));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 8);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 7);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, 15 * LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 16);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 12);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, 8 * LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 8);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 7);
        v0.intoArray(v, 0);
        v1.intoArray(v, LANES);
        v2.intoArray(v, 2 * LANES);
        v3.intoArray(v, 3 * LANES);
        v4.intoArray(v, 4 * LANES);
        v5.intoArray(v, 5 * LANES);
        v6.intoArray(v, 6 * LANES);
        v7.intoArray(v, 7 * LANES);
        v8.intoArray(v, 8 * LANES);
        v9.intoArray(v, 9 * LANES);
        v10.intoArray(v, 10 * LANES);
        v11.intoArray(v, 11 * LANES);
        v12.intoArray(v, 12 * LANES);
        v13.intoArray(v, 13 * LANES);
        v14.intoArray(v, 14 * LANES);
        v15.intoArray(v, 15 * LANES);
    }

    private static void round3(int[] v, int[] m) {
        IntVector v0 = IntVector.fromArray(SPECIES, v, 0);
        IntVector v1 = IntVector.fromArray(SPECIES, v, LANES);
        IntVector v2 = IntVector.fromArray(SPECIES, v, 2 * LANES);
        IntVector v3 = IntVector.fromArray(SPECIES, v, 3 * LANES);
        IntVector v4 = IntVector.fromArray(SPECIES, v, 4 * LANES);
        IntVector v5 = IntVector.fromArray(SPECIES, v, 5 * LANES);
        IntVector v6 = IntVector.fromArray(SPECIES, v, 6 * LANES);
        IntVector v7 = IntVector.fromArray(SPECIES, v, 7 * LANES);
        IntVector v8 = IntVector.fromArray(SPECIES, v, 8 * LANES);
        IntVector v9 = IntVector.fromArray(SPECIES, v, 9 * LANES);
        IntVector v10 = IntVector.fromArray(SPECIES, v, 10 * LANES);
        IntVector v11 = IntVector.fromArray(SPECIES, v, 11 * LANES);
        IntVector v12 = IntVector.fromArray(SPECIES, v, 12 * LANES);
        IntVector v13 = IntVector.fromArray(SPECIES, v, 13 * LANES);
        IntVector v14 = IntVector.fromArray(SPECIES, v, 14 * LANES);
        IntVector v15 = IntVector.fromArray(SPECIES, v, 15 * LANES);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, 3 * LANES));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 16);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 12);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, 4 * LANES));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 8);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 7);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 10 * LANES));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 16);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 12);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 12 * LANES));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 8);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 7);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, 13 * LANES));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 16);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 12);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, 2 * LANES));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 8);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 7);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, 7 * LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 16);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 12);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, 14 * LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 8);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 7);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, 6 * LANES));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 16);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 12);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, 5 * LANES));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 8);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 7);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 9 * LANES));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 16);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 12);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 0));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 8);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 7);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, 11 * LANES));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 16);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 12);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, 15 * LANES));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 8);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 7);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, 8 * LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 16);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 12);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 8);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 7);
        v0.intoArray(v, 0);
        v1.intoArray(v, LANES);
        v2.intoArray(v, 2 * LANES);
        v3.intoArray(v, 3 * LANES);
        v4.intoArray(v, 4 * LANES);
        v5.intoArray(v, 5 * LANES);
        v6.intoArray(v, 6 * LANES);
        v7.intoArray(v, 7 * LANES);
        v8.intoArray(v, 8 * LANES);
        v9.intoArray(v, 9 * LANES);
        v10.intoArray(v, 10 * LANES);
        v11.intoArray(v, 11 * LANES);
        v12.intoArray(v, 12 * LANES);
        v13.intoArray(v, 13 * LANES);
        v14.intoArray(v, 14 * LANES);
        v15.intoArray(v, 15 * LANES);
    }

    private static void round4(int[] v, int[] m) {
        IntVector v0 = IntVector.fromArray(SPECIES, v, 0);
        IntVector v1 = IntVector.fromArray(SPECIES, v, LANES);
        IntVector v2 = IntVector.fromArray(SPECIES, v, 2 * LANES);
        IntVector v3 = IntVector.fromArray(SPECIES, v, 3 * LANES);
        IntVector v4 = IntVector.fromArray(SPECIES, v, 4 * LANES);
        IntVector v5 = IntVector.fromArray(SPECIES, v, 5 * LANES);
        IntVector v6 = IntVector.fromArray(SPECIES, v, 6 * LANES);
        IntVector v7 = IntVector.fromArray(SPECIES, v, 7 * LANES);
        IntVector v8 = IntVector.fromArray(SPECIES, v, 8 * LANES);
        IntVector v9 = IntVector.fromArray(SPECIES, v, 9 * LANES);
        IntVector v10 = IntVector.fromArray(SPECIES, v, 10 * LANES);
        IntVector v11 = IntVector.fromArray(SPECIES, v, 11 * LANES);
        IntVector v12 = IntVector.fromArray(SPECIES, v, 12 * LANES);
        IntVector v13 = IntVector.fromArray(SPECIES, v, 13 * LANES);
        IntVector v14 = IntVector.fromArray(SPECIES, v, 14 * LANES);
        IntVector v15 = IntVector.fromArray(SPECIES, v, 15 * LANES);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, 10 * LANES));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 16);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 12);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, 7 * LANES));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 8);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 7);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 12 * LANES));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 16);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 12);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 9 * LANES));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 8);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 7);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, 14 * LANES));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 16);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 12);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, 3 * LANES));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 8);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 7);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, 13 * LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 16);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 12);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, 15 * LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 8);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 7);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, 4 * LANES));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 16);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 12);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, 0));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 8);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 7);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 11 * LANES));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 16);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 12);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 2 * LANES));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 8);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 7);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, 5 * LANES));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 16);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 12);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, 8 * LANES));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 8);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 7);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 16);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 12);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, 6 * LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 8);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 7);
        v0.intoArray(v, 0);
        v1.intoArray(v, LANES);
        v2.intoArray(v, 2 * LANES);
        v3.intoArray(v, 3 * LANES);
        v4.intoArray(v, 4 * LANES);
        v5.intoArray(v, 5 * LANES);
        v6.intoArray(v, 6 * LANES);
        v7.intoArray(v, 7 * LANES);
        v8.intoArray(v, 8 * LANES);
        v9.intoArray(v, 9 * LANES);
        v10.intoArray(v, 10 * LANES);
        v11.intoArray(v, 11 * LANES);
        v12.intoArray(v, 12 * LANES);
        v13.intoArray(v, 13 * LANES);
        v14.intoArray(v, 14 * LANES);
        v15.intoArray(v, 15 * LANES);
    }

    private static void round5(int[] v, int[] m) {
        IntVector v0 = IntVector.fromArray(SPECIES, v, 0);
        IntVector v1 = IntVector.fromArray(SPECIES, v, LANES);
        IntVector v2 = IntVector.fromArray(SPECIES, v, 2 * LANES);
        IntVector v3 = IntVector.fromArray(SPECIES, v, 3 * LANES);
        IntVector v4 = IntVector.fromArray(SPECIES, v, 4 * LANES);
        IntVector v5 = IntVector.fromArray(SPECIES, v, 5 * LANES);
        IntVector v6 = IntVector.fromArray(SPECIES, v, 6 * LANES);
        IntVector v7 = IntVector.fromArray(SPECIES, v, 7 * LANES);
        IntVector v8 = IntVector.fromArray(SPECIES, v, 8 * LANES);
        IntVector v9 = IntVector.fromArray(SPECIES, v, 9 * LANES);
        IntVector v10 = IntVector.fromArray(SPECIES, v, 10 * LANES);
        IntVector v11 = IntVector.fromArray(SPECIES, v, 11 * LANES);
        IntVector v12 = IntVector.fromArray(SPECIES, v, 12 * LANES);
        IntVector v13 = IntVector.fromArray(SPECIES, v, 13 * LANES);
        IntVector v14 = IntVector.fromArray(SPECIES, v, 14 * LANES);
        IntVector v15 = IntVector.fromArray(SPECIES, v, 15 * LANES);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, 12 * LANES));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 16);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 12);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, 13 * LANES));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 8);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 7);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 9 * LANES));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 16);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 12);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 11 * LANES));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 8);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 7);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, 15 * LANES));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 16);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 12);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, 10 * LANES));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 8);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 7);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, 14 * LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 16);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 12);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, 8 * LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 8);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 7);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, 7 * LANES));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 16);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 12);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, 2 * LANES));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 8);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 7);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 5 * LANES));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 16);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 12);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 3 * LANES));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 8);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 7);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, 0));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 16);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 12);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, LANES));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 8);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 7);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, 6 * LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 16);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 12);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, 4 * LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 8);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 7);
        v0.intoArray(v, 0);
        v1.intoArray(v, LANES);
        v2.intoArray(v, 2 * LANES);
        v3.intoArray(v, 3 * LANES);
        v4.intoArray(v, 4 * LANES);
        v5.intoArray(v, 5 * LANES);
        v6.intoArray(v, 6 * LANES);
        v7.intoArray(v, 7 * LANES);
        v8.intoArray(v, 8 * LANES);
        v9.intoArray(v, 9 * LANES);
        v10.intoArray(v, 10 * LANES);
        v11.intoArray(v, 11 * LANES);
        v12.intoArray(v, 12 * LANES);
        v13.intoArray(v, 13 * LANES);
        v14.intoArray(v, 14 * LANES);
        v15.intoArray(v, 15 * LANES);
    }

    private static void round6(int[] v, int[] m) {
        IntVector v0 = IntVector.fromArray(SPECIES, v, 0);
        IntVector v1 = IntVector.fromArray(SPECIES, v, LANES);
        IntVector v2 = IntVector.fromArray(SPECIES, v, 2 * LANES);
        IntVector v3 = IntVector.fromArray(SPECIES, v, 3 * LANES);
        IntVector v4 = IntVector.fromArray(SPECIES, v, 4 * LANES);
        IntVector v5 = IntVector.fromArray(SPECIES, v, 5 * LANES);
        IntVector v6 = IntVector.fromArray(SPECIES, v, 6 * LANES);
        IntVector v7 = IntVector.fromArray(SPECIES, v, 7 * LANES);
        IntVector v8 = IntVector.fromArray(SPECIES, v, 8 * LANES);
        IntVector v9 = IntVector.fromArray(SPECIES, v, 9 * LANES);
        IntVector v10 = IntVector.fromArray(SPECIES, v, 10 * LANES);
        IntVector v11 = IntVector.fromArray(SPECIES, v, 11 * LANES);
        IntVector v12 = IntVector.fromArray(SPECIES, v, 12 * LANES);
        IntVector v13 = IntVector.fromArray(SPECIES, v, 13 * LANES);
        IntVector v14 = IntVector.fromArray(SPECIES, v, 14 * LANES);
        IntVector v15 = IntVector.fromArray(SPECIES, v, 15 * LANES);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, 9 * LANES));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 16);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 12);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, 14 * LANES));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 8);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 7);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 11 * LANES));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 16);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 12);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 5 * LANES));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 8);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 7);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, 8 * LANES));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 16);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 12);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, 12 * LANES));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 8);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 7);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, 15 * LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 16);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 12);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 8);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 7);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, 13 * LANES));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 16);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 12);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, 3 * LANES));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 8);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 7);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 0));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 16);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 12);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 10 * LANES));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 8);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 7);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, 2 * LANES));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 16);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 12);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, 6 * LANES));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 8);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 7);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, 4 * LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 16);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 12);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, 7 * LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 8);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 7);
        v0.intoArray(v, 0);
        v1.intoArray(v, LANES);
        v2.intoArray(v, 2 * LANES);
        v3.intoArray(v, 3 * LANES);
        v4.intoArray(v, 4 * LANES);
        v5.intoArray(v, 5 * LANES);
        v6.intoArray(v, 6 * LANES);
        v7.intoArray(v, 7 * LANES);
        v8.intoArray(v, 8 * LANES);
        v9.intoArray(v, 9 * LANES);
        v10.intoArray(v, 10 * LANES);
        v11.intoArray(v, 11 * LANES);
        v12.intoArray(v, 12 * LANES);
        v13.intoArray(v, 13 * LANES);
        v14.intoArray(v, 14 * LANES);
        v15.intoArray(v, 15 * LANES);
    }

    private static void round7(int[] v, int[] m) {
        IntVector v0 = IntVector.fromArray(SPECIES, v, 0);
        IntVector v1 = IntVector.fromArray(SPECIES, v, LANES);
        IntVector v2 = IntVector.fromArray(SPECIES, v, 2 * LANES);
        IntVector v3 = IntVector.fromArray(SPECIES, v, 3 * LANES);
        IntVector v4 = IntVector.fromArray(SPECIES, v, 4 * LANES);
        IntVector v5 = IntVector.fromArray(SPECIES, v, 5 * LANES);
        IntVector v6 = IntVector.fromArray(SPECIES, v, 6 * LANES);
        IntVector v7 = IntVector.fromArray(SPECIES, v, 7 * LANES);
        IntVector v8 = IntVector.fromArray(SPECIES, v, 8 * LANES);
        IntVector v9 = IntVector.fromArray(SPECIES, v, 9 * LANES);
        IntVector v10 = IntVector.fromArray(SPECIES, v, 10 * LANES);
        IntVector v11 = IntVector.fromArray(SPECIES, v, 11 * LANES);
        IntVector v12 = IntVector.fromArray(SPECIES, v, 12 * LANES);
        IntVector v13 = IntVector.fromArray(SPECIES, v, 13 * LANES);
        IntVector v14 = IntVector.fromArray(SPECIES, v, 14 * LANES);
        IntVector v15 = IntVector.fromArray(SPECIES, v, 15 * LANES);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, 11 * LANES));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 16);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 12);
        v0 = v0.add(v4).add(IntVector.fromArray(SPECIES, m, 15 * LANES));
        v12 = v12.lanewise(XOR, v0).lanewise(ROR, 8);
        v8 = v8.add(v12); v4 = v4.lanewise(XOR, v8).lanewise(ROR, 7);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 5 * LANES));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 16);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 12);
        v1 = v1.add(v5).add(IntVector.fromArray(SPECIES, m, 0));
        v13 = v13.lanewise(XOR, v1).lanewise(ROR, 8);
        v9 = v9.add(v13); v5 = v5.lanewise(XOR, v9).lanewise(ROR, 7);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, LANES));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 16);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 12);
        v2 = v2.add(v6).add(IntVector.fromArray(SPECIES, m, 9 * LANES));
        v14 = v14.lanewise(XOR, v2).lanewise(ROR, 8);
        v10 = v10.add(v14); v6 = v6.lanewise(XOR, v10).lanewise(ROR, 7);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, 8 * LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 16);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 12);
        v3 = v3.add(v7).add(IntVector.fromArray(SPECIES, m, 6 * LANES));
        v15 = v15.lanewise(XOR, v3).lanewise(ROR, 8);
        v11 = v11.add(v15); v7 = v7.lanewise(XOR, v11).lanewise(ROR, 7);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, 14 * LANES));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 16);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 12);
        v0 = v0.add(v5).add(IntVector.fromArray(SPECIES, m, 10 * LANES));
        v15 = v15.lanewise(XOR, v0).lanewise(ROR, 8);
        v10 = v10.add(v15); v5 = v5.lanewise(XOR, v10).lanewise(ROR, 7);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 2 * LANES));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 16);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 12);
        v1 = v1.add(v6).add(IntVector.fromArray(SPECIES, m, 12 * LANES));
        v12 = v12.lanewise(XOR, v1).lanewise(ROR, 8);
        v11 = v11.add(v12); v6 = v6.lanewise(XOR, v11).lanewise(ROR, 7);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, 3 * LANES));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 16);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 12);
        v2 = v2.add(v7).add(IntVector.fromArray(SPECIES, m, 4 * LANES));
        v13 = v13.lanewise(XOR, v2).lanewise(ROR, 8);
        v8 = v8.add(v13); v7 = v7.lanewise(XOR, v8).lanewise(ROR, 7);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, 7 * LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 16);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 12);
        v3 = v3.add(v4).add(IntVector.fromArray(SPECIES, m, 13 * LANES));
        v14 = v14.lanewise(XOR, v3).lanewise(ROR, 8);
        v9 = v9.add(v14); v4 = v4.lanewise(XOR, v9).lanewise(ROR, 7);
        v0.intoArray(v, 0);
        v1.intoArray(v, LANES);
        v2.intoArray(v, 2 * LANES);
        v3.intoArray(v, 3 * LANES);
        v4.intoArray(v, 4 * LANES);
        v5.intoArray(v, 5 * LANES);
        v6.intoArray(v, 6 * LANES);
        v7.intoArray(v, 7 * LANES);
        v8.intoArray(v, 8 * LANES);
        v9.intoArray(v, 9 * LANES);
        v10.intoArray(v, 10 * LANES);
        v11.intoArray(v, 11 * LANES);
        v12.intoArray(v, 12 * LANES);
        v13.intoArray(v, 13 * LANES);
        v14.intoArray(v, 14 * LANES);
        v15.intoArray(v, 15 * LANES);
    }
}
