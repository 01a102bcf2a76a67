package dev.atrium.xet.xorb;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.hash.HashedChunk;

/**
 * Where one chunk lives in a xorb.
 *
 * @param hash the chunk hash of its uncompressed bytes
 * @param serializedStart offset of its header in the serialized xorb
 * @param serializedEnd offset just past its payload; the next chunk's header starts here
 * @param unpackedStart offset of its bytes in the xorb's uncompressed content (all chunks decoded and concatenated);
 *     this is the shard's {@code chunk_byte_range_start}
 * @param unpackedEnd offset just past its bytes there
 */
public record XorbChunk(MerkleHash hash, int serializedStart, int serializedEnd, int unpackedStart, int unpackedEnd) {
    public XorbChunk {
        if (serializedStart < 0 || serializedEnd - serializedStart < ChunkHeader.LENGTH || unpackedStart < 0
                || unpackedEnd < unpackedStart) {
            throw new IllegalArgumentException("inconsistent chunk offsets");
        }
    }

    /** The chunk's uncompressed size. */
    public int size() {
        return unpackedEnd - unpackedStart;
    }

    /** Header plus payload. */
    public int serializedLength() {
        return serializedEnd - serializedStart;
    }

    public HashedChunk hashed() {
        return new HashedChunk(hash, size());
    }
}
