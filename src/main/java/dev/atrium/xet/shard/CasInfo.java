package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.List;
import java.util.Objects;

/**
 * A xorb as a shard's CAS info section describes it: {@code CASChunkSequenceHeader} and one entry per chunk.
 *
 * @param numBytesInXorb the sum of the chunks' unpacked lengths
 * @param numBytesOnDisk per the spec the serialized xorb's length; the reference client always sends 0 here (no
 *     xet-core code path sets it), so it must not be trusted or required on upload
 * @param casFlags "reserved for later, set to 0"; kept for byte-exact re-serialization
 */
public record CasInfo(MerkleHash xorbHash, List<CasChunk> chunks, long numBytesInXorb, long numBytesOnDisk,
                      int casFlags) {
    public CasInfo {
        Objects.requireNonNull(xorbHash, "xorbHash");
        if (ShardLayout.isAllOnes(xorbHash)) {
            throw new IllegalArgumentException("a xorb hash of all 0xFF bytes is the bookend marker");
        }
        chunks = List.copyOf(chunks);
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("xorb " + xorbHash + " lists no chunks");
        }
        long expectedStart = 0;
        for (int i = 0; i < chunks.size(); i++) {
            CasChunk chunk = chunks.get(i);
            if (chunk.byteRangeStart() != expectedStart) {
                throw new IllegalArgumentException("xorb " + xorbHash + " chunk " + i + " starts at "
                        + chunk.byteRangeStart() + ", but the chunks before it end at " + expectedStart);
            }
            expectedStart += chunk.unpackedLength();
        }
        if (numBytesInXorb != expectedStart) {
            throw new IllegalArgumentException("xorb " + xorbHash + " says it holds " + numBytesInXorb
                    + " bytes, but its chunks add up to " + expectedStart);
        }
        if (numBytesInXorb > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("xorb " + xorbHash + " holds more bytes than a u32 counts");
        }
        if (numBytesOnDisk < 0 || numBytesOnDisk > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("num_bytes_on_disk must be a u32, not " + numBytesOnDisk);
        }
    }

    /** A xorb whose chunks have these hashes and unpacked lengths, in order; offsets and totals are derived. */
    public static CasInfo of(MerkleHash xorbHash, List<MerkleHash> chunkHashes, List<Long> unpackedLengths,
                             long numBytesOnDisk) {
        if (chunkHashes.size() != unpackedLengths.size()) {
            throw new IllegalArgumentException("one length per chunk hash");
        }
        CasChunk[] chunks = new CasChunk[chunkHashes.size()];
        long offset = 0;
        for (int i = 0; i < chunks.length; i++) {
            chunks[i] = new CasChunk(chunkHashes.get(i), offset, unpackedLengths.get(i));
            offset += unpackedLengths.get(i);
        }
        return new CasInfo(xorbHash, List.of(chunks), offset, numBytesOnDisk, 0);
    }

    /** The number of 48-byte records the block takes in a shard, its header included. */
    public int recordCount() {
        return 1 + chunks.size();
    }
}
