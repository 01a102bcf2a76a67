package dev.atrium.xet.hash;

import dev.atrium.xet.MerkleHash;
import java.util.Objects;

/**
 * A leaf (or subtree) of the Xet Merkle tree: a hash and the number of content bytes beneath it. The size takes
 * part in every internal node hash, so two chunk lists with equal hashes but different sizes hash differently.
 *
 * @param hash the chunk hash (or the subtree's node hash)
 * @param size the uncompressed byte count it covers; never negative
 */
public record HashedChunk(MerkleHash hash, long size) {
    public HashedChunk {
        Objects.requireNonNull(hash, "hash");
        if (size < 0) {
            throw new IllegalArgumentException("chunk size must not be negative: " + size);
        }
    }
}
