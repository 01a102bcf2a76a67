package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Writes shard bytes field by field as shard.md (and xet-core's footer) lay them out, independently of
 * {@link ShardSerializer}, so the parser and the serializer are each checked against the spec rather than
 * against each other.
 */
final class SpecWriter {
    static final byte[] TAG = {
        'H', 'F', 'R', 'e', 'p', 'o', 'M', 'e', 't', 'a', 'D', 'a', 't', 'a', 0, 85, 105, 103, 69, 106, 123,
        (byte) 129, 87, (byte) 131, (byte) 165, (byte) 189, (byte) 217, 92, (byte) 205, (byte) 209, 74, (byte) 169,
    };

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    int position() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    SpecWriter header(long version, long footerSize) {
        return raw(TAG).u64(version).u64(footerSize);
    }

    SpecWriter fileHeader(MerkleHash fileHash, int flags, int numEntries) {
        return hash(fileHash).u32(flags).u32(numEntries).u64(0);
    }

    SpecWriter term(MerkleHash xorb, int casFlags, long unpacked, long start, long end) {
        return hash(xorb).u32(casFlags).u32(unpacked).u32(start).u32(end);
    }

    /** A verification entry or a metadata ext entry: a hash and 16 reserved bytes. */
    SpecWriter hashEntry(MerkleHash hash) {
        return hash(hash).u64(0).u64(0);
    }

    SpecWriter bookend() {
        byte[] ones = new byte[32];
        Arrays.fill(ones, (byte) 0xff);
        return raw(ones).u64(0).u64(0);
    }

    SpecWriter casHeader(MerkleHash xorb, int casFlags, int numEntries, long bytesInCas, long bytesOnDisk) {
        return hash(xorb).u32(casFlags).u32(numEntries).u32(bytesInCas).u32(bytesOnDisk);
    }

    SpecWriter casChunk(MerkleHash chunk, long byteRangeStart, long unpacked, int flags) {
        return hash(chunk).u32(byteRangeStart).u32(unpacked).u32(flags).u32(0);
    }

    SpecWriter hash(MerkleHash hash) {
        return raw(hash.toBytes());
    }

    SpecWriter raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    SpecWriter u32(long value) {
        return raw(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) value).array());
    }

    SpecWriter u64(long value) {
        return raw(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array());
    }
}
