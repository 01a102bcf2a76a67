package dev.atrium.xet.xorb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Deterministic chunk contents of the kinds the compression schemes are for. */
final class TestData {
    private TestData() {}

    /** Incompressible bytes: LZ4 cannot shrink them, so a writer stores them raw. */
    static byte[] random(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    /** Repetitive text: LZ4 shrinks it a lot. */
    static byte[] text(int length, long seed) {
        String[] words = {"xet ", "xorb ", "chunk ", "hash ", "merkle ", "shard ", "atrium ", "hub ", "\n"};
        Random random = new Random(seed);
        byte[] data = new byte[length];
        int pos = 0;
        while (pos < length) {
            byte[] word = words[random.nextInt(words.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            int n = Math.min(word.length, length - pos);
            System.arraycopy(word, 0, data, pos, n);
            pos += n;
        }
        return data;
    }

    /** Slowly varying float32 values: byte grouping helps LZ4 here. */
    static byte[] floats(int length, long seed) {
        ByteBuffer buffer = ByteBuffer.allocate(length + 4).order(ByteOrder.LITTLE_ENDIAN);
        Random random = new Random(seed);
        float value = 1.0f;
        while (buffer.position() < length) {
            value += (float) (random.nextGaussian() * 1e-3);
            buffer.putFloat(value);
        }
        byte[] data = new byte[length];
        System.arraycopy(buffer.array(), 0, data, 0, length);
        return data;
    }
}
