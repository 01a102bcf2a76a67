package dev.atrium.xet.xorb;

import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.XetFormatException.Reason;

/**
 * The 8-byte header before every chunk payload in a xorb (xorb.md, "Chunk Header Structure"):
 * version (1 byte, 0), compressed size (3 bytes little-endian), compression scheme (1 byte), uncompressed size
 * (3 bytes little-endian).
 *
 * @param compressedSize the payload's length in the xorb
 * @param scheme how the payload encodes the chunk
 * @param uncompressedSize the chunk's length once decoded
 */
public record ChunkHeader(int compressedSize, CompressionScheme scheme, int uncompressedSize) {
    public static final int LENGTH = 8;
    public static final int VERSION = 0;
    /** A chunk is at most 128 KiB (the chunker's maximum); the reference rejects larger headers outright. */
    public static final int MAX_UNCOMPRESSED_SIZE = 128 * 1024;
    /**
     * The reference reader's bound on a payload: twice the chunk maximum. Writers store a chunk uncompressed when
     * compression does not shrink it, but the format tolerates a somewhat larger LZ4 frame.
     */
    public static final int MAX_COMPRESSED_SIZE = 2 * MAX_UNCOMPRESSED_SIZE;

    public ChunkHeader {
        if (compressedSize < 0 || compressedSize > MAX_COMPRESSED_SIZE || uncompressedSize < 0
                || uncompressedSize > MAX_UNCOMPRESSED_SIZE) {
            throw new IllegalArgumentException("chunk sizes out of range: " + compressedSize + "/" + uncompressedSize);
        }
        if (scheme == CompressionScheme.NONE && compressedSize != uncompressedSize) {
            throw new IllegalArgumentException("an uncompressed chunk's two sizes must be equal");
        }
    }

    /** The header and payload together: the chunk's length in the serialized xorb. */
    public int serializedLength() {
        return LENGTH + compressedSize;
    }

    /** Parses and validates the 8 header bytes at {@code offset}. */
    public static ChunkHeader parse(byte[] bytes, int offset) throws XetFormatException {
        int version = bytes[offset] & 0xFF;
        if (version != VERSION) {
            throw new XetFormatException(Reason.BAD_HEADER, "chunk header version " + version + ", expected 0");
        }
        int compressed = u24(bytes, offset + 1);
        CompressionScheme scheme = CompressionScheme.fromCode(bytes[offset + 4] & 0xFF);
        int uncompressed = u24(bytes, offset + 5);
        if (uncompressed > MAX_UNCOMPRESSED_SIZE) {
            throw new XetFormatException(Reason.CHUNK_TOO_LARGE,
                    "chunk of " + uncompressed + " bytes, over the 128 KiB maximum");
        }
        if (compressed > MAX_COMPRESSED_SIZE) {
            throw new XetFormatException(Reason.CHUNK_TOO_LARGE,
                    "chunk payload of " + compressed + " bytes, over the 256 KiB maximum");
        }
        if (scheme == CompressionScheme.NONE && compressed != uncompressed) {
            throw new XetFormatException(Reason.SIZE_MISMATCH, "uncompressed chunk declares payload size "
                    + compressed + " but chunk size " + uncompressed);
        }
        return new ChunkHeader(compressed, scheme, uncompressed);
    }

    public void writeTo(byte[] bytes, int offset) {
        bytes[offset] = VERSION;
        putU24(bytes, offset + 1, compressedSize);
        bytes[offset + 4] = (byte) scheme.code();
        putU24(bytes, offset + 5, uncompressedSize);
    }

    public byte[] toBytes() {
        byte[] bytes = new byte[LENGTH];
        writeTo(bytes, 0);
        return bytes;
    }

    private static int u24(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16;
    }

    private static void putU24(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
    }
}
