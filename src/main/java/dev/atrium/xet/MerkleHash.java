package dev.atrium.xet;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A 32-byte Xet hash (chunk, xorb, file or verification hash).
 *
 * <p>The value is kept the way the reference implementation keeps it: four 64-bit words, each read little-endian
 * from 8 consecutive bytes of the raw digest. That makes the spec's string form natural: {@link #hex()} prints
 * each word as 16 hex digits, so within every 8-byte group the bytes appear reversed (api.md, "Converting Hashes
 * to Strings"). Raw bytes {@code 00 01 .. 1f} therefore print as {@code 0706050403020100 0f0e..08 ...}; printing
 * the raw bytes in order would produce a different, wrong identifier in URLs, JSON and the Hub's
 * {@code X-Xet-Hash} header. Binary formats (shards, xorb footers) store the raw bytes.
 *
 * @param word0 bytes 0..7 of the raw digest as a little-endian integer
 * @param word1 bytes 8..15, likewise
 * @param word2 bytes 16..23, likewise
 * @param word3 bytes 24..31, likewise
 */
public record MerkleHash(long word0, long word1, long word2, long word3) {
    public static final int LENGTH = 32;
    public static final int HEX_LENGTH = 64;

    /** All zeros: what the reference returns for the xorb or file hash of zero chunks. */
    public static final MerkleHash ZERO = new MerkleHash(0, 0, 0, 0);

    /** Reads 32 raw digest bytes (as BLAKE3 outputs them, and as shards and xorb footers store them). */
    public static MerkleHash fromBytes(byte[] raw) {
        if (raw.length != LENGTH) {
            throw new IllegalArgumentException("a Xet hash is 32 bytes, got " + raw.length);
        }
        return fromBytes(raw, 0);
    }

    /** Reads 32 raw digest bytes starting at {@code offset}. */
    public static MerkleHash fromBytes(byte[] raw, int offset) {
        if (offset < 0 || raw.length - offset < LENGTH) {
            throw new IllegalArgumentException("need 32 bytes at offset " + offset);
        }
        return new MerkleHash(le64(raw, offset), le64(raw, offset + 8), le64(raw, offset + 16), le64(raw, offset + 24));
    }

    /**
     * Parses the spec's 64-character string form (the form in API paths, JSON and {@code X-Xet-Hash}). Upper-case
     * digits are accepted, as the reference parser accepts them; {@link #hex()} always prints lower case.
     *
     * @throws IllegalArgumentException when the text is not 64 hex digits
     */
    public static MerkleHash parse(@Nullable String hex) {
        MerkleHash hash = parseOrNull(hex);
        if (hash == null) {
            throw new IllegalArgumentException("not a Xet hash string: " + abbreviate(hex));
        }
        return hash;
    }

    /** Like {@link #parse} but returns null instead of throwing, for untrusted path segments. */
    public static @Nullable MerkleHash parseOrNull(@Nullable String hex) {
        if (hex == null || hex.length() != HEX_LENGTH) {
            return null;
        }
        long[] words = new long[4];
        for (int w = 0; w < 4; w++) {
            long value = 0;
            for (int i = 0; i < 16; i++) {
                int digit = asciiHexValue(hex.charAt(w * 16 + i));
                if (digit < 0) {
                    return null;
                }
                value = (value << 4) | digit;
            }
            words[w] = value;
        }
        return new MerkleHash(words[0], words[1], words[2], words[3]);
    }

    /** The spec's string form: each little-endian word as 16 lower-case hex digits, words in order. */
    public String hex() {
        StringBuilder out = new StringBuilder(HEX_LENGTH);
        appendWord(out, word0);
        appendWord(out, word1);
        appendWord(out, word2);
        appendWord(out, word3);
        return out.toString();
    }

    /** The raw 32 digest bytes; a fresh array each call. */
    public byte[] toBytes() {
        byte[] raw = new byte[LENGTH];
        writeTo(raw, 0);
        return raw;
    }

    /** Writes the raw 32 digest bytes into {@code dst} at {@code offset}. */
    public void writeTo(byte[] dst, int offset) {
        putLe64(dst, offset, word0);
        putLe64(dst, offset + 8, word1);
        putLe64(dst, offset + 16, word2);
        putLe64(dst, offset + 24, word3);
    }

    @Override
    public String toString() {
        return hex();
    }

    private static void appendWord(StringBuilder out, long word) {
        String digits = Long.toHexString(word);
        out.append("0".repeat(16 - digits.length())).append(digits.toLowerCase(Locale.ROOT));
    }

    /** Only ASCII digits: {@link Character#digit} would also take other scripts' digits from an untrusted path. */
    private static int asciiHexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static long le64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFFL);
        }
        return v;
    }

    private static void putLe64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    private static String abbreviate(@Nullable String s) {
        if (s == null) {
            return "null";
        }
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
