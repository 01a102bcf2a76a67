package dev.atrium.xet.xorb;

/**
 * The byte grouping of compression scheme 2 (xorb.md, "Byte Grouping LZ4 Compression"): byte {@code i} of the chunk
 * goes to group {@code i % 4}, and the four groups are concatenated. With a length not divisible by 4 the first
 * {@code length % 4} groups are one byte longer. Bytes at the same position in 4-byte values (floats, ints) then sit
 * together, which LZ4 compresses better.
 */
public final class ByteGrouping4 {
    private ByteGrouping4() {}

    /** Groups {@code data} for compression. */
    public static byte[] split(byte[] data) {
        byte[] grouped = new byte[data.length];
        int pos = 0;
        for (int group = 0; group < 4; group++) {
            for (int i = group; i < data.length; i += 4) {
                grouped[pos++] = data[i];
            }
        }
        return grouped;
    }

    /** Undoes {@link #split}. */
    public static byte[] regroup(byte[] grouped) {
        byte[] data = new byte[grouped.length];
        int pos = 0;
        for (int group = 0; group < 4; group++) {
            for (int i = group; i < data.length; i += 4) {
                data[i] = grouped[pos++];
            }
        }
        return data;
    }
}
