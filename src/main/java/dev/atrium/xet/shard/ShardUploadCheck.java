package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The rules a shard sent to {@code POST /v1/shards} (or {@code /v2/shards}) must follow beyond being well formed
 * (api.md, upload-protocol.md, shard.md). Failures are {@link ShardFormatException}s: the spec answers all of them
 * with 400.
 */
public final class ShardUploadCheck {
    private ShardUploadCheck() {}

    /**
     * Rules that need nothing but the shard: every file carries verification entries ("MUST be set for shard
     * uploads"), and, for git repositories, a SHA-256 ("REQUIRED when uploading files to Git-based repositories").
     * A footer, which clients MUST NOT send, is tolerated: it repeats what the sections say, and the caller keeps
     * {@link Shard#withoutFooter()}.
     */
    public static void checkForm(Shard shard, boolean requireSha256) throws ShardFormatException {
        for (FileReconstruction file : shard.files()) {
            if (file.verificationHashes().isEmpty()) {
                throw new ShardFormatException("file " + file.fileHash() + " has no verification entries");
            }
            if (requireSha256 && file.sha256().isEmpty()) {
                throw new ShardFormatException("file " + file.fileHash()
                        + " has no SHA-256 (metadata ext), which git repositories need for LFS pointers");
            }
        }
    }

    /**
     * Every xorb the shard references, in order of first mention: those of its CAS info blocks and of its terms.
     * All of them must already be stored when the shard arrives (upload-protocol.md "Ordering and Concurrency").
     */
    public static Set<MerkleHash> referencedXorbs(Shard shard) {
        Set<MerkleHash> xorbs = new LinkedHashSet<>();
        for (CasInfo xorb : shard.xorbs()) {
            xorbs.add(xorb.xorbHash());
        }
        for (FileReconstruction file : shard.files()) {
            for (FileTerm term : file.terms()) {
                xorbs.add(term.xorbHash());
            }
        }
        return xorbs;
    }

    /**
     * Checks the shard against the stored xorbs: each one it references exists; each CAS info block lists the
     * stored xorb's chunks (hashes and lengths; {@code num_bytes_on_disk}, which clients leave 0, and flags are not
     * compared); each term's chunk range lies in its xorb and holds the term's length; each verification hash
     * is the hash of the term's chunk hashes, which only a client that had the data could compute; and each file
     * hash is that of the chunks its terms name. Files are kept once by their hash, whoever sends them first: a file
     * hash not derived from its terms would let one upload decide what every later file with that hash reads.
     *
     * @param stored the stored xorb's description (e.g. {@link XorbInfo#toCasInfo()}), or null when not stored
     * @param verificationHash the spec's term verification hash (hashing.md): BLAKE3 keyed with VERIFICATION_KEY
     *     over the concatenated chunk hashes; owned by the hashing code
     * @param fileHash the spec's file hash of a file's chunks in order (hashing.md: the Merkle root, keyed under
     *     a zero key); owned by the hashing code
     */
    public static void checkAgainstStore(Shard shard, Function<MerkleHash, CasInfo> stored,
                                         Function<List<MerkleHash>, MerkleHash> verificationHash,
                                         Function<List<CasChunk>, MerkleHash> fileHash)
            throws ShardFormatException {
        Map<MerkleHash, CasInfo> cache = new HashMap<>();
        for (CasInfo xorb : shard.xorbs()) {
            CasInfo known = find(xorb.xorbHash(), stored, cache);
            if (!sameChunks(xorb, known)) {
                throw new ShardFormatException("the shard's chunk list for xorb " + xorb.xorbHash()
                        + " does not match the stored xorb");
            }
        }
        for (FileReconstruction file : shard.files()) {
            List<CasChunk> fileChunks = new ArrayList<>();
            for (int i = 0; i < file.terms().size(); i++) {
                FileTerm term = file.terms().get(i);
                CasInfo xorb = find(term.xorbHash(), stored, cache);
                String where = "file " + file.fileHash() + " term " + i + ": ";
                if (term.chunkEnd() > xorb.chunks().size()) {
                    throw new ShardFormatException(where + "chunks [" + term.chunkStart() + ", " + term.chunkEnd()
                            + ") are not all in xorb " + xorb.xorbHash() + " of " + xorb.chunks().size() + " chunks");
                }
                List<CasChunk> chunks = xorb.chunks().subList(term.chunkStart(), term.chunkEnd());
                fileChunks.addAll(chunks);
                long length = 0;
                List<MerkleHash> hashes = new ArrayList<>(chunks.size());
                for (CasChunk chunk : chunks) {
                    length += chunk.unpackedLength();
                    hashes.add(chunk.chunkHash());
                }
                if (length != term.unpackedLength()) {
                    throw new ShardFormatException(where + "says " + term.unpackedLength()
                            + " bytes; its chunks hold " + length);
                }
                if (file.verificationHashes().isPresent()
                        && !verificationHash.apply(hashes).equals(file.verificationHashes().get().get(i))) {
                    throw new ShardFormatException(where + "verification hash does not match the xorb's chunks");
                }
            }
            if (!fileHash.apply(fileChunks).equals(file.fileHash())) {
                throw new ShardFormatException("file " + file.fileHash() + ": not the file hash of its terms' chunks");
            }
        }
    }

    private static CasInfo find(MerkleHash hash, Function<MerkleHash, CasInfo> stored, Map<MerkleHash, CasInfo> cache)
            throws ShardFormatException {
        CasInfo known = cache.computeIfAbsent(hash, stored);
        if (known == null) {
            throw new ShardFormatException("the shard references xorb " + hash + ", which has not been uploaded");
        }
        return known;
    }

    private static boolean sameChunks(CasInfo a, CasInfo b) {
        if (a.chunks().size() != b.chunks().size()) {
            return false;
        }
        for (int i = 0; i < a.chunks().size(); i++) {
            CasChunk x = a.chunks().get(i);
            CasChunk y = b.chunks().get(i);
            if (!x.chunkHash().equals(y.chunkHash()) || x.unpackedLength() != y.unpackedLength()) {
                return false;
            }
        }
        return true;
    }
}
