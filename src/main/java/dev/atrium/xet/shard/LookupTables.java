package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The three lookup tables between the CAS info section and the footer. shard.md folds their offsets and counts
 * into the footer's first reserved buffer; xet-core's {@code MDBShardFileFooter} names them ({@code
 * file_lookup_offset/num_entry}, {@code xorb_lookup_*}, {@code chunk_lookup_*}) and writes the tables there. Keys
 * are {@link ShardLayout#truncate truncated hashes}, sorted ascending as unsigned numbers, so readers can search
 * them; values are record indices (48-byte units from the start of the section).
 */
public record LookupTables(List<FileEntry> files, List<XorbEntry> xorbs, List<ChunkEntry> chunks) {
    public static final LookupTables NONE = new LookupTables(List.of(), List.of(), List.of());

    /** A file's truncated hash and the index of its {@code FileDataSequenceHeader} in the file info section. */
    public record FileEntry(long truncatedHash, int recordIndex) {}

    /** A xorb's truncated hash and the index of its {@code CASChunkSequenceHeader} in the CAS info section. */
    public record XorbEntry(long truncatedHash, int recordIndex) {}

    /** A chunk's truncated (possibly HMAC-keyed) hash, its xorb's header index, and its position in that xorb. */
    public record ChunkEntry(long truncatedHash, int xorbRecordIndex, int chunkOffset) {}

    public LookupTables {
        files = List.copyOf(files);
        xorbs = List.copyOf(xorbs);
        chunks = List.copyOf(chunks);
    }

    public long byteSize() {
        return (long) files.size() * ShardLayout.FILE_LOOKUP_ENTRY_SIZE
                + (long) xorbs.size() * ShardLayout.XORB_LOOKUP_ENTRY_SIZE
                + (long) chunks.size() * ShardLayout.CHUNK_LOOKUP_ENTRY_SIZE;
    }

    /** Builds the tables a reader needs for the given sections; each table can be left out (empty). */
    public static LookupTables build(List<FileReconstruction> fileInfos, List<CasInfo> casInfos,
                                     boolean withFiles, boolean withXorbs, boolean withChunks) {
        List<FileEntry> fileTable = new ArrayList<>();
        int index = 0;
        for (FileReconstruction file : fileInfos) {
            if (withFiles) {
                fileTable.add(new FileEntry(ShardLayout.truncate(file.fileHash()), index));
            }
            index += file.recordCount();
        }
        List<XorbEntry> xorbTable = new ArrayList<>();
        List<ChunkEntry> chunkTable = new ArrayList<>();
        index = 0;
        for (CasInfo xorb : casInfos) {
            if (withXorbs) {
                xorbTable.add(new XorbEntry(ShardLayout.truncate(xorb.xorbHash()), index));
            }
            if (withChunks) {
                for (int i = 0; i < xorb.chunks().size(); i++) {
                    chunkTable.add(new ChunkEntry(ShardLayout.truncate(xorb.chunks().get(i).chunkHash()), index, i));
                }
            }
            index += xorb.recordCount();
        }
        fileTable.sort(Comparator.comparing(FileEntry::truncatedHash, Long::compareUnsigned));
        xorbTable.sort(Comparator.comparing(XorbEntry::truncatedHash, Long::compareUnsigned));
        chunkTable.sort(Comparator.comparing(ChunkEntry::truncatedHash, Long::compareUnsigned));
        return new LookupTables(fileTable, xorbTable, chunkTable);
    }

    /**
     * Checks that every entry points at the record it claims, under the key of that record's hash, and that each
     * table is sorted. Throws {@link IllegalArgumentException} naming the first bad entry.
     */
    void validate(List<FileReconstruction> fileInfos, List<CasInfo> casInfos) {
        Map<Integer, MerkleHash> fileHeaders = new HashMap<>();
        int index = 0;
        for (FileReconstruction file : fileInfos) {
            fileHeaders.put(index, file.fileHash());
            index += file.recordCount();
        }
        Map<Integer, CasInfo> xorbHeaders = new HashMap<>();
        index = 0;
        for (CasInfo xorb : casInfos) {
            xorbHeaders.put(index, xorb);
            index += xorb.recordCount();
        }
        long previous = 0;
        for (int i = 0; i < files.size(); i++) {
            FileEntry e = files.get(i);
            MerkleHash hash = fileHeaders.get(e.recordIndex());
            check(hash != null, "file lookup entry " + i + " points at record " + e.recordIndex()
                    + ", which is not a file header");
            check(ShardLayout.truncate(hash) == e.truncatedHash(), "file lookup entry " + i + " has the wrong key");
            check(i == 0 || Long.compareUnsigned(previous, e.truncatedHash()) <= 0, "file lookup table is not sorted");
            previous = e.truncatedHash();
        }
        for (int i = 0; i < xorbs.size(); i++) {
            XorbEntry e = xorbs.get(i);
            CasInfo xorb = xorbHeaders.get(e.recordIndex());
            check(xorb != null, "xorb lookup entry " + i + " points at record " + e.recordIndex()
                    + ", which is not a xorb header");
            check(ShardLayout.truncate(xorb.xorbHash()) == e.truncatedHash(), "xorb lookup entry " + i
                    + " has the wrong key");
            check(i == 0 || Long.compareUnsigned(previous, e.truncatedHash()) <= 0, "xorb lookup table is not sorted");
            previous = e.truncatedHash();
        }
        for (int i = 0; i < chunks.size(); i++) {
            ChunkEntry e = chunks.get(i);
            CasInfo xorb = xorbHeaders.get(e.xorbRecordIndex());
            check(xorb != null && e.chunkOffset() >= 0 && e.chunkOffset() < xorb.chunks().size(),
                    "chunk lookup entry " + i + " points at no chunk");
            MerkleHash hash = xorb.chunks().get(e.chunkOffset()).chunkHash();
            check(ShardLayout.truncate(hash) == e.truncatedHash(), "chunk lookup entry " + i + " has the wrong key");
            check(i == 0 || Long.compareUnsigned(previous, e.truncatedHash()) <= 0, "chunk lookup table is not sorted");
            previous = e.truncatedHash();
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
