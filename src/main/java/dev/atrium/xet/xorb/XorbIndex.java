package dev.atrium.xet.xorb;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.XetFormatException.Reason;
import dev.atrium.xet.hash.HashedChunk;
import dev.atrium.xet.hash.XetHashes;
import java.util.ArrayList;
import java.util.List;

/**
 * What a server needs to know about a stored xorb without reading its chunks: its hash and where each chunk is,
 * compressed and uncompressed. It is what the footer records; the CAS service answers reconstruction queries,
 * verifies shard terms and serves byte ranges from it.
 *
 * <p>Chunk ranges are {@code [start, end)} chunk indices, as everywhere in the protocol.
 *
 * @param hash the xorb hash
 * @param chunks the chunks in order; the first starts at offset 0 and each starts where the previous ended
 */
public record XorbIndex(MerkleHash hash, List<XorbChunk> chunks) {
    public XorbIndex {
        chunks = List.copyOf(chunks);
        int serialized = 0;
        int unpacked = 0;
        for (XorbChunk chunk : chunks) {
            if (chunk.serializedStart() != serialized || chunk.unpackedStart() != unpacked) {
                throw new IllegalArgumentException("chunks must be contiguous from offset 0");
            }
            serialized = chunk.serializedEnd();
            unpacked = chunk.unpackedEnd();
        }
    }

    /** Builds the index of chunks laid out in order, computing the xorb hash from them. */
    public static XorbIndex of(List<XorbChunk> chunks) {
        List<HashedChunk> leaves = new ArrayList<>(chunks.size());
        for (XorbChunk chunk : chunks) {
            leaves.add(chunk.hashed());
        }
        return new XorbIndex(XetHashes.xorbHash(leaves), chunks);
    }

    public int chunkCount() {
        return chunks.size();
    }

    public XorbChunk chunk(int index) {
        return chunks.get(index);
    }

    /** The length of the chunk section: where a footer begins. */
    public int chunkSectionLength() {
        return chunks.isEmpty() ? 0 : chunks.get(chunks.size() - 1).serializedEnd();
    }

    /** The total uncompressed size of all chunks (the shard's {@code num_bytes_in_cas}). */
    public int unpackedLength() {
        return chunks.isEmpty() ? 0 : chunks.get(chunks.size() - 1).unpackedEnd();
    }

    /**
     * The bytes of the serialized xorb that hold chunks {@code [start, end)}: from the first chunk's header to the
     * end of the last chunk's payload. This is what a download's {@code url_range} covers (end-inclusive there; see
     * {@link ByteRange#lastInclusive()}), and a client decodes it as consecutive chunks.
     */
    public ByteRange serializedRange(int start, int end) throws XetFormatException {
        checkRange(start, end);
        return new ByteRange(chunks.get(start).serializedStart(), chunks.get(end - 1).serializedEnd());
    }

    /** The uncompressed size of chunks {@code [start, end)}: a reconstruction term's {@code unpacked_length}. */
    public int unpackedLength(int start, int end) throws XetFormatException {
        checkRange(start, end);
        return chunks.get(end - 1).unpackedEnd() - chunks.get(start).unpackedStart();
    }

    /** The hashes of chunks {@code [start, end)}. */
    public List<MerkleHash> chunkHashes(int start, int end) throws XetFormatException {
        checkRange(start, end);
        List<MerkleHash> hashes = new ArrayList<>(end - start);
        for (int i = start; i < end; i++) {
            hashes.add(chunks.get(i).hash());
        }
        return hashes;
    }

    /** The term verification hash for chunks {@code [start, end)}, to check a shard's FileVerificationEntry. */
    public MerkleHash verificationHash(int start, int end) throws XetFormatException {
        return XetHashes.verificationHash(chunkHashes(start, end));
    }

    /** Checks that {@code [start, end)} is a non-empty range of this xorb's chunks. */
    public void checkRange(int start, int end) throws XetFormatException {
        if (start < 0 || end <= start || end > chunks.size()) {
            throw new XetFormatException(Reason.BAD_RANGE,
                    "chunk range [" + start + ", " + end + ") is not within the xorb's " + chunks.size() + " chunks");
        }
    }
}
