package dev.atrium.xet.xorb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.XetFormatException.Reason;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import net.jpountz.lz4.LZ4FrameInputStream;
import org.junit.jupiter.api.Test;

class Lz4FrameTest {
    private static final byte[] TEXT = TestData.text(128 * 1024, 5);

    private static byte[] decode(byte[] frame, int expected) throws XetFormatException {
        return Lz4Frame.decode(frame, 0, frame.length, expected);
    }

    private static Reason failure(byte[] frame, int expected) {
        return assertThrows(XetFormatException.class, () -> decode(frame, expected)).reason();
    }

    @Test
    void encode_thenDecode_roundTrips() throws Exception {
        for (byte[] data : new byte[][] {new byte[0], new byte[] {7}, TEXT, TestData.random(100_000, 1)}) {
            byte[] frame = Lz4Frame.encode(data);
            assertArrayEquals(data, decode(frame, data.length));
        }
        assertTrue(Lz4Frame.encode(TEXT).length < TEXT.length / 2);
    }

    @Test
    void encode_isStandardFrame_readableByLz4Java() throws Exception {
        byte[] frame = Lz4Frame.encode(TEXT);
        try (LZ4FrameInputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(frame))) {
            assertArrayEquals(TEXT, in.readAllBytes());
        }
    }

    @Test
    void decode_lz4jsFrameWithoutIndependenceFlag_accepted() throws Exception {
        // huggingface.js compresses chunks with its vendored lz4js: FLG 0x40 (no block-independence bit), BD 0x70.
        byte[] frame = Lz4FrameBuilder.lz4js().build(TEXT);
        assertEquals(0x40, frame[4]);
        assertEquals(0x70, frame[5]);
        assertArrayEquals(TEXT, decode(frame, TEXT.length));
        // lz4-java's own stream refuses it, which is why the frame is parsed by hand.
        assertThrows(RuntimeException.class, () -> new LZ4FrameInputStream(new ByteArrayInputStream(frame)).readAllBytes());
    }

    @Test
    void decode_optionalFields_checkedAndAccepted() throws Exception {
        Lz4FrameBuilder b = new Lz4FrameBuilder();
        b.blockChecksum = true;
        b.contentChecksum = true;
        b.contentSize = (long) TEXT.length;
        assertArrayEquals(TEXT, decode(b.build(TEXT), TEXT.length));
        Lz4FrameBuilder raw = new Lz4FrameBuilder();
        raw.storeRaw = true;
        raw.blockSizeCode = 5;
        raw.blockSize = 256 * 1024;
        assertArrayEquals(TEXT, decode(raw.build(TEXT), TEXT.length));
    }

    @Test
    void decode_wrongDeclaredSize_sizeMismatch() {
        byte[] frame = Lz4Frame.encode(TEXT);
        assertEquals(Reason.SIZE_MISMATCH, failure(frame, TEXT.length + 1));
        Lz4FrameBuilder raw = new Lz4FrameBuilder();
        raw.storeRaw = true;
        assertEquals(Reason.SIZE_MISMATCH, failure(raw.build(TEXT), TEXT.length - 1), "stored block too long");
        Lz4FrameBuilder sized = new Lz4FrameBuilder();
        sized.contentSize = (long) TEXT.length + 1;
        assertEquals(Reason.SIZE_MISMATCH, failure(sized.build(TEXT), TEXT.length), "frame content size");
    }

    @Test
    void decode_outputWouldExceedDeclaredSize_rejectedWithoutInflating() {
        // A highly compressible 128 KiB frame declared as 100 bytes: decoding stops at the bound.
        byte[] zeros = Lz4Frame.encode(new byte[128 * 1024]);
        Reason reason = failure(zeros, 100);
        assertTrue(reason == Reason.BAD_COMPRESSED_DATA || reason == Reason.SIZE_MISMATCH, reason.toString());
    }

    @Test
    void decode_brokenFrames_badCompressedData() {
        byte[] good = Lz4Frame.encode(TEXT);
        byte[] badMagic = good.clone();
        badMagic[0] ^= 1;
        assertEquals(Reason.BAD_COMPRESSED_DATA, failure(badMagic, TEXT.length));

        byte[] badHeaderChecksum = good.clone();
        badHeaderChecksum[6] ^= 1;
        assertEquals(Reason.BAD_COMPRESSED_DATA, failure(badHeaderChecksum, TEXT.length));

        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertEquals(Reason.BAD_COMPRESSED_DATA, failure(trailing, TEXT.length));

        for (int cut : new int[] {0, 3, 6, 7, 11, good.length / 2, good.length - 1}) {
            assertEquals(Reason.BAD_COMPRESSED_DATA, failure(Arrays.copyOf(good, cut), TEXT.length), "cut " + cut);
        }

        byte[] corruptBlock = good.clone();
        for (int i = 11; i < 60; i++) {
            corruptBlock[i] = (byte) 0xFF;
        }
        Reason corrupt = failure(corruptBlock, TEXT.length);
        assertTrue(corrupt == Reason.BAD_COMPRESSED_DATA || corrupt == Reason.SIZE_MISMATCH, corrupt.toString());
    }

    @Test
    void decode_unsupportedOrReservedFlags_badCompressedData() {
        Lz4FrameBuilder version = new Lz4FrameBuilder();
        version.flgExtraBits = 0x80; // version bits 11
        Lz4FrameBuilder reserved = new Lz4FrameBuilder();
        reserved.flgExtraBits = 0x02;
        Lz4FrameBuilder dictionary = new Lz4FrameBuilder();
        dictionary.flgExtraBits = 0x01;
        Lz4FrameBuilder bdReserved = new Lz4FrameBuilder();
        bdReserved.bdExtraBits = 0x01;
        Lz4FrameBuilder smallBlockCode = new Lz4FrameBuilder();
        smallBlockCode.blockSizeCode = 3;
        Lz4FrameBuilder headerChecksum = new Lz4FrameBuilder();
        headerChecksum.corruptHeaderChecksum = true;
        for (Lz4FrameBuilder b : new Lz4FrameBuilder[] {version, reserved, dictionary, bdReserved, smallBlockCode,
            headerChecksum}) {
            assertEquals(Reason.BAD_COMPRESSED_DATA, failure(b.build(TEXT), TEXT.length));
        }
    }

    @Test
    void decode_blockLargerThanFrameMaximum_rejected() {
        Lz4FrameBuilder oversize = new Lz4FrameBuilder();
        oversize.storeRaw = true;
        oversize.blockSize = 128 * 1024; // but BD says 64 KiB
        assertEquals(Reason.BAD_COMPRESSED_DATA, failure(oversize.build(TEXT), TEXT.length));
    }

    @Test
    void decode_checksumMismatch_rejected() {
        Lz4FrameBuilder b = new Lz4FrameBuilder();
        b.contentChecksum = true;
        byte[] frame = b.build(TEXT);
        frame[frame.length - 1] ^= 1;
        assertEquals(Reason.BAD_COMPRESSED_DATA, failure(frame, TEXT.length));

        Lz4FrameBuilder blocks = new Lz4FrameBuilder();
        blocks.blockChecksum = true;
        blocks.storeRaw = true;
        byte[] blockFrame = blocks.build(TEXT);
        blockFrame[7 + 4 + 100] ^= 1; // a data byte of the first stored block
        assertEquals(Reason.BAD_COMPRESSED_DATA, failure(blockFrame, TEXT.length));
    }
}
