package dev.atrium.xet.shard;

import static dev.atrium.xet.shard.ShardFixtures.hash;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class XorbInfoTest {
    private static final CasInfo CAS = CasInfo.of(hash(1), List.of(hash(2), hash(3), hash(4)),
            List.of(100L, 200L, 300L), 0);

    @Test
    void of_placesChunkRecordsBackToBack() {
        XorbInfo xorb = XorbInfo.of(CAS, List.of(58L, 108L, 20L), 200);
        assertEquals(new XorbChunk(hash(3), 100, 200, 58, 108), xorb.chunks().get(1));
        assertEquals(0, xorb.packedStart(0));
        assertEquals(166, xorb.packedStart(2));
        assertEquals(58, xorb.packedEnd(1));
        assertEquals(186, xorb.packedEnd(3));
        assertEquals(500, xorb.unpackedLength(1, 3));
        assertEquals(600, xorb.unpackedLength(0, 3));
    }

    @Test
    void toCasInfo_givesTheShardDescriptionBack_withTheSerializedLength() {
        XorbInfo xorb = XorbInfo.of(CAS, List.of(58L, 108L, 20L), 200);
        assertEquals(new CasInfo(CAS.xorbHash(), CAS.chunks(), 600, 200, 0), xorb.toCasInfo());
    }

    @Test
    void rejectsInconsistentLayouts() {
        assertThrows(IllegalArgumentException.class, () -> XorbInfo.of(CAS, List.of(58L, 108L), 200));
        assertThrows(IllegalArgumentException.class, () -> XorbInfo.of(CAS, List.of(58L, 108L, 20L), 185));
        assertThrows(IllegalArgumentException.class, () -> new XorbInfo(hash(1), List.of(), 0));
        assertThrows(IllegalArgumentException.class, () -> new XorbInfo(hash(1),
                List.of(new XorbChunk(hash(2), 0, 10, 0, 18), new XorbChunk(hash(3), 10, 10, 19, 18)), 100));
        assertThrows(IllegalArgumentException.class, () -> new XorbInfo(hash(1),
                List.of(new XorbChunk(hash(2), 0, 10, 0, 18), new XorbChunk(hash(3), 11, 10, 18, 18)), 100));
        assertThrows(IllegalArgumentException.class, () -> new XorbInfo(hash(1),
                List.of(new XorbChunk(hash(2), 0, 10, 4, 18)), 100));
        XorbInfo xorb = XorbInfo.of(CAS, List.of(58L, 108L, 20L), 200);
        assertThrows(IllegalArgumentException.class, () -> xorb.unpackedLength(2, 4));
        assertThrows(IllegalArgumentException.class, () -> xorb.unpackedLength(1, 1));
    }
}
