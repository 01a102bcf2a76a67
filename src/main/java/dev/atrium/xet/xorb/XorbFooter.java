package dev.atrium.xet.xorb;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.XetFormatException.Reason;
import dev.atrium.xet.hash.HashedChunk;
import dev.atrium.xet.hash.XetHashes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * The metadata footer ({@code XorbObjectInfo}) after a xorb's chunks, and the 4-byte little-endian length of it that
 * ends the xorb (xorb.md, "Xorb Footer"). xorb.md gives only the fixed tail; the full layout is the reference's
 * (xet-core {@code xorb_object_format.rs}). Current clients upload xorbs <em>without</em> a footer and the server
 * adds one; older ones sent it, in version 1 or the legacy version 0.
 *
 * <pre>
 * version 1 (n chunks, all integers u32 little-endian, hashes raw 32 bytes), 92 + 40n bytes:
 *   "XETBLOB" 01 xorb_hash
 *   "XBLBHSH" 00 n chunk_hash[n]
 *   "XBLBBND" 01 n chunk_end_offset[n] unpacked_chunk_end_offset[n]
 *   n hashes_section_offset_from_end boundary_section_offset_from_end nonce/reserved[16]
 * version 0, 60 + 36n bytes:
 *   "XETBLOB" 00 xorb_hash n chunk_end_offset[n] chunk_hash[n] reserved[16]
 * then: info_length (the footer's length, not counting itself)
 * </pre>
 * The offsets "from end" count from the end of the footer (before info_length) back to each section's ident. The
 * 16-byte buffer carries an upload nonce that is not part of the xorb hash; readers ignore it.
 */
public final class XorbFooter {
    /** The footer's opening ident; a chunk header can never start with it, since a header starts with byte 0. */
    static final byte[] IDENT = "XETBLOB".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IDENT_HASHES = "XBLBHSH".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] IDENT_BOUNDARIES = "XBLBBND".getBytes(StandardCharsets.US_ASCII);
    private static final int BUFFER_LENGTH = 16;

    /** The footer versions in circulation. */
    public enum Version { V0, V1 }

    /** The footer's fields, before they are checked against anything. */
    private record Fields(Version version, MerkleHash xorbHash, List<MerkleHash> chunkHashes, int[] chunkEnds,
            int @Nullable [] unpackedEnds) {}

    private XorbFooter() {}

    /** The length of a version 1 footer for {@code chunks} chunks, without the trailing length. */
    public static long v1Length(int chunks) {
        return 92L + 40L * chunks;
    }

    /** The length of a version 0 footer for {@code chunks} chunks, without the trailing length. */
    public static long v0Length(int chunks) {
        return 60L + 36L * chunks;
    }

    /** Serializes the version 1 footer for {@code index}, followed by its length: what the server appends. */
    public static byte[] serialize(XorbIndex index) {
        int n = index.chunkCount();
        int infoLength = (int) v1Length(n);
        Writer w = new Writer(new byte[infoLength + 4]);
        w.bytes(IDENT).u8(1).hash(index.hash());
        w.bytes(IDENT_HASHES).u8(0).u32(n);
        index.chunks().forEach(c -> w.hash(c.hash()));
        w.bytes(IDENT_BOUNDARIES).u8(1).u32(n);
        index.chunks().forEach(c -> w.u32(c.serializedEnd()));
        index.chunks().forEach(c -> w.u32(c.unpackedEnd()));
        int boundaryFromEnd = 40 + 8 * n;
        w.u32(n).u32(boundaryFromEnd + 12 + 32 * n).u32(boundaryFromEnd);
        w.pos += BUFFER_LENGTH; // the nonce and reserved bytes stay zero
        w.u32(infoLength);
        return w.out;
    }

    /**
     * Checks a footer that came with an upload against the chunks that preceded it: every field must describe
     * exactly those chunks. {@code footer} runs from the ident to the end of the upload, length included.
     */
    static Version verify(byte[] footer, XorbIndex computed) throws XetFormatException {
        Fields f = parse(footer);
        int n = computed.chunkCount();
        if (f.chunkHashes.size() != n) {
            throw bad("footer lists " + f.chunkHashes.size() + " chunks, the xorb has " + n);
        }
        if (!f.xorbHash.equals(computed.hash())) {
            throw bad("footer xorb hash " + f.xorbHash + " is not the hash of the chunks, " + computed.hash());
        }
        for (int i = 0; i < n; i++) {
            XorbChunk chunk = computed.chunk(i);
            if (!f.chunkHashes.get(i).equals(chunk.hash()) || f.chunkEnds[i] != chunk.serializedEnd()
                    || (f.unpackedEnds != null && f.unpackedEnds[i] != chunk.unpackedEnd())) {
                throw bad("footer entry for chunk " + i + " does not match the chunk");
            }
        }
        return f.version;
    }

    /**
     * Reads the index of a stored xorb from its version 1 footer, without its chunks: {@code footer} is the tail of
     * the xorb from the footer's ident to the end, and {@code xorbLength} the xorb's whole length. The footer is
     * checked for internal consistency, and its chunk hashes must hash to the xorb hash it records.
     */
    public static XorbIndex parseIndex(byte[] footer, long xorbLength) throws XetFormatException {
        Fields f = parse(footer);
        if (f.version != Version.V1) {
            throw bad("a version 0 footer has no uncompressed offsets; read the xorb's chunks instead");
        }
        int n = f.chunkHashes.size();
        if (n == 0) {
            throw new XetFormatException(Reason.EMPTY, "xorb footer lists no chunks");
        }
        List<XorbChunk> chunks = new ArrayList<>(n);
        List<HashedChunk> leaves = new ArrayList<>(n);
        long serialized = 0;
        long unpacked = 0;
        for (int i = 0; i < n; i++) {
            long end = Integer.toUnsignedLong(f.chunkEnds[i]);
            long unpackedEnd = Integer.toUnsignedLong(f.unpackedEnds[i]);
            if (end - serialized < ChunkHeader.LENGTH || end - serialized > ChunkHeader.LENGTH
                    + ChunkHeader.MAX_COMPRESSED_SIZE || unpackedEnd < unpacked
                    || unpackedEnd - unpacked > ChunkHeader.MAX_UNCOMPRESSED_SIZE) {
                throw bad("footer offsets for chunk " + i + " are not a valid chunk");
            }
            chunks.add(new XorbChunk(f.chunkHashes.get(i), (int) serialized, (int) end, (int) unpacked,
                    (int) unpackedEnd));
            leaves.add(new HashedChunk(f.chunkHashes.get(i), unpackedEnd - unpacked));
            serialized = end;
            unpacked = unpackedEnd;
        }
        if (serialized + footer.length != xorbLength) {
            throw bad("footer says the chunks end at " + serialized + ", but the footer starts at "
                    + (xorbLength - footer.length));
        }
        if (!XetHashes.xorbHash(leaves).equals(f.xorbHash)) {
            throw new XetFormatException(Reason.HASH_MISMATCH, "footer chunk hashes do not hash to its xorb hash");
        }
        return new XorbIndex(f.xorbHash, chunks);
    }

    private static Fields parse(byte[] footer) throws XetFormatException {
        Reader r = new Reader(footer);
        // The smallest footer (version 0, no chunks) is 60 bytes plus the length; the count check below then ties
        // the length to the layout, so no later read can run past the end.
        if (footer.length < v0Length(0) + 4 || Integer.toUnsignedLong(r.u32At(footer.length - 4)) != footer.length - 4L) {
            throw bad("footer length field does not match the footer");
        }
        r.ident(IDENT);
        int version = r.u8();
        MerkleHash xorbHash = r.hash();
        if (version == 0) {
            int n = r.count(footer.length - 4, XorbFooter::v0Length);
            int[] ends = r.u32s(n);
            return new Fields(Version.V0, xorbHash, r.hashes(n), ends, null);
        }
        if (version != 1) {
            throw bad("unknown footer version " + version);
        }
        r.ident(IDENT_HASHES);
        r.version(0);
        int n = r.count(footer.length - 4, XorbFooter::v1Length);
        List<MerkleHash> hashes = r.hashes(n);
        r.ident(IDENT_BOUNDARIES);
        r.version(1);
        r.sameCount(n);
        int[] ends = r.u32s(n);
        int[] unpacked = r.u32s(n);
        r.sameCount(n);
        if (r.u32() != 52 + 40 * n || r.u32() != 40 + 8 * n) {
            throw bad("footer section offsets do not match its layout");
        }
        return new Fields(Version.V1, xorbHash, hashes, ends, unpacked);
    }

    private static XetFormatException bad(String message) {
        return new XetFormatException(Reason.BAD_FOOTER, message);
    }

    /** Sequential little-endian reads over a footer whose total length was already checked. */
    private static final class Reader {
        private final byte[] in;
        private int pos;

        Reader(byte[] in) {
            this.in = in;
        }

        void ident(byte[] expected) throws XetFormatException {
            if (!Arrays.equals(in, pos, pos + expected.length, expected, 0, expected.length)) {
                throw bad("footer section ident is not " + new String(expected, StandardCharsets.US_ASCII));
            }
            pos += expected.length;
        }

        void version(int expected) throws XetFormatException {
            int actual = u8();
            if (actual != expected) {
                throw bad("footer section version " + actual + ", expected " + expected);
            }
        }

        /** Reads a chunk count and checks that a footer of that many chunks has exactly this length. */
        int count(int infoLength, IntToLongFunction lengthFor) throws XetFormatException {
            long n = Integer.toUnsignedLong(u32());
            if (n > Integer.MAX_VALUE || lengthFor.applyAsLong((int) n) != infoLength) {
                throw bad("footer chunk count " + n + " does not fit its length " + infoLength);
            }
            return (int) n;
        }

        void sameCount(int n) throws XetFormatException {
            if (u32() != n) {
                throw bad("footer sections disagree on the chunk count");
            }
        }

        int u8() {
            return in[pos++] & 0xFF;
        }

        int u32() {
            int v = u32At(pos);
            pos += 4;
            return v;
        }

        int u32At(int at) {
            return (in[at] & 0xFF) | (in[at + 1] & 0xFF) << 8 | (in[at + 2] & 0xFF) << 16 | (in[at + 3] & 0xFF) << 24;
        }

        int[] u32s(int n) {
            int[] values = new int[n];
            for (int i = 0; i < n; i++) {
                values[i] = u32();
            }
            return values;
        }

        MerkleHash hash() {
            MerkleHash h = MerkleHash.fromBytes(in, pos);
            pos += MerkleHash.LENGTH;
            return h;
        }

        List<MerkleHash> hashes(int n) {
            List<MerkleHash> hashes = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                hashes.add(hash());
            }
            return hashes;
        }
    }

    /** Sequential little-endian writes into a buffer of the exact size. */
    private static final class Writer {
        final byte[] out;
        int pos;

        Writer(byte[] out) {
            this.out = out;
        }

        Writer bytes(byte[] b) {
            System.arraycopy(b, 0, out, pos, b.length);
            pos += b.length;
            return this;
        }

        Writer u8(int v) {
            out[pos++] = (byte) v;
            return this;
        }

        Writer u32(int v) {
            for (int i = 0; i < 4; i++) {
                out[pos++] = (byte) (v >>> (8 * i));
            }
            return this;
        }

        Writer hash(MerkleHash h) {
            h.writeTo(out, pos);
            pos += MerkleHash.LENGTH;
            return this;
        }
    }
}
