package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Sizes, magic numbers and flags of the MDB shard format (hub-docs {@code docs/xet/shard.md}). */
public final class ShardLayout {
    /** {@code MDB_SHARD_HEADER_TAG}: "HFRepoMetaData", a zero byte, then 17 fixed bytes. */
    static final byte[] HEADER_TAG = {
        'H', 'F', 'R', 'e', 'p', 'o', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a', 0, 85,
        105, 103, 69, 106, 123, (byte) 129, 87, (byte) 131, (byte) 165, (byte) 189, (byte) 217, 92, (byte) 205,
        (byte) 209, 74, (byte) 169,
    };
    public static final long HEADER_VERSION = 2;
    public static final long FOOTER_VERSION = 1;
    public static final int HEADER_SIZE = 48;
    /** Every record of the file info and CAS info sections, bookends included, is 48 bytes. */
    public static final int ENTRY_SIZE = 48;
    public static final int FOOTER_SIZE = 200;
    public static final int FILE_LOOKUP_ENTRY_SIZE = 12;
    public static final int XORB_LOOKUP_ENTRY_SIZE = 12;
    public static final int CHUNK_LOOKUP_ENTRY_SIZE = 16;

    public static final int FILE_FLAG_WITH_VERIFICATION = 1 << 31;
    public static final int FILE_FLAG_WITH_METADATA_EXT = 1 << 30;
    static final int KNOWN_FILE_FLAGS = FILE_FLAG_WITH_VERIFICATION | FILE_FLAG_WITH_METADATA_EXT;
    /**
     * Bit 31 of the first u32 the spec calls {@code _unused} in a CAS chunk entry. xet-core sets it on chunks that
     * start a file to mark them for the global dedup index ({@code MDB_CHUNK_WITH_GLOBAL_DEDUP_FLAG}).
     */
    public static final int CHUNK_FLAG_GLOBAL_DEDUP = 1 << 31;

    /** Upper bound of a shard: "Maximum size: 64MB" (deduplication.md), "MUST break up ... greater than 64 MiB". */
    public static final long MAX_SHARD_BYTES = 64L << 20;

    private ShardLayout() {}

    static ByteBuffer le(byte[] record) {
        return ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
    }

    static MerkleHash hashAt(byte[] record, int offset) {
        byte[] h = new byte[MerkleHash.LENGTH];
        System.arraycopy(record, offset, h, 0, MerkleHash.LENGTH);
        return MerkleHash.fromBytes(h);
    }

    /** True for the bookend marker hash, 32 bytes of 0xFF. */
    static boolean isAllOnes(byte[] record) {
        for (int i = 0; i < MerkleHash.LENGTH; i++) {
            if (record[i] != (byte) 0xff) {
                return false;
            }
        }
        return true;
    }

    static boolean isAllOnes(MerkleHash hash) {
        return isAllOnes(hash.toBytes());
    }

    static boolean isZero(MerkleHash hash) {
        for (byte b : hash.toBytes()) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** The 8-byte prefix of a hash as the little-endian u64 that the footer's lookup tables are keyed and sorted by. */
    public static long truncate(MerkleHash hash) {
        return le(hash.toBytes()).getLong(0);
    }

    /** The last 8 bytes of a hash as a little-endian u64; a chunk is dedup-eligible when it is 0 modulo 1024. */
    static long lastWord(MerkleHash hash) {
        return le(hash.toBytes()).getLong(24);
    }
}
