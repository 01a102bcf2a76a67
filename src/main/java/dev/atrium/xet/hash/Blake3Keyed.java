package dev.atrium.xet.hash;

import dev.atrium.xet.MerkleHash;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.bouncycastle.crypto.params.Blake3Parameters;

/**
 * Keyed BLAKE3 (32-byte key, 32-byte output), the only primitive behind every Xet hash. A new digest per use keeps
 * callers thread-safe: BouncyCastle digests carry state and must not be shared.
 */
public final class Blake3Keyed {
    private final Blake3Digest digest = new Blake3Digest(256);

    /** Starts an incremental keyed hash, for data that arrives in pieces. */
    public Blake3Keyed(byte[] key32) {
        if (key32.length != 32) {
            throw new IllegalArgumentException("BLAKE3 keys are 32 bytes");
        }
        digest.init(Blake3Parameters.key(key32));
    }

    public Blake3Keyed update(byte[] data, int offset, int length) {
        digest.update(data, offset, length);
        return this;
    }

    /** Finishes the hash; the instance is reset to the same key and can hash again. */
    public MerkleHash finish() {
        byte[] out = new byte[MerkleHash.LENGTH];
        digest.doFinal(out, 0);
        return MerkleHash.fromBytes(out);
    }

    /** One-shot keyed hash of {@code data[offset, offset + length)}. */
    public static MerkleHash hash(byte[] key32, byte[] data, int offset, int length) {
        return new Blake3Keyed(key32).update(data, offset, length).finish();
    }
}
