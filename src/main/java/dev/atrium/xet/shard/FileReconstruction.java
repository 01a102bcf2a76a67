package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to rebuild one file: its terms in file order (file-reconstruction.md). Serialized as a shard's file info
 * block: {@code FileDataSequenceHeader}, one entry per term, then the optional verification entries and the optional
 * {@code FileMetadataExt}.
 *
 * @param verificationHashes one term verification hash per term, present exactly when the block carries the
 *     verification flag. Present and empty is legal: xet-core writes the flag on an empty file's block, which has
 *     no terms.
 * @param sha256 the file's SHA-256 from {@code FileMetadataExt}. Stored as xet-core stores it (each 8-byte group
 *     of the digest reversed), so {@code sha256.hex()} is the ordinary SHA-256 hex of a git LFS pointer.
 */
public record FileReconstruction(MerkleHash fileHash, List<FileTerm> terms,
                                 Optional<List<MerkleHash>> verificationHashes, Optional<MerkleHash> sha256) {
    public FileReconstruction {
        Objects.requireNonNull(fileHash, "fileHash");
        if (ShardLayout.isAllOnes(fileHash)) {
            throw new IllegalArgumentException("a file hash of all 0xFF bytes is the bookend marker");
        }
        terms = List.copyOf(terms);
        verificationHashes = verificationHashes.map(List::copyOf);
        Objects.requireNonNull(sha256, "sha256");
        if (verificationHashes.isPresent() && verificationHashes.get().size() != terms.size()) {
            throw new IllegalArgumentException("a file with verification needs one verification hash per term: "
                    + terms.size() + " terms, " + verificationHashes.get().size() + " hashes");
        }
    }

    public FileReconstruction(MerkleHash fileHash, List<FileTerm> terms) {
        this(fileHash, terms, Optional.empty(), Optional.empty());
    }

    /** The file's length in bytes: the sum of its terms' unpacked lengths. */
    public long size() {
        long size = 0;
        for (FileTerm term : terms) {
            size += term.unpackedLength();
        }
        return size;
    }

    /** The {@code file_flags} of the block's header. */
    public int flags() {
        return (verificationHashes.isPresent() ? ShardLayout.FILE_FLAG_WITH_VERIFICATION : 0)
                | (sha256.isPresent() ? ShardLayout.FILE_FLAG_WITH_METADATA_EXT : 0);
    }

    /** The number of 48-byte records the block takes in a shard, its header included. */
    public int recordCount() {
        return 1 + terms.size() + (verificationHashes.isPresent() ? terms.size() : 0) + (sha256.isPresent() ? 1 : 0);
    }
}
