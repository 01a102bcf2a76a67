package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A stored xorb: its chunks in order with both their uncompressed and serialized positions, and the length of the
 * serialized object. Chunk records follow each other from byte 0 with no gap; anything after the last record
 * (xet-core appends a footer) is not addressed by any chunk.
 */
public record XorbInfo(MerkleHash hash, List<XorbChunk> chunks, long serializedLength) {
    public XorbInfo {
        Objects.requireNonNull(hash, "hash");
        chunks = List.copyOf(chunks);
        if (chunks.isEmpty()) {
            throw new IllegalArgumentException("xorb " + hash + " has no chunks");
        }
        long unpacked = 0;
        long packed = 0;
        for (int i = 0; i < chunks.size(); i++) {
            XorbChunk chunk = chunks.get(i);
            if (chunk.unpackedOffset() != unpacked || chunk.packedOffset() != packed) {
                throw new IllegalArgumentException(
                        "xorb " + hash + " chunk " + i + " does not follow the chunk before it");
            }
            unpacked += chunk.unpackedLength();
            packed = chunk.packedEnd();
        }
        if (packed > serializedLength) {
            throw new IllegalArgumentException("xorb " + hash + " chunks run to byte " + packed
                    + ", past its serialized length " + serializedLength);
        }
    }

    /**
     * Joins a shard's description of a xorb with the lengths of its chunk records in the serialized xorb (8 plus
     * the compressed size of each, in order), as read from the uploaded object.
     */
    public static XorbInfo of(CasInfo cas, List<Long> packedLengths, long serializedLength) {
        if (packedLengths.size() != cas.chunks().size()) {
            throw new IllegalArgumentException("the shard lists " + cas.chunks().size() + " chunks for xorb "
                    + cas.xorbHash() + ", the object holds " + packedLengths.size());
        }
        List<XorbChunk> chunks = new ArrayList<>(packedLengths.size());
        long packed = 0;
        for (int i = 0; i < packedLengths.size(); i++) {
            CasChunk c = cas.chunks().get(i);
            chunks.add(new XorbChunk(c.chunkHash(), c.byteRangeStart(), c.unpackedLength(), packed,
                    packedLengths.get(i)));
            packed += packedLengths.get(i);
        }
        return new XorbInfo(cas.xorbHash(), chunks, serializedLength);
    }

    /** The sum of the uncompressed lengths of chunks {@code [start, end)}. */
    public long unpackedLength(int start, int end) {
        checkRange(start, end);
        XorbChunk last = chunks.get(end - 1);
        return last.unpackedOffset() + last.unpackedLength() - chunks.get(start).unpackedOffset();
    }

    /** Where the record of chunk {@code start} begins in the serialized xorb. */
    public long packedStart(int start) {
        checkRange(start, start + 1);
        return chunks.get(start).packedOffset();
    }

    /** Where the record of chunk {@code end - 1} ends in the serialized xorb (exclusive). */
    public long packedEnd(int end) {
        checkRange(end - 1, end);
        return chunks.get(end - 1).packedEnd();
    }

    /** This xorb as a CAS info block, for a global-dedup answer; chunk flags are not kept, so they are 0. */
    public CasInfo toCasInfo() {
        List<CasChunk> casChunks = new ArrayList<>(chunks.size());
        for (XorbChunk c : chunks) {
            casChunks.add(new CasChunk(c.hash(), c.unpackedOffset(), c.unpackedLength()));
        }
        XorbChunk last = chunks.get(chunks.size() - 1);
        return new CasInfo(hash, casChunks, last.unpackedOffset() + last.unpackedLength(),
                Math.min(serializedLength, 0xFFFF_FFFFL), 0);
    }

    private void checkRange(int start, int end) {
        if (start < 0 || end <= start || end > chunks.size()) {
            throw new IllegalArgumentException("chunk range [" + start + ", " + end + ") is not within xorb "
                    + hash + " of " + chunks.size() + " chunks");
        }
    }
}
