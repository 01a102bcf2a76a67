package dev.atrium.xet;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Inputs that reference test vectors are defined on. */
public final class TestInputs {
    private TestInputs() {}

    /**
     * SplitMix64 output as bytes, each u64 little-endian, cut to {@code n}: the portable generator xet-core's chunking
     * tests use ("can be ported here as is"), so vectors computed on it can be reproduced anywhere.
     */
    public static byte[] splitMix64(int n, long seed) {
        ByteBuffer out = ByteBuffer.allocate(n + 8).order(ByteOrder.LITTLE_ENDIAN);
        long state = seed;
        while (out.position() < n) {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            out.putLong(z ^ (z >>> 31));
        }
        return Arrays.copyOf(out.array(), n);
    }
}
