package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The 200-byte footer ({@code MDBShardFileFooter}, version 1) with the lookup tables that precede it. Section
 * offsets are not stored: they follow from the content and are checked on parse and computed on write.
 *
 * <p>Layout (all u64 little-endian unless noted): version, file_info_offset, cas_info_offset, file_lookup_offset,
 * file_lookup_num_entry, xorb_lookup_offset, xorb_lookup_num_entry, chunk_lookup_offset, chunk_lookup_num_entry
 * (these six are shard.md's 48-byte {@code _buffer}), chunk_hash_hmac_key (32 bytes), shard_creation_timestamp,
 * shard_key_expiry, six reserved u64, stored_bytes_on_disk, materialized_bytes, stored_bytes (these nine are
 * shard.md's 72-byte {@code _buffer2}), footer_offset.
 *
 * @param chunkHashHmacKey all zero when the CAS section's chunk hashes are plain; otherwise they are keyed
 * @param creationTimestamp seconds since the epoch
 * @param keyExpiry seconds since the epoch, an unsigned u64 ({@code -1L} is xet-core's "never"); clients delete a
 *     shard once it is past, so a global-dedup answer must carry a time in the future, never 0
 * @param storedBytesOnDisk sum of the xorbs' {@code num_bytes_on_disk} (informational; kept as read)
 * @param materializedBytes sum of the files' sizes (informational; kept as read)
 * @param storedBytes sum of the xorbs' {@code num_bytes_in_cas} (informational; kept as read)
 */
public record ShardFooter(LookupTables lookupTables, MerkleHash chunkHashHmacKey, long creationTimestamp,
                          long keyExpiry, long storedBytesOnDisk, long materializedBytes, long storedBytes) {
    public ShardFooter {
        Objects.requireNonNull(lookupTables, "lookupTables");
        Objects.requireNonNull(chunkHashHmacKey, "chunkHashHmacKey");
    }

    /** A footer for new content, with the byte counts computed from it as xet-core computes them. */
    public static ShardFooter build(List<FileReconstruction> files, List<CasInfo> xorbs, LookupTables lookupTables,
                                    MerkleHash hmacKey, long creationTimestamp, long keyExpiry) {
        long materialized = 0;
        for (FileReconstruction file : files) {
            materialized += file.size();
        }
        long onDisk = 0;
        long stored = 0;
        for (CasInfo xorb : xorbs) {
            onDisk += xorb.numBytesOnDisk();
            stored += xorb.numBytesInXorb();
        }
        return new ShardFooter(lookupTables, hmacKey, creationTimestamp, keyExpiry, onDisk, materialized, stored);
    }

    /** The HMAC key, unless it is all zero (chunk hashes in the clear). */
    public Optional<MerkleHash> hmacKey() {
        return ShardLayout.isZero(chunkHashHmacKey) ? Optional.empty() : Optional.of(chunkHashHmacKey);
    }
}
