package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The global deduplication side of shards: which chunks of an uploaded shard go into the dedup index, and the
 * shard that answers {@code GET /v1/chunks/default-merkledb/{hash}}.
 */
public final class GlobalDedup {
    /** The only prefix the chunk query accepts. */
    public static final String PREFIX = "default-merkledb";

    private GlobalDedup() {}

    /** A chunk to index for global dedup, and where it lives. */
    public record IndexedChunk(MerkleHash chunkHash, MerkleHash xorbHash, int chunkIndex) {}

    /**
     * Whether a chunk hash is eligible by value: its last 8 bytes, read as a little-endian u64, are 0 modulo 1024
     * (deduplication.md; xet-core's {@code hash % 1024}, which uses the fourth u64).
     */
    public static boolean isEligible(MerkleHash chunkHash) {
        return (ShardLayout.lastWord(chunkHash) & 1023) == 0;
    }

    /**
     * The chunks of the shard's CAS info section to put in the dedup index, as xet-core selects them: those whose
     * hash is eligible, those the client flagged, and the chunk each file of the shard starts with. A file whose
     * first chunk lives in a xorb that the shard does not describe (already stored, deduplicated) contributes
     * nothing here; the caller may look that chunk up in its own records.
     */
    public static List<IndexedChunk> chunksToIndex(Shard shard) {
        Map<MerkleHash, Set<Integer>> fileStarts = new HashMap<>();
        for (FileReconstruction file : shard.files()) {
            if (!file.terms().isEmpty()) {
                FileTerm first = file.terms().get(0);
                fileStarts.computeIfAbsent(first.xorbHash(), h -> new HashSet<>()).add(first.chunkStart());
            }
        }
        Map<MerkleHash, IndexedChunk> result = new LinkedHashMap<>();
        for (CasInfo xorb : shard.xorbs()) {
            Set<Integer> starts = fileStarts.getOrDefault(xorb.xorbHash(), Set.of());
            for (int i = 0; i < xorb.chunks().size(); i++) {
                CasChunk chunk = xorb.chunks().get(i);
                if (chunk.globalDedupFlag() || isEligible(chunk.chunkHash()) || starts.contains(i)) {
                    result.putIfAbsent(chunk.chunkHash(), new IndexedChunk(chunk.chunkHash(), xorb.xorbHash(), i));
                }
            }
        }
        return new ArrayList<>(result.values());
    }

    /**
     * The shard answering a chunk query: no file info, the given xorbs (the one holding the queried chunk first,
     * then any others worth offering), xorb and chunk lookup tables, and a footer.
     *
     * <p>The footer is required, not optional: the client stores the answer as a shard file and opens it by
     * reading the last 200 bytes as the footer. Its {@code shard_key_expiry} must lie in the future, because
     * clients delete expired shards from their cache (an expiry of 0 makes the answer useless).
     *
     * @param hmacKey when present, every chunk hash is replaced by {@code keyed.apply(hash)}, which must be
     *     xet-core's {@code hmac}: BLAKE3 keyed hash of the 32 hash bytes under this key; the client applies the same
     *     to its own chunk hashes to find matches, so raw hashes of other users' data are never revealed
     * @param creationTimestamp seconds since the epoch
     * @param keyExpiry seconds since the epoch after which the client discards the answer
     */
    public static Shard answer(List<CasInfo> xorbs, Optional<MerkleHash> hmacKey, UnaryOperator<MerkleHash> keyed,
                               long creationTimestamp, long keyExpiry) {
        if (xorbs.isEmpty()) {
            throw new IllegalArgumentException("a dedup answer describes at least the xorb holding the chunk");
        }
        if (Long.compareUnsigned(keyExpiry, creationTimestamp) <= 0) {
            throw new IllegalArgumentException("a dedup answer must expire after it is created");
        }
        List<CasInfo> out = new ArrayList<>(xorbs.size());
        Set<MerkleHash> seen = new HashSet<>();
        for (CasInfo xorb : xorbs) {
            if (!seen.add(xorb.xorbHash())) {
                continue;
            }
            if (hmacKey.isEmpty()) {
                out.add(xorb);
                continue;
            }
            List<CasChunk> chunks = new ArrayList<>(xorb.chunks().size());
            for (CasChunk c : xorb.chunks()) {
                chunks.add(new CasChunk(keyed.apply(c.chunkHash()), c.byteRangeStart(), c.unpackedLength(), c.flags()));
            }
            out.add(new CasInfo(xorb.xorbHash(), chunks, xorb.numBytesInXorb(), xorb.numBytesOnDisk(),
                    xorb.casFlags()));
        }
        MerkleHash key = hmacKey.orElse(MerkleHash.fromBytes(new byte[MerkleHash.LENGTH]));
        if (ShardLayout.isZero(key) && hmacKey.isPresent()) {
            throw new IllegalArgumentException("an all-zero HMAC key means \"no key\"; use Optional.empty()");
        }
        LookupTables tables = LookupTables.build(List.of(), out, false, true, true);
        ShardFooter footer = ShardFooter.build(List.of(), out, tables, key, creationTimestamp, keyExpiry);
        return new Shard(List.of(), out, Optional.of(footer));
    }
}
