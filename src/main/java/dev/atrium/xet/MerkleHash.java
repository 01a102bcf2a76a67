package dev.atrium.xet;

import java.util.Arrays;
import java.util.Objects;

/**
 * A 32-byte Xet hash (chunk, xorb, file, verification hash; also the SHA-256 slot of a shard).
 *
 * <p><b>PLACEHOLDER — reconcile at merge.</b> The hashing branch owns the real {@code MerkleHash}. This branch
 * needs only: the canonical constructor {@code new MerkleHash(byte[32])}, {@link #bytes()}, {@link #fromHex} and
 * {@link #toHex}, with value equality. Keep the other branch's type if it offers those with the same meaning.
 *
 * <p>The string form follows the spec's hash-to-string rule (hub-docs {@code api.md}, "Converting Hashes to
 * Strings"): each 8-byte group is read as a little-endian u64 and printed as 16 lowercase hex digits, groups in
 * order. It is <em>not</em> the hex of the bytes in order. (The spec's worked example string is 62 characters
 * long, a typo; the procedure is unambiguous and matches xet-core's {@code DataHash::hex}.)
 */
public record MerkleHash(byte[] bytes) {
    public static final int LENGTH = 32;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    public MerkleHash {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("a hash has 32 bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /** A copy of the 32 bytes, in the order they are stored in shards and xorbs. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Parses the 64-character string form. Only lowercase hex is accepted: the spec says "64 lowercase hexadecimal
     * characters" for every hash in an API path, and xet-core only ever prints lowercase.
     */
    public static MerkleHash fromHex(String hex) {
        if (hex == null || hex.length() != 2 * LENGTH) {
            throw new IllegalArgumentException("a hash is 64 lowercase hex characters");
        }
        byte[] out = new byte[LENGTH];
        for (int group = 0; group < 4; group++) {
            for (int k = 0; k < 8; k++) {
                int at = group * 16 + k * 2;
                int value = (digit(hex.charAt(at)) << 4) | digit(hex.charAt(at + 1));
                out[group * 8 + 7 - k] = (byte) value;
            }
        }
        return new MerkleHash(out);
    }

    /** The 64-character string form (see the class comment). */
    public String toHex() {
        char[] out = new char[2 * LENGTH];
        int i = 0;
        for (int group = 0; group < 4; group++) {
            for (int k = 7; k >= 0; k--) {
                int b = bytes[group * 8 + k] & 0xff;
                out[i++] = HEX[b >>> 4];
                out[i++] = HEX[b & 0xf];
            }
        }
        return new String(out);
    }

    private static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        throw new IllegalArgumentException("a hash is 64 lowercase hex characters");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MerkleHash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
