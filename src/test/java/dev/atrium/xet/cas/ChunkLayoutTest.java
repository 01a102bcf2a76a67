package dev.atrium.xet.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.hash.XetHashes;
import dev.atrium.xet.shard.XorbChunk;
import dev.atrium.xet.shard.XorbInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkLayoutTest {
    private static final MerkleHash XORB = XetHashes.chunkHash(new byte[] {9});

    /** Chunks of varying sizes, compressed and not, the last one as large as a chunk may be uncompressed. */
    private static XorbInfo xorb() {
        long[][] sizes = {{65_536, 65_544}, {8_000, 3_008}, {131_072, 131_080}, {1, 9}};
        List<XorbChunk> chunks = new ArrayList<>();
        long unpacked = 0;
        long packed = 0;
        for (int i = 0; i < sizes.length; i++) {
            chunks.add(new XorbChunk(XetHashes.chunkHash(new byte[] {(byte) i}), unpacked, sizes[i][0], packed,
                    sizes[i][1]));
            unpacked += sizes[i][0];
            packed += sizes[i][1];
        }
        return new XorbInfo(XORB, chunks, packed + 1_000);
    }

    @Test
    void decode_ofEncode_isTheSameXorb() {
        XorbInfo xorb = xorb();
        byte[] layout = ChunkLayout.encode(xorb);
        assertEquals(5 + 40 * 4, layout.length, "40 bytes a chunk after a 5-byte header");
        assertEquals(xorb, ChunkLayout.decode(XORB, layout, xorb.serializedLength()));
    }

    @Test
    void decode_truncatedOrOfAnotherVersion_refused() {
        byte[] layout = ChunkLayout.encode(xorb());
        assertThrows(IllegalArgumentException.class,
                () -> ChunkLayout.decode(XORB, Arrays.copyOf(layout, layout.length - 1), 1 << 20));
        assertThrows(IllegalArgumentException.class, () -> ChunkLayout.decode(XORB, new byte[0], 1 << 20));
        byte[] future = layout.clone();
        future[0] = 2;
        assertThrows(IllegalArgumentException.class, () -> ChunkLayout.decode(XORB, future, 1 << 20));
    }

    @Test
    void decode_chunksPastTheSerializedLength_refused() {
        XorbInfo xorb = xorb();
        assertThrows(IllegalArgumentException.class,
                () -> ChunkLayout.decode(XORB, ChunkLayout.encode(xorb), xorb.packedEnd(4) - 1));
    }
}
