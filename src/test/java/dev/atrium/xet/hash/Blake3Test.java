package dev.atrium.xet.hash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.params.Blake3Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Atrium's BLAKE3 against BouncyCastle's independent implementation (a test-only dependency) and a spec vector. */
class Blake3Test {
    private static final byte[] KEY = "whats the Elvish word for friend".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static byte[] reference(byte[] key, byte[] data) {
        Blake3Digest digest = new Blake3Digest(256);
        digest.init(Blake3Parameters.key(key));
        digest.update(data, 0, data.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }

    private static byte[] ours(byte[] key, byte[] data, int... splits) {
        return ours(true, key, data, splits);
    }

    private static byte[] ours(boolean simd, byte[] key, byte[] data, int... splits) {
        Blake3 blake3 = new Blake3(key, simd);
        int at = 0;
        for (int split : splits) {
            blake3.update(data, at, split - at);
            at = split;
        }
        blake3.update(data, at, data.length - at);
        return bytes(blake3);
    }

    private static byte[] bytes(Blake3 blake3) {
        int[] words = new int[8];
        blake3.finish(words);
        java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int word : words) {
            out.putInt(word);
        }
        return out.array();
    }

    /** The official test vectors' input: bytes 0, 1, ..., 250, 0, 1, ... */
    private static byte[] vectorInput(int length) {
        byte[] input = new byte[length];
        for (int i = 0; i < length; i++) {
            input[i] = (byte) (i % 251);
        }
        return input;
    }

    @Test
    void keyedHash_ofTheEmptyInput_matchesTheOfficialVector() {
        // keyed_hash of the empty input in BLAKE3's test_vectors.json, first 32 bytes
        assertEquals("92b2b75604ed3c761f9d6f62392c8a9227ad0ea3f09573e783f1498a4ed60d26",
                HexFormat.of().formatHex(ours(KEY, new byte[0])));
    }

    @Test
    void simdLanes_areAvailableToTheTests() {
        // The tests must exercise the SIMD path, not the scalar one twice: surefire adds the module as ./atrium does.
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        assumeTrue(Blake3Lanes.supported(), "this CPU has no vectors of 8 ints");
        assertTrue(ChunkLanes.Availability.SIMD);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 63, 64, 65, 127, 128, 1023, 1024, 1025, 2047, 2048, 2049, 3072, 3073, 4096, 4097,
            5 * 1024, 5 * 1024 + 3, 8192, 8193, 16 * 1024, 16 * 1024 + 1, 17 * 1024, 17 * 1024 + 1, 20 * 1024 + 1,
            31 * 1024, 33 * 1024 + 5, 63 * 1024 + 1, 65_536, 65_536 + 1, 97 * 1024 + 9, 131_071, 1 << 20,
            (1 << 20) + 777})
    void oneShot_anyLength_matchesBouncyCastle_onBothPaths(int length) {
        byte[] data = vectorInput(length);
        byte[] expected = reference(KEY, data);
        assertArrayEquals(expected, ours(true, KEY, data), "SIMD, length " + length);
        assertArrayEquals(expected, ours(false, KEY, data), "scalar, length " + length);
    }

    @Test
    void incremental_randomSplits_matchOneShot() {
        Random random = new Random(42);
        byte[] key = new byte[32];
        random.nextBytes(key);
        for (int trial = 0; trial < 200; trial++) {
            // Up to about five 64-chunk subtrees, split anywhere: subtrees then start at every alignment.
            byte[] data = new byte[random.nextInt(trial % 4 == 0 ? 330_000 : 40_000)];
            random.nextBytes(data);
            int[] splits = random.ints(random.nextInt(6), 0, data.length + 1).sorted().toArray();
            byte[] expected = reference(key, data);
            assertArrayEquals(expected, ours(true, key, data, splits), "SIMD, trial " + trial);
            assertArrayEquals(expected, ours(false, key, data, splits), "scalar, trial " + trial);
        }
    }

    @Test
    void finish_thenMoreInput_continuesTheSameHash() {
        byte[] data = vectorInput(5000);
        Blake3 blake3 = new Blake3(KEY);
        blake3.update(data, 0, 2500);
        bytes(blake3);
        blake3.update(data, 2500, 2500);
        assertArrayEquals(reference(KEY, data), bytes(blake3));
    }
}
