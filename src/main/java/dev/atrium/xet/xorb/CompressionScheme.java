package dev.atrium.xet.xorb;

import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.XetFormatException.Reason;

/** How a chunk's payload is stored in a xorb (xorb.md, "Chunk Compression Schemes"); the number is on the wire. */
public enum CompressionScheme {
    /** The payload is the chunk's bytes. */
    NONE(0),
    /** The payload is one LZ4 frame (the frame format, not a bare LZ4 block) of the chunk's bytes. */
    LZ4(1),
    /** The chunk's bytes are regrouped by position mod 4 ({@link ByteGrouping4}), then stored as one LZ4 frame. */
    BYTE_GROUPING_4_LZ4(2);

    private final int code;

    CompressionScheme(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static CompressionScheme fromCode(int code) throws XetFormatException {
        for (CompressionScheme scheme : values()) {
            if (scheme.code == code) {
                return scheme;
            }
        }
        throw new XetFormatException(Reason.UNKNOWN_COMPRESSION, "unknown chunk compression scheme " + code);
    }
}
