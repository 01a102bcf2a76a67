package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Reads and writes the lookup tables and the footer that follow the CAS info section. */
final class ShardFooterCodec {
    private ShardFooterCodec() {}

    /**
     * Decodes {@code tail}, the bytes after the CAS info bookend (lookup tables, then the 200-byte footer), checking
     * every offset in the footer against where the sections really are.
     */
    static ShardFooter read(byte[] tail, long casInfoOffset, long casInfoEnd) throws ShardFormatException {
        if (tail.length < ShardLayout.FOOTER_SIZE) {
            throw new ShardFormatException("shard truncated: the header announces a " + ShardLayout.FOOTER_SIZE
                    + "-byte footer, only " + tail.length + " bytes follow the CAS info section");
        }
        long footerStart = casInfoEnd + tail.length - ShardLayout.FOOTER_SIZE;
        ByteBuffer f = ShardLayout.le(tail).position(tail.length - ShardLayout.FOOTER_SIZE).slice()
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long version = f.getLong(0);
        if (version != ShardLayout.FOOTER_VERSION) {
            throw new ShardFormatException("unsupported shard footer version " + Long.toUnsignedString(version)
                    + " (expected " + ShardLayout.FOOTER_VERSION + ")");
        }
        expectOffset("file_info_offset", f.getLong(8), ShardLayout.HEADER_SIZE);
        expectOffset("cas_info_offset", f.getLong(16), casInfoOffset);
        long fileCount = count("file_lookup_num_entry", f.getLong(32), tail.length);
        long xorbCount = count("xorb_lookup_num_entry", f.getLong(48), tail.length);
        long chunkCount = count("chunk_lookup_num_entry", f.getLong(64), tail.length);
        long fileLookup = casInfoEnd;
        long xorbLookup = fileLookup + fileCount * ShardLayout.FILE_LOOKUP_ENTRY_SIZE;
        long chunkLookup = xorbLookup + xorbCount * ShardLayout.XORB_LOOKUP_ENTRY_SIZE;
        // The JS client writes no lookup tables, and zeros for all six of their fields, in the footer it uploads.
        boolean tablesLeftOut = fileCount == 0 && xorbCount == 0 && chunkCount == 0
                && f.getLong(24) == 0 && f.getLong(40) == 0 && f.getLong(56) == 0;
        if (!tablesLeftOut) {
            expectOffset("file_lookup_offset", f.getLong(24), fileLookup);
            expectOffset("xorb_lookup_offset", f.getLong(40), xorbLookup);
            expectOffset("chunk_lookup_offset", f.getLong(56), chunkLookup);
        }
        long tablesEnd = chunkLookup + chunkCount * ShardLayout.CHUNK_LOOKUP_ENTRY_SIZE;
        if (tablesEnd != footerStart) {
            throw new ShardFormatException("the lookup tables end at offset " + tablesEnd
                    + " but the footer starts at offset " + footerStart);
        }
        expectOffset("footer_offset", f.getLong(192), footerStart);

        ByteBuffer t = ShardLayout.le(tail);
        List<LookupTables.FileEntry> files = new ArrayList<>();
        for (long i = 0; i < fileCount; i++) {
            files.add(new LookupTables.FileEntry(t.getLong(), index(t.getInt(), "file lookup")));
        }
        List<LookupTables.XorbEntry> xorbs = new ArrayList<>();
        for (long i = 0; i < xorbCount; i++) {
            xorbs.add(new LookupTables.XorbEntry(t.getLong(), index(t.getInt(), "xorb lookup")));
        }
        List<LookupTables.ChunkEntry> chunks = new ArrayList<>();
        for (long i = 0; i < chunkCount; i++) {
            chunks.add(new LookupTables.ChunkEntry(t.getLong(), index(t.getInt(), "chunk lookup"),
                    index(t.getInt(), "chunk lookup")));
        }
        byte[] key = new byte[MerkleHash.LENGTH];
        f.get(72, key);
        return new ShardFooter(new LookupTables(files, xorbs, chunks), MerkleHash.fromBytes(key), f.getLong(104),
                f.getLong(112), f.getLong(168), f.getLong(176), f.getLong(184));
    }

    /** Encodes the lookup tables and the footer for a shard whose CAS info section spans the given offsets. */
    static byte[] write(ShardFooter footer, long casInfoOffset, long casInfoEnd) {
        LookupTables tables = footer.lookupTables();
        ByteBuffer t = ShardLayout.le(new byte[Math.toIntExact(tables.byteSize() + ShardLayout.FOOTER_SIZE)]);
        for (LookupTables.FileEntry e : tables.files()) {
            t.putLong(e.truncatedHash()).putInt(e.recordIndex());
        }
        for (LookupTables.XorbEntry e : tables.xorbs()) {
            t.putLong(e.truncatedHash()).putInt(e.recordIndex());
        }
        for (LookupTables.ChunkEntry e : tables.chunks()) {
            t.putLong(e.truncatedHash()).putInt(e.xorbRecordIndex()).putInt(e.chunkOffset());
        }
        long fileLookup = casInfoEnd;
        long xorbLookup = fileLookup + (long) tables.files().size() * ShardLayout.FILE_LOOKUP_ENTRY_SIZE;
        long chunkLookup = xorbLookup + (long) tables.xorbs().size() * ShardLayout.XORB_LOOKUP_ENTRY_SIZE;
        long footerStart = casInfoEnd + tables.byteSize();
        t.putLong(ShardLayout.FOOTER_VERSION)
                .putLong(ShardLayout.HEADER_SIZE)
                .putLong(casInfoOffset)
                .putLong(fileLookup).putLong(tables.files().size())
                .putLong(xorbLookup).putLong(tables.xorbs().size())
                .putLong(chunkLookup).putLong(tables.chunks().size())
                .put(footer.chunkHashHmacKey().toBytes())
                .putLong(footer.creationTimestamp())
                .putLong(footer.keyExpiry());
        t.position(t.position() + 6 * Long.BYTES); // reserved, zero
        t.putLong(footer.storedBytesOnDisk())
                .putLong(footer.materializedBytes())
                .putLong(footer.storedBytes())
                .putLong(footerStart);
        return t.array();
    }

    private static void expectOffset(String field, long actual, long expected) throws ShardFormatException {
        if (actual != expected) {
            throw new ShardFormatException("footer " + field + " is " + Long.toUnsignedString(actual)
                    + " but the shard's layout puts it at " + expected);
        }
    }

    private static long count(String field, long value, int tailLength) throws ShardFormatException {
        if (value < 0 || value > tailLength / ShardLayout.FILE_LOOKUP_ENTRY_SIZE) {
            throw new ShardFormatException("footer " + field + " of " + Long.toUnsignedString(value)
                    + " cannot fit in the " + tailLength + " bytes after the CAS info section");
        }
        return value;
    }

    private static int index(int value, String table) throws ShardFormatException {
        if (value < 0) {
            throw new ShardFormatException(table + " entry index " + Integer.toUnsignedString(value)
                    + " is out of range");
        }
        return value;
    }
}
