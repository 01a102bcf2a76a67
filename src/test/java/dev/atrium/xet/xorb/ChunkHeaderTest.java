package dev.atrium.xet.xorb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.XetFormatException.Reason;
import org.junit.jupiter.api.Test;

class ChunkHeaderTest {

    private static Reason failure(int... bytes) {
        byte[] header = new byte[8];
        for (int i = 0; i < 8; i++) {
            header[i] = (byte) bytes[i];
        }
        return assertThrows(XetFormatException.class, () -> ChunkHeader.parse(header, 0)).reason();
    }

    @Test
    void toBytes_layout_isVersionSizeSchemeSizeLittleEndian() {
        // xorb.md "Chunk Header Layout": version, 3-byte compressed size, scheme, 3-byte uncompressed size.
        ChunkHeader header = new ChunkHeader(66051, CompressionScheme.LZ4, 131072);
        assertArrayEquals(new byte[] {0, 0x03, 0x02, 0x01, 1, 0x00, 0x00, 0x02}, header.toBytes());
        assertEquals(8 + 66051, header.serializedLength());
    }

    @Test
    void parse_written_roundTrips() throws XetFormatException {
        for (ChunkHeader header : new ChunkHeader[] {
            new ChunkHeader(5, CompressionScheme.NONE, 5),
            new ChunkHeader(0, CompressionScheme.NONE, 0),
            new ChunkHeader(1234, CompressionScheme.BYTE_GROUPING_4_LZ4, 131072),
            new ChunkHeader(ChunkHeader.MAX_COMPRESSED_SIZE, CompressionScheme.LZ4, 131072)}) {
            assertEquals(header, ChunkHeader.parse(header.toBytes(), 0));
        }
    }

    @Test
    void parse_malformed_rejectedWithReason() {
        assertEquals(Reason.BAD_HEADER, failure(1, 5, 0, 0, 0, 5, 0, 0), "version 1");
        assertEquals(Reason.BAD_HEADER, failure(0xFF, 5, 0, 0, 0, 5, 0, 0), "version 255");
        assertEquals(Reason.UNKNOWN_COMPRESSION, failure(0, 5, 0, 0, 3, 5, 0, 0), "scheme 3");
        assertEquals(Reason.UNKNOWN_COMPRESSION, failure(0, 5, 0, 0, 99, 5, 0, 0), "scheme 99 (the reference's Auto)");
        assertEquals(Reason.CHUNK_TOO_LARGE, failure(0, 1, 0, 0, 1, 0x01, 0x00, 0x02), "131073 bytes uncompressed");
        assertEquals(Reason.CHUNK_TOO_LARGE, failure(0, 0x01, 0x00, 0x04, 1, 0, 0, 0x02), "262145 bytes payload");
        assertEquals(Reason.CHUNK_TOO_LARGE, failure(0, 0xFF, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0xFF), "16 MiB");
        assertEquals(Reason.SIZE_MISMATCH, failure(0, 5, 0, 0, 0, 6, 0, 0), "uncompressed, sizes differ");
    }

    @Test
    void fromCode_knownSchemes() throws XetFormatException {
        assertEquals(CompressionScheme.NONE, CompressionScheme.fromCode(0));
        assertEquals(CompressionScheme.LZ4, CompressionScheme.fromCode(1));
        assertEquals(CompressionScheme.BYTE_GROUPING_4_LZ4, CompressionScheme.fromCode(2));
    }
}
