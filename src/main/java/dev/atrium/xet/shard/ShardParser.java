package dev.atrium.xet.shard;

import dev.atrium.xet.MerkleHash;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads a shard linearly ("option 1, read linearly, streaming" of shard.md): header, file info section up to its
 * bookend, CAS info section up to its bookend, then, when the header announces a footer, the lookup tables and the
 * footer, whose offsets must agree with what was read. Everything is validated; any deviation is a
 * {@link ShardFormatException}. Counts from the data are checked against the byte limit before anything is
 * allocated for them, so a hostile header cannot make the server allocate more than the limit.
 */
public final class ShardParser {
    private ShardParser() {}

    /** Parses a shard of at most {@link ShardLayout#MAX_SHARD_BYTES} bytes. */
    public static Shard parse(InputStream in) throws IOException, ShardFormatException {
        return parse(in, ShardLayout.MAX_SHARD_BYTES);
    }

    /** Parses a shard of at most {@code maxBytes} bytes; the stream is read to its end but not closed. */
    public static Shard parse(InputStream in, long maxBytes) throws IOException, ShardFormatException {
        return read(new ShardInput(new BufferedInputStream(in, 1 << 16), maxBytes));
    }

    public static Shard parse(byte[] bytes) throws ShardFormatException {
        try {
            return parse(new ByteArrayInputStream(bytes), ShardLayout.MAX_SHARD_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
    }

    private static Shard read(ShardInput r) throws IOException, ShardFormatException {
        byte[] header = r.read(ShardLayout.HEADER_SIZE, "header");
        if (!Arrays.equals(Arrays.copyOf(header, 32), ShardLayout.HEADER_TAG)) {
            throw new ShardFormatException("not a shard: the header tag is not MDB_SHARD_HEADER_TAG");
        }
        ByteBuffer h = ShardLayout.le(header);
        long version = h.getLong(32);
        if (version != ShardLayout.HEADER_VERSION) {
            throw new ShardFormatException("unsupported shard header version " + Long.toUnsignedString(version)
                    + " (expected " + ShardLayout.HEADER_VERSION + ")");
        }
        long footerSize = h.getLong(40);
        if (footerSize != 0 && footerSize != ShardLayout.FOOTER_SIZE) {
            throw new ShardFormatException("header footer_size is " + Long.toUnsignedString(footerSize)
                    + "; a footer is " + ShardLayout.FOOTER_SIZE + " bytes, or 0 when omitted");
        }
        List<FileReconstruction> files = readFileInfoSection(r);
        long casInfoOffset = r.position();
        List<CasInfo> xorbs = readCasInfoSection(r);
        Optional<ShardFooter> footer = Optional.empty();
        if (footerSize == 0) {
            r.expectEnd("the CAS info bookend");
        } else {
            long casInfoEnd = r.position();
            byte[] tail = r.readToEnd("lookup tables and footer");
            footer = Optional.of(ShardFooterCodec.read(tail, casInfoOffset, casInfoEnd));
        }
        try {
            return new Shard(files, xorbs, footer);
        } catch (IllegalArgumentException e) {
            throw new ShardFormatException(e.getMessage(), e);
        }
    }

    private static List<FileReconstruction> readFileInfoSection(ShardInput r)
            throws IOException, ShardFormatException {
        List<FileReconstruction> files = new ArrayList<>();
        while (true) {
            long at = r.position();
            byte[] record = r.read(ShardLayout.ENTRY_SIZE, "file info header");
            if (ShardLayout.isAllOnes(record)) {
                requireZeroTail(record, "file info bookend", at);
                return files;
            }
            MerkleHash fileHash = ShardLayout.hashAt(record, 0);
            ByteBuffer b = ShardLayout.le(record);
            int flags = b.getInt(32);
            long count = Integer.toUnsignedLong(b.getInt(36));
            if ((flags & ~ShardLayout.KNOWN_FILE_FLAGS) != 0) {
                throw new ShardFormatException("file " + fileHash + " at offset " + at + " has unknown flags 0x"
                        + Integer.toHexString(flags) + "; the layout of what follows cannot be known");
            }
            boolean verified = (flags & ShardLayout.FILE_FLAG_WITH_VERIFICATION) != 0;
            boolean withSha = (flags & ShardLayout.FILE_FLAG_WITH_METADATA_EXT) != 0;
            long following = count * (verified ? 2 : 1) + (withSha ? 1 : 0);
            r.reserve(following * ShardLayout.ENTRY_SIZE, "file " + fileHash + " with " + count + " terms");
            List<FileTerm> terms = new ArrayList<>((int) Math.min(count, 1024));
            for (int i = 0; i < count; i++) {
                terms.add(readTerm(r, fileHash, i));
            }
            List<MerkleHash> verification = new ArrayList<>();
            for (int i = 0; verified && i < count; i++) {
                verification.add(ShardLayout.hashAt(r.read(ShardLayout.ENTRY_SIZE, "verification entry"), 0));
            }
            Optional<MerkleHash> sha256 = Optional.empty();
            if (withSha) {
                sha256 = Optional.of(ShardLayout.hashAt(r.read(ShardLayout.ENTRY_SIZE, "metadata ext"), 0));
            }
            try {
                files.add(new FileReconstruction(fileHash, terms,
                        verified ? Optional.of(verification) : Optional.empty(), sha256));
            } catch (IllegalArgumentException e) {
                throw new ShardFormatException("file at offset " + at + ": " + e.getMessage(), e);
            }
        }
    }

    private static FileTerm readTerm(ShardInput r, MerkleHash fileHash, int i)
            throws IOException, ShardFormatException {
        long at = r.position();
        byte[] record = r.read(ShardLayout.ENTRY_SIZE, "data sequence entry");
        ByteBuffer b = ShardLayout.le(record);
        long start = Integer.toUnsignedLong(b.getInt(40));
        long end = Integer.toUnsignedLong(b.getInt(44));
        String where = "file " + fileHash + " term " + i + " at offset " + at + ": ";
        if (end > Integer.MAX_VALUE) {
            throw new ShardFormatException(where + "chunk index " + end + " is out of range");
        }
        try {
            return new FileTerm(ShardLayout.hashAt(record, 0), (int) start, (int) end,
                    Integer.toUnsignedLong(b.getInt(36)), b.getInt(32));
        } catch (IllegalArgumentException e) {
            throw new ShardFormatException(where + e.getMessage(), e);
        }
    }

    private static List<CasInfo> readCasInfoSection(ShardInput r) throws IOException, ShardFormatException {
        List<CasInfo> xorbs = new ArrayList<>();
        while (true) {
            long at = r.position();
            byte[] record = r.read(ShardLayout.ENTRY_SIZE, "CAS info header");
            if (ShardLayout.isAllOnes(record)) {
                requireZeroTail(record, "CAS info bookend", at);
                return xorbs;
            }
            MerkleHash xorbHash = ShardLayout.hashAt(record, 0);
            ByteBuffer b = ShardLayout.le(record);
            long count = Integer.toUnsignedLong(b.getInt(36));
            r.reserve(count * ShardLayout.ENTRY_SIZE, "xorb " + xorbHash + " with " + count + " chunks");
            List<CasChunk> chunks = new ArrayList<>((int) Math.min(count, 1024));
            for (int i = 0; i < count; i++) {
                long chunkAt = r.position();
                ByteBuffer c = ShardLayout.le(r.read(ShardLayout.ENTRY_SIZE, "CAS chunk entry"));
                byte[] hash = new byte[MerkleHash.LENGTH];
                c.get(0, hash);
                try {
                    chunks.add(new CasChunk(MerkleHash.fromBytes(hash), Integer.toUnsignedLong(c.getInt(32)),
                            Integer.toUnsignedLong(c.getInt(36)), c.getInt(40)));
                } catch (IllegalArgumentException e) {
                    throw new ShardFormatException("xorb " + xorbHash + " chunk " + i + " at offset " + chunkAt
                            + ": " + e.getMessage(), e);
                }
            }
            try {
                xorbs.add(new CasInfo(xorbHash, chunks, Integer.toUnsignedLong(b.getInt(40)),
                        Integer.toUnsignedLong(b.getInt(44)), b.getInt(32)));
            } catch (IllegalArgumentException e) {
                throw new ShardFormatException("CAS info block at offset " + at + ": " + e.getMessage(), e);
            }
        }
    }

    /** A bookend is 32 bytes of 0xFF then 16 zero bytes. */
    private static void requireZeroTail(byte[] record, String what, long at) throws ShardFormatException {
        for (int i = MerkleHash.LENGTH; i < record.length; i++) {
            if (record[i] != 0) {
                throw new ShardFormatException(what + " at offset " + at + " has non-zero bytes after its marker");
            }
        }
    }
}
