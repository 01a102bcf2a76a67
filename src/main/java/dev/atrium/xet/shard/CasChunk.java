package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.Objects;

/**
 * One chunk of a xorb as a shard lists it ({@code CASChunkSequenceEntry}).
 *
 * @param byteRangeStart where the chunk starts in the xorb's <em>uncompressed</em> byte stream: the sum of the
 *     unpacked lengths of the chunks before it (xet-core's {@code RawXorbData::from_chunks}). It is not an offset
 *     into the serialized xorb.
 * @param flags the first u32 of the entry's reserved bytes; xet-core uses bit 31 as the "global dedup" mark
 */
public record CasChunk(MerkleHash chunkHash, long byteRangeStart, long unpackedLength, int flags) {
    public CasChunk {
        Objects.requireNonNull(chunkHash, "chunkHash");
        if (byteRangeStart < 0 || byteRangeStart > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("a chunk's byte range start must be a u32, not " + byteRangeStart);
        }
        if (unpackedLength <= 0 || unpackedLength > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(
                    "a chunk's unpacked length must be a positive u32, not " + unpackedLength);
        }
    }

    public CasChunk(MerkleHash chunkHash, long byteRangeStart, long unpackedLength) {
        this(chunkHash, byteRangeStart, unpackedLength, 0);
    }

    /** Whether the client marked this chunk for the global dedup index (it starts a file). */
    public boolean globalDedupFlag() {
        return (flags & ShardLayout.CHUNK_FLAG_GLOBAL_DEDUP) != 0;
    }
}
