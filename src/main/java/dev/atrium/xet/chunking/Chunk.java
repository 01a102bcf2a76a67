package dev.atrium.xet.chunking;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.hash.HashedChunk;

/**
 * One content-defined chunk cut by the {@link Chunker}.
 *
 * @param offset where the chunk starts in the chunked stream
 * @param data the chunk's bytes; the array is the chunk's own (not shared with the chunker) and is not copied again,
 *     so record equality compares it by identity
 * @param hash the chunk hash of {@code data}
 */
public record Chunk(long offset, byte[] data, MerkleHash hash) {
    public int length() {
        return data.length;
    }

    /** Where the chunk ends (exclusive) in the chunked stream. */
    public long end() {
        return offset + data.length;
    }

    /** The chunk as a Merkle tree leaf. */
    public HashedChunk hashed() {
        return new HashedChunk(hash, data.length);
    }
}
