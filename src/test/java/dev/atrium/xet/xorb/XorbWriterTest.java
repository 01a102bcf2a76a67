package dev.atrium.xet.xorb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.XetFormatException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class XorbWriterTest {

    private static int schemeOf(byte[] xorb, XorbChunk chunk) {
        return xorb[chunk.serializedStart() + 4];
    }

    @Test
    void add_compressionNotSmaller_storedUncompressed() {
        byte[] random = TestData.random(50_000, 1);
        byte[] text = TestData.text(50_000, 1);
        XorbWriter.SerializedXorb xorb = XorbWriter.serialize(List.of(random, text), CompressionScheme.LZ4, false);
        assertEquals(CompressionScheme.NONE.code(), schemeOf(xorb.bytes(), xorb.index().chunk(0)));
        assertEquals(CompressionScheme.LZ4.code(), schemeOf(xorb.bytes(), xorb.index().chunk(1)));
        assertTrue(xorb.index().chunk(1).serializedLength() < text.length / 2);
    }

    @Test
    void add_smallest_picksByteGroupingForFloats() {
        byte[] floats = TestData.floats(100_000, 2);
        XorbWriter.SerializedXorb xorb = XorbWriter.serialize(List.of(floats), null, false);
        int lz4Only = XorbWriter.serialize(List.of(floats), CompressionScheme.LZ4, false).bytes().length;
        assertTrue(xorb.bytes().length <= lz4Only);
        assertEquals(CompressionScheme.BYTE_GROUPING_4_LZ4.code(), schemeOf(xorb.bytes(), xorb.index().chunk(0)));
    }

    @Test
    void add_chunkOver128KiB_rejected() {
        XorbWriter writer = new XorbWriter(OutputStream.nullOutputStream(), CompressionScheme.NONE);
        assertThrows(IllegalArgumentException.class, () -> writer.add(new byte[128 * 1024 + 1]));
    }

    @Test
    void fits_capsAt8192ChunksAnd64MiB() throws Exception {
        XorbWriter writer = new XorbWriter(OutputStream.nullOutputStream(), CompressionScheme.NONE);
        for (int i = 0; i < XorbWriter.MAX_CHUNKS; i++) {
            writer.add(new byte[] {(byte) i});
        }
        assertFalse(writer.fits(1));
        assertThrows(IllegalStateException.class, () -> writer.add(new byte[1]));
        XorbWriter big = new XorbWriter(OutputStream.nullOutputStream(), CompressionScheme.NONE);
        byte[] max = new byte[128 * 1024];
        for (int i = 0; i < 512; i++) {
            big.add(max);
        }
        assertFalse(big.fits(1), "64 MiB of chunk data is the limit");
        assertTrue(new XorbWriter(OutputStream.nullOutputStream(), null).fits(128 * 1024));
    }

    @Test
    void finish_emptyOrTwice_rejected() throws Exception {
        assertThrows(IllegalStateException.class,
                () -> new XorbWriter(OutputStream.nullOutputStream(), null).finish(true));
        XorbWriter writer = new XorbWriter(OutputStream.nullOutputStream(), null);
        writer.add(new byte[] {1});
        writer.finish(false);
        assertThrows(IllegalStateException.class, () -> writer.finish(false));
        assertThrows(IllegalStateException.class, () -> writer.add(new byte[] {2}));
    }

    @Test
    void addEncoded_repacksChunksFromAnotherXorb() throws Exception {
        List<byte[]> chunks = List.of(TestData.text(30_000, 1), TestData.floats(30_000, 2), TestData.random(300, 3));
        XorbWriter.SerializedXorb source = XorbWriter.serialize(chunks, null, true);
        ByteArrayOutputStream repacked = new ByteArrayOutputStream();
        XorbWriter writer = new XorbWriter(repacked, CompressionScheme.NONE);
        for (int i = chunks.size() - 1; i >= 0; i--) { // reversed: a different xorb from the same chunks
            XorbChunk chunk = source.index().chunk(i);
            ChunkHeader header = ChunkHeader.parse(source.bytes(), chunk.serializedStart());
            byte[] payload = java.util.Arrays.copyOfRange(source.bytes(), chunk.serializedStart() + 8,
                    chunk.serializedEnd());
            writer.addEncoded(header, payload);
        }
        XorbIndex index = writer.finish(true);
        XorbReader.ParsedXorb parsed = new XorbReader().read(new ByteArrayInputStream(repacked.toByteArray()), null);
        assertEquals(index, parsed.index());
        assertEquals(source.index().chunk(2).hash(), index.chunk(0).hash());
        assertArrayEquals(chunks.get(0), StoredXorb.uncompressedRange(repacked.toByteArray(), index, 2, 3));
        XorbWriter broken = new XorbWriter(OutputStream.nullOutputStream(), null);
        assertEquals(Reason.BAD_COMPRESSED_DATA, assertThrows(XetFormatException.class,
                () -> broken.addEncoded(new ChunkHeader(10, CompressionScheme.LZ4, 100), new byte[10])).reason());
    }
}
