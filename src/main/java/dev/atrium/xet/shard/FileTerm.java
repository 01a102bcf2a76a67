package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.Objects;

/**
 * One term of a file reconstruction: chunks {@code [chunkStart, chunkEnd)} of a xorb, which decompress to
 * {@code unpackedLength} bytes of the file. Serialized as a shard's {@code FileDataSequenceEntry}.
 *
 * @param casFlags the entry's {@code cas_flags}, "reserved for future, set to 0"; kept so a parsed shard
 *     re-serializes byte for byte
 */
public record FileTerm(MerkleHash xorbHash, int chunkStart, int chunkEnd, long unpackedLength, int casFlags) {
    public FileTerm {
        Objects.requireNonNull(xorbHash, "xorbHash");
        if (ShardLayout.isAllOnes(xorbHash)) {
            throw new IllegalArgumentException("a term cannot name the bookend hash as its xorb");
        }
        if (chunkStart < 0 || chunkEnd <= chunkStart) {
            throw new IllegalArgumentException(
                    "a term's chunk range [" + chunkStart + ", " + chunkEnd + ") must be non-empty");
        }
        if (unpackedLength <= 0 || unpackedLength > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(
                    "a term's unpacked length must be a positive u32, not " + unpackedLength);
        }
    }

    public FileTerm(MerkleHash xorbHash, int chunkStart, int chunkEnd, long unpackedLength) {
        this(xorbHash, chunkStart, chunkEnd, unpackedLength, 0);
    }

    public int chunkCount() {
        return chunkEnd - chunkStart;
    }
}
