package dev.atrium.xet.xorb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.XetFormatException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class XorbFooterTest {
    private static final List<byte[]> CHUNKS = List.of(TestData.text(1000, 1), TestData.random(3000, 2),
            TestData.text(70_000, 3));

    /** The version 1 footer assembled field by field from xet-core's XorbObjectInfoV1 serializer layout. */
    static byte[] handV1(XorbIndex index) {
        int n = index.chunkCount();
        ByteBuffer b = ByteBuffer.allocate(92 + 40 * n + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put("XETBLOB".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put(index.hash().toBytes());
        b.put("XBLBHSH".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).putInt(n);
        index.chunks().forEach(c -> b.put(c.hash().toBytes()));
        b.put("XBLBBND".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).putInt(n);
        index.chunks().forEach(c -> b.putInt(c.serializedEnd()));
        index.chunks().forEach(c -> b.putInt(c.unpackedEnd()));
        b.putInt(n);
        b.putInt(7 + 1 + 4 + 32 * n + (7 + 1 + 4 + 8 * n + 12 + 16)); // hashes section to end of footer
        b.putInt(7 + 1 + 4 + 8 * n + 12 + 16); // boundary section to end of footer
        b.put(new byte[16]);
        b.putInt(92 + 40 * n);
        return b.array();
    }

    /** A legacy version 0 footer, field by field (xet-core XorbObjectInfoV0), with a nonce in its buffer. */
    static byte[] handV0(XorbIndex index) {
        int n = index.chunkCount();
        ByteBuffer b = ByteBuffer.allocate(60 + 36 * n + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put("XETBLOB".getBytes(StandardCharsets.US_ASCII)).put((byte) 0).put(index.hash().toBytes()).putInt(n);
        index.chunks().forEach(c -> b.putInt(c.serializedEnd()));
        index.chunks().forEach(c -> b.put(c.hash().toBytes()));
        b.put(new byte[] {1, 2, 3, 4}).put(new byte[12]);
        b.putInt(60 + 36 * n);
        return b.array();
    }

    private static XorbIndex index() {
        return XorbWriter.serialize(CHUNKS, CompressionScheme.LZ4, false).index();
    }

    @Test
    void serialize_matchesReferenceLayout() {
        XorbIndex index = index();
        byte[] footer = XorbFooter.serialize(index);
        assertArrayEquals(handV1(index), footer);
        assertEquals(XorbFooter.v1Length(3) + 4, footer.length);
    }

    @Test
    void serialize_noChunks_is92BytesLikeReferenceDefault() {
        // xet-core XORB_OBJECT_INFO_DEFAULT_LENGTH = 92 for an empty V1 info.
        assertEquals(92, XorbFooter.v1Length(0));
        assertEquals(60, XorbFooter.v0Length(0));
    }

    @Test
    void verify_ownAndLegacyFooters_accepted() throws XetFormatException {
        XorbIndex index = index();
        assertEquals(XorbFooter.Version.V1, XorbFooter.verify(XorbFooter.serialize(index), index));
        assertEquals(XorbFooter.Version.V0, XorbFooter.verify(handV0(index), index));
        byte[] withNonce = XorbFooter.serialize(index);
        withNonce[withNonce.length - 4 - 16] = 0x5A; // the uniqueness nonce is not part of anything checked
        withNonce[withNonce.length - 4 - 1] = 0x5A; // nor are the reserved bytes
        assertEquals(XorbFooter.Version.V1, XorbFooter.verify(withNonce, index));
    }

    @Test
    void verify_footerDescribingOtherChunks_rejected() {
        XorbIndex index = index();
        XorbIndex other = XorbWriter.serialize(CHUNKS.subList(0, 2), CompressionScheme.LZ4, false).index();
        XorbIndex reordered = XorbWriter.serialize(List.of(CHUNKS.get(1), CHUNKS.get(0), CHUNKS.get(2)),
                CompressionScheme.LZ4, false).index();
        assertEquals(Reason.BAD_FOOTER, assertThrows(XetFormatException.class,
                () -> XorbFooter.verify(XorbFooter.serialize(other), index)).reason());
        assertEquals(Reason.BAD_FOOTER, assertThrows(XetFormatException.class,
                () -> XorbFooter.verify(XorbFooter.serialize(reordered), index)).reason());
    }

    @Test
    void verify_anySingleFieldChanged_rejected() {
        XorbIndex index = index();
        byte[] good = XorbFooter.serialize(index);
        int n = index.chunkCount();
        // Every byte outside the nonce/reserved buffer is checked: flip each and expect a rejection.
        int bufferStart = good.length - 4 - 16;
        for (int i = 0; i < good.length; i++) {
            if (i >= bufferStart && i < bufferStart + 16) {
                continue;
            }
            byte[] bad = good.clone();
            bad[i] ^= 0x01;
            XetFormatException e = assertThrows(XetFormatException.class, () -> XorbFooter.verify(bad, index),
                    "byte " + i + " of " + good.length + " (n=" + n + ")");
            assertEquals(Reason.BAD_FOOTER, e.reason());
        }
    }

    @Test
    void verify_truncatedOrExtended_rejected() {
        XorbIndex index = index();
        byte[] good = XorbFooter.serialize(index);
        for (int length : new int[] {0, 8, 63, 64, good.length - 5, good.length - 1}) {
            byte[] cut = java.util.Arrays.copyOf(good, length);
            assertEquals(Reason.BAD_FOOTER,
                    assertThrows(XetFormatException.class, () -> XorbFooter.verify(cut, index)).reason());
        }
        byte[] extended = java.util.Arrays.copyOf(good, good.length + 4);
        assertEquals(Reason.BAD_FOOTER,
                assertThrows(XetFormatException.class, () -> XorbFooter.verify(extended, index)).reason());
    }

    @Test
    void parseIndex_ownFooter_restoresIndex() throws XetFormatException {
        XorbWriter.SerializedXorb xorb = XorbWriter.serialize(CHUNKS, CompressionScheme.LZ4, true);
        byte[] footer = java.util.Arrays.copyOfRange(xorb.bytes(), xorb.index().chunkSectionLength(),
                xorb.bytes().length);
        assertEquals(xorb.index(), XorbFooter.parseIndex(footer, xorb.bytes().length));
    }

    @Test
    void parseIndex_inconsistentStoredFooter_rejected() {
        XorbIndex index = index();
        long length = index.chunkSectionLength() + XorbFooter.v1Length(3) + 4;
        assertEquals(Reason.BAD_FOOTER, assertThrows(XetFormatException.class,
                () -> XorbFooter.parseIndex(handV0(index), index.chunkSectionLength() + handV0(index).length))
                .reason(), "version 0 has no uncompressed offsets");
        assertEquals(Reason.BAD_FOOTER, assertThrows(XetFormatException.class,
                () -> XorbFooter.parseIndex(XorbFooter.serialize(index), length + 1)).reason(), "wrong file length");
        byte[] wrongHash = XorbFooter.serialize(new XorbIndex(MerkleHash.ZERO, index.chunks()));
        assertEquals(Reason.HASH_MISMATCH, assertThrows(XetFormatException.class,
                () -> XorbFooter.parseIndex(wrongHash, length)).reason());
        byte[] empty = XorbFooter.serialize(new XorbIndex(MerkleHash.ZERO, List.of()));
        assertEquals(Reason.EMPTY, assertThrows(XetFormatException.class,
                () -> XorbFooter.parseIndex(empty, empty.length)).reason());
    }
}
