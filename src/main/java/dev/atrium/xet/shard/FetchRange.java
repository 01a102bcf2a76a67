package dev.atrium.xet.shard;

/**
 * A run of chunks {@code [chunkStart, chunkEnd)} of one xorb that a client downloads in one piece, and the bytes
 * {@code [byteStart, byteEnd)} of the serialized xorb that hold their records.
 */
public record FetchRange(int chunkStart, int chunkEnd, long byteStart, long byteEnd) {
    public FetchRange {
        if (chunkStart < 0 || chunkEnd <= chunkStart || byteStart < 0 || byteEnd <= byteStart) {
            throw new IllegalArgumentException("empty or negative fetch range");
        }
    }

    /** The inclusive byte range for an HTTP {@code Range} header. */
    public ReconstructionApi.HttpRange httpRange() {
        return new ReconstructionApi.HttpRange(byteStart, byteEnd - 1);
    }

    public ReconstructionApi.IndexRange chunks() {
        return new ReconstructionApi.IndexRange(chunkStart, chunkEnd);
    }
}
