package dev.atrium.xet.chunking;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.hash.HashedChunk;
import dev.atrium.xet.hash.XetHashes;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes a file's Xet file hash (its Xet file id, as in {@code X-Xet-Hash}) from a stream: chunk it, hash the
 * chunks, and take the file hash over them. Holds one chunk of data plus 40-odd bytes per chunk (about 0.06% of
 * the file size), never the file.
 */
public final class FileHasher {
    private final Chunker chunker = new Chunker();
    private final List<HashedChunk> chunks = new ArrayList<>();
    private long size;

    /** The result: the file hash, the byte count, and the chunk list a shard's file entry is built from. */
    public record FileDigest(MerkleHash fileHash, long size, List<HashedChunk> chunks) {
        public FileDigest {
            chunks = List.copyOf(chunks);
        }
    }

    public FileHasher update(byte[] data, int offset, int count) {
        chunker.update(data, offset, count, chunk -> chunks.add(chunk.hashed()));
        size += count;
        return this;
    }

    /** Finishes the file; the hasher must not be used afterwards. */
    public FileDigest finish() {
        chunker.finish().ifPresent(chunk -> chunks.add(chunk.hashed()));
        return new FileDigest(XetHashes.fileHash(chunks), size, chunks);
    }

    public static FileDigest hash(InputStream in) throws IOException {
        FileHasher hasher = new FileHasher();
        byte[] buffer = new byte[256 * 1024];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            hasher.update(buffer, 0, n);
        }
        return hasher.finish();
    }
}
