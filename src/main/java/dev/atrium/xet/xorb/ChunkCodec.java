package dev.atrium.xet.xorb;

import dev.atrium.xet.XetFormatException;
import java.util.Arrays;

/** Turns chunk bytes into a chunk payload and back, per compression scheme. */
public final class ChunkCodec {
    private ChunkCodec() {}

    /** A chunk ready for a xorb: its header and its payload. */
    public record EncodedChunk(ChunkHeader header, byte[] payload) {}

    /**
     * Decodes the payload {@code src[offset, offset + header.compressedSize())} to the chunk's bytes, checking that
     * it decodes to exactly the declared size.
     */
    public static byte[] decode(ChunkHeader header, byte[] src, int offset) throws XetFormatException {
        return switch (header.scheme()) {
            case NONE -> Arrays.copyOfRange(src, offset, offset + header.compressedSize());
            case LZ4 -> Lz4Frame.decode(src, offset, header.compressedSize(), header.uncompressedSize());
            case BYTE_GROUPING_4_LZ4 -> ByteGrouping4.regroup(
                    Lz4Frame.decode(src, offset, header.compressedSize(), header.uncompressedSize()));
        };
    }

    /**
     * Like {@link #decode} for a payload at the start of {@code src}, except that an uncompressed payload is not
     * copied: {@code src} itself comes back. The chunk is the first {@code header.uncompressedSize()} bytes of the
     * array returned, which the caller must not keep beyond its next use of {@code src}.
     */
    public static byte[] decodeInPlace(ChunkHeader header, byte[] src) throws XetFormatException {
        return header.scheme() == CompressionScheme.NONE ? src : decode(header, src, 0);
    }

    /**
     * Encodes a chunk with {@code scheme}, falling back to storing it uncompressed when compression does not make it
     * smaller (as xorb.md recommends and the reference does).
     */
    public static EncodedChunk encode(byte[] chunk, CompressionScheme scheme) {
        checkSize(chunk);
        byte[] payload = switch (scheme) {
            case NONE -> chunk;
            case LZ4 -> Lz4Frame.encode(chunk);
            case BYTE_GROUPING_4_LZ4 -> Lz4Frame.encode(ByteGrouping4.split(chunk));
        };
        if (scheme != CompressionScheme.NONE && payload.length >= chunk.length) {
            return stored(chunk);
        }
        return new EncodedChunk(new ChunkHeader(payload.length, scheme, chunk.length), payload.clone());
    }

    /** Encodes a chunk with whichever scheme gives the smallest payload (xorb.md's "brute force" strategy). */
    public static EncodedChunk encodeSmallest(byte[] chunk) {
        EncodedChunk best = encode(chunk, CompressionScheme.LZ4);
        EncodedChunk grouped = encode(chunk, CompressionScheme.BYTE_GROUPING_4_LZ4);
        return grouped.payload().length < best.payload().length ? grouped : best;
    }

    private static EncodedChunk stored(byte[] chunk) {
        return new EncodedChunk(new ChunkHeader(chunk.length, CompressionScheme.NONE, chunk.length), chunk.clone());
    }

    private static void checkSize(byte[] chunk) {
        if (chunk.length > ChunkHeader.MAX_UNCOMPRESSED_SIZE) {
            throw new IllegalArgumentException("a chunk is at most 128 KiB, got " + chunk.length);
        }
    }
}
