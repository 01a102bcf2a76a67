package dev.atrium.xet.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.shard.XorbChunk;
import dev.atrium.xet.shard.XorbInfo;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which chunks of a term a range read decompresses. */
class ChunkSpanTest {
    /** Ten chunks of 100 bytes each (1,000 bytes), records of 60 bytes. */
    private static final XorbInfo XORB;

    static {
        List<XorbChunk> chunks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            chunks.add(new XorbChunk(new MerkleHash(i + 1, 0, 0, 0), i * 100L, 100, i * 60L, 60));
        }
        XORB = new XorbInfo(new MerkleHash(99, 0, 0, 0), chunks, 600);
    }

    @Test
    void theWholeTerm_isEveryChunkOfIt() throws Exception {
        assertEquals(new XetContent.ChunkSpan(2, 7, 0), XetContent.ChunkSpan.of(XORB, 2, 7, 0, 500));
    }

    @Test
    void aRange_isTheChunksItTouches_andTheBytesToSkipInTheFirst() throws Exception {
        // Term = chunks 2..6 (xorb bytes 200..700); term bytes 150..260 are xorb bytes 350..460: chunks 3 and 4.
        assertEquals(new XetContent.ChunkSpan(3, 5, 50), XetContent.ChunkSpan.of(XORB, 2, 7, 150, 110));
        // A header: the first 8 bytes of the term.
        assertEquals(new XetContent.ChunkSpan(2, 3, 0), XetContent.ChunkSpan.of(XORB, 2, 7, 0, 8));
        // Exactly one chunk, on its boundaries.
        assertEquals(new XetContent.ChunkSpan(4, 5, 0), XetContent.ChunkSpan.of(XORB, 2, 7, 200, 100));
        // The last byte of the term.
        assertEquals(new XetContent.ChunkSpan(6, 7, 99), XetContent.ChunkSpan.of(XORB, 2, 7, 499, 1));
    }

    @Test
    void aTermBeyondTheXorb_isAnError_notAnIndexOutOfBounds() {
        org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> XetContent.ChunkSpan.of(XORB, 8, 12, 0, 10));
    }
}
