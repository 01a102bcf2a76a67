package dev.atrium.xet.hash;

import dev.atrium.xet.MerkleHash;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The hash functions of hashing.md. Every one is keyed BLAKE3; they differ in key and in what they hash:
 * <ul>
 *   <li>chunk hash: the chunk's bytes under DATA_KEY;</li>
 *   <li>internal node: text lines {@code "<child hex> : <child size>\n"} under INTERNAL_NODE_KEY;</li>
 *   <li>xorb hash: the root of the Merkle tree over the chunks ({@link #xorbHash});</li>
 *   <li>file hash: that root hashed again with an all-zero key ({@link #fileHash});</li>
 *   <li>term verification hash: the raw chunk hashes concatenated, under VERIFICATION_KEY.</li>
 * </ul>
 * The keys are the spec's byte arrays; they are private and never handed out, so nothing can change them.
 */
public final class XetHashes {
    private static final byte[] DATA_KEY = key(
            102, 151, 245, 119, 91, 149, 80, 222, 49, 53, 203, 172, 165, 151, 24, 28,
            157, 228, 33, 16, 155, 235, 43, 88, 180, 208, 176, 75, 147, 173, 242, 41);
    private static final byte[] INTERNAL_NODE_KEY = key(
            1, 126, 197, 199, 165, 71, 41, 150, 253, 148, 102, 102, 180, 138, 2, 230,
            93, 221, 83, 111, 55, 199, 109, 210, 248, 99, 82, 230, 74, 83, 113, 63);
    private static final byte[] VERIFICATION_KEY = key(
            127, 24, 87, 214, 206, 86, 237, 102, 18, 127, 249, 19, 231, 165, 195, 243,
            164, 205, 38, 213, 181, 219, 73, 230, 65, 36, 152, 127, 40, 251, 148, 195);
    /** The file-hash step uses a key of 32 zero bytes (hashing.md, "File Hashes"). */
    private static final byte[] ZERO_KEY = new byte[32];

    private XetHashes() {}

    /** How BLAKE3 runs in this JVM, for the start-up log. */
    public static String implementation() {
        return ChunkLanes.simd().map(lanes -> "BLAKE3 with " + lanes.lanes() + " SIMD lanes")
                .orElse("scalar BLAKE3 (run the JVM with --add-modules jdk.incubator.vector, as ./atrium does,"
                        + " for SIMD)");
    }

    /** The hash of one chunk's uncompressed bytes. */
    public static MerkleHash chunkHash(byte[] data) {
        return chunkHash(data, 0, data.length);
    }

    /** The hash of {@code data[offset, offset + length)} as one chunk. */
    public static MerkleHash chunkHash(byte[] data, int offset, int length) {
        return Blake3Keyed.hash(DATA_KEY, data, offset, length);
    }

    /** An incremental chunk hasher, for a chunk whose bytes arrive in pieces. */
    public static Blake3Keyed newChunkHasher() {
        return new Blake3Keyed(DATA_KEY);
    }

    /**
     * The hash of one internal Merkle node over {@code children}: one line per child, {@code "<hex> : <size>\n"},
     * where {@code <hex>} is the child's string form ({@link MerkleHash#hex()}, not the raw bytes in order) and
     * {@code <size>} its byte count in decimal.
     */
    public static MerkleHash internalNodeHash(List<HashedChunk> children) {
        StringBuilder text = new StringBuilder(children.size() * 90);
        for (HashedChunk child : children) {
            text.append(child.hash().hex()).append(" : ").append(child.size()).append('\n');
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.US_ASCII);
        return Blake3Keyed.hash(INTERNAL_NODE_KEY, bytes, 0, bytes.length);
    }

    /**
     * The xorb hash: the Merkle root over the xorb's chunks in order. Zero chunks give {@link MerkleHash#ZERO} and
     * one chunk gives that chunk's own hash, as in the reference implementation.
     */
    public static MerkleHash xorbHash(List<HashedChunk> chunks) {
        return MerkleAggregation.root(chunks);
    }

    /**
     * The file hash (the Xet file id): the Merkle root over all of the file's chunks, then keyed BLAKE3 of the root's
     * raw bytes under a zero key. An empty file has no chunks and its hash is {@link MerkleHash#ZERO}: the reference
     * returns zero before the final step rather than hashing a zero root.
     */
    public static MerkleHash fileHash(List<HashedChunk> chunks) {
        return fileHash(chunks, ZERO_KEY);
    }

    /**
     * The file hash with a salt in place of the zero key. Only the zero-key form appears in the protocol; the salted
     * form exists because the reference's published test vectors exercise it, which checks the final step for any key.
     */
    public static MerkleHash fileHash(List<HashedChunk> chunks, byte[] salt32) {
        if (chunks.isEmpty()) {
            return MerkleHash.ZERO;
        }
        byte[] root = MerkleAggregation.root(chunks).toBytes();
        return Blake3Keyed.hash(salt32, root, 0, root.length);
    }

    /** The file hash of a non-empty file from the root of its chunks' tree ({@link MerkleAccumulator#finish}). */
    public static MerkleHash fileHashOfRoot(MerkleHash root) {
        byte[] bytes = root.toBytes();
        return Blake3Keyed.hash(ZERO_KEY, bytes, 0, bytes.length);
    }

    /**
     * The term verification hash a shard carries for chunks {@code [start, end)} of a xorb: keyed BLAKE3 over the raw
     * 32-byte chunk hashes concatenated in order. Pass exactly the term's chunk hashes.
     */
    public static MerkleHash verificationHash(List<MerkleHash> chunkHashes) {
        byte[] concatenated = new byte[chunkHashes.size() * MerkleHash.LENGTH];
        for (int i = 0; i < chunkHashes.size(); i++) {
            chunkHashes.get(i).writeTo(concatenated, i * MerkleHash.LENGTH);
        }
        return Blake3Keyed.hash(VERIFICATION_KEY, concatenated, 0, concatenated.length);
    }

    /**
     * The keyed hash that protects chunk hashes in global-deduplication shards (shard.md, "HMAC Key Protection"):
     * keyed BLAKE3 of the hash's raw bytes under the shard's 32-byte {@code chunk_hash_hmac_key}. The file hash's last
     * step is this with a zero key.
     */
    public static MerkleHash hmac(MerkleHash hash, MerkleHash key) {
        byte[] message = hash.toBytes();
        return Blake3Keyed.hash(key.toBytes(), message, 0, message.length);
    }

    private static byte[] key(int... values) {
        byte[] key = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            key[i] = (byte) values[i];
        }
        return key;
    }
}
