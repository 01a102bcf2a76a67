package dev.atrium.xet.hash;

import dev.atrium.xet.MerkleHash;

/**
 * Keyed BLAKE3 (32-byte key, 32-byte output), the only primitive behind every Xet hash. A new instance per use keeps
 * callers thread-safe: the hasher carries state and must not be shared.
 */
public final class Blake3Keyed {
    private final Blake3 blake3;

    /** Starts an incremental keyed hash, for data that arrives in pieces. */
    public Blake3Keyed(byte[] key32) {
        this.blake3 = new Blake3(key32);
    }

    public Blake3Keyed update(byte[] data, int offset, int length) {
        blake3.update(data, offset, length);
        return this;
    }

    /** Finishes the hash; the instance is reset to the same key and can hash again. */
    public MerkleHash finish() {
        int[] words = new int[8];
        blake3.finish(words);
        blake3.reset();
        return new MerkleHash(pair(words, 0), pair(words, 2), pair(words, 4), pair(words, 6));
    }

    /** Two little-endian 32-bit words as the 64-bit little-endian word {@link MerkleHash} keeps. */
    private static long pair(int[] words, int index) {
        return (words[index] & 0xFFFF_FFFFL) | (long) words[index + 1] << 32;
    }

    /** One-shot keyed hash of {@code data[offset, offset + length)}. */
    public static MerkleHash hash(byte[] key32, byte[] data, int offset, int length) {
        return new Blake3Keyed(key32).update(data, offset, length).finish();
    }
}
