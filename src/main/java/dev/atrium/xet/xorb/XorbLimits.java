package dev.atrium.xet.xorb;

/**
 * What a reader accepts from a client. The defaults admit everything the reference clients produce and bound what
 * one upload can cost the server.
 *
 * @param maxSerializedBytes the upload's length, chunks plus any footer
 * @param maxUnpackedBytes the chunks' total uncompressed size
 * @param maxChunks the number of chunks
 */
public record XorbLimits(long maxSerializedBytes, long maxUnpackedBytes, int maxChunks) {
    /** xorb.md's 64 MiB. The reference client cuts a xorb when its uncompressed chunks would pass this. */
    public static final long MAX_XORB_BYTES = 64L * 1024 * 1024;

    /**
     * The defaults. Uncompressed content is held to 64 MiB, the reference client's cut point. The serialized upload may
     * exceed 64 MiB by 1 MiB: a client caps uncompressed bytes, so 64 MiB of incompressible chunks arrives with 8 header
     * bytes per chunk (64 KiB for 8,192 chunks) and, from older clients, a footer (40 bytes per chunk, 320 KiB).
     * Chunks are capped at 65,536: eight times the 8,192 at which both reference clients cut a xorb, so no real
     * upload comes near it, while 64 MiB of one-byte chunks (7 million) would cost the server gigabytes of metadata.
     */
    public static final XorbLimits DEFAULT = new XorbLimits(MAX_XORB_BYTES + 1024 * 1024, MAX_XORB_BYTES, 65_536);

    public XorbLimits {
        if (maxSerializedBytes <= 0 || maxUnpackedBytes <= 0 || maxChunks <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (maxSerializedBytes > Integer.MAX_VALUE || maxUnpackedBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("offsets in a xorb are 32-bit");
        }
    }
}
