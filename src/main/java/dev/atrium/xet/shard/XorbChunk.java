package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.Objects;

/**
 * One chunk of a stored xorb, as the server keeps it to answer reconstruction and dedup queries.
 *
 * @param unpackedOffset where the chunk's bytes start in the xorb's uncompressed stream (a shard's {@code
 *     chunk_byte_range_start})
 * @param unpackedLength the chunk's uncompressed length
 * @param packedOffset where the chunk's record (8-byte chunk header, then the compressed bytes) starts in the
 *     serialized xorb; this is what fetch URLs and their byte ranges address
 * @param packedLength the record's length, header included
 */
public record XorbChunk(MerkleHash hash, long unpackedOffset, long unpackedLength, long packedOffset,
                        long packedLength) {
    public XorbChunk {
        Objects.requireNonNull(hash, "hash");
        if (unpackedOffset < 0 || unpackedLength <= 0 || packedOffset < 0 || packedLength <= 0) {
            throw new IllegalArgumentException("chunk " + hash + " has a negative offset or a non-positive length");
        }
    }

    public long packedEnd() {
        return packedOffset + packedLength;
    }
}
