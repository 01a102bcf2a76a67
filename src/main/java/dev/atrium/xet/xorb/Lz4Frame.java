package dev.atrium.xet.xorb;

import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.XetFormatException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * LZ4 as xorb chunks use it. xorb.md only says "standard LZ4"; the reference (xet-core, lz4_flex) writes and reads
 * the LZ4 <em>frame</em> format, one frame per chunk payload, so that is what this reads and writes.
 *
 * <p>The frame is parsed here rather than with lz4-java's {@code LZ4FrameInputStream} because that class refuses
 * frames whose block-independence flag is clear, and huggingface.js writes exactly such frames (its vendored lz4js
 * never sets the flag; one 4 MB block per chunk). Blocks are decoded with lz4-java's pure-Java safe decompressor,
 * which bounds every write and is safe on hostile input. A frame with several dependent blocks decodes as long as no
 * block refers back into an earlier one; no known client writes one that does, and such a frame is rejected.
 *
 * <p>Every check of the LZ4 frame format is made: magic, version, reserved bits, block size, header checksum, block
 * and content checksums when flagged, declared content size, end mark, and no trailing bytes. The output can never
 * exceed the size the chunk header declared, so a small payload cannot inflate into a large allocation.
 */
public final class Lz4Frame {
    private static final int MAGIC = 0x184D2204;
    private static final int FLG_VERSION_MASK = 0xC0;
    private static final int FLG_VERSION_01 = 0x40;
    private static final int FLG_BLOCK_CHECKSUM = 0x10;
    private static final int FLG_CONTENT_SIZE = 0x08;
    private static final int FLG_CONTENT_CHECKSUM = 0x04;
    private static final int FLG_RESERVED = 0x02;
    private static final int FLG_DICTIONARY_ID = 0x01;
    private static final int BD_RESERVED = 0x8F;
    private static final int UNCOMPRESSED_BLOCK = 0x80000000;

    /** Stateless, thread-safe codec objects; the pure-Java ones, since the input is untrusted. */
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.safeInstance().safeDecompressor();
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.safeInstance().fastCompressor();
    private static final XXHash32 XXHASH = XXHashFactory.safeInstance().hash32();

    private Lz4Frame() {}

    /**
     * Decodes the single LZ4 frame that must fill {@code src[offset, offset + length)}, whose content must be exactly
     * {@code expectedSize} bytes.
     */
    public static byte[] decode(byte[] src, int offset, int length, int expectedSize) throws XetFormatException {
        Cursor in = new Cursor(src, offset, offset + length);
        if (in.u32() != MAGIC) {
            throw bad("not an LZ4 frame (bad magic number)");
        }
        int descriptorStart = in.pos;
        int flg = in.u8();
        int bd = in.u8();
        if ((flg & FLG_VERSION_MASK) != FLG_VERSION_01 || (flg & FLG_RESERVED) != 0 || (bd & BD_RESERVED) != 0) {
            throw bad("unsupported LZ4 frame version or reserved bits set");
        }
        if ((flg & FLG_DICTIONARY_ID) != 0) {
            throw bad("LZ4 frames with a dictionary are not supported");
        }
        int sizeCode = (bd >>> 4) & 0x7;
        if (sizeCode < 4) {
            throw bad("invalid LZ4 block maximum size code " + sizeCode);
        }
        int maxBlockSize = 1 << (8 + 2 * sizeCode); // 4 -> 64 KiB ... 7 -> 4 MiB
        if ((flg & FLG_CONTENT_SIZE) != 0) {
            long contentSize = in.u64();
            if (contentSize != expectedSize) {
                throw new XetFormatException(Reason.SIZE_MISMATCH,
                        "LZ4 frame declares " + contentSize + " bytes, chunk header " + expectedSize);
            }
        }
        int headerChecksum = (XXHASH.hash(src, descriptorStart, in.pos - descriptorStart, 0) >>> 8) & 0xFF;
        if (in.u8() != headerChecksum) {
            throw bad("LZ4 frame header checksum mismatch");
        }
        byte[] out = new byte[expectedSize];
        int written = 0;
        while (true) {
            int blockWord = in.u32();
            if (blockWord == 0) {
                break;
            }
            boolean stored = (blockWord & UNCOMPRESSED_BLOCK) != 0;
            int blockSize = blockWord & ~UNCOMPRESSED_BLOCK;
            if (blockSize > maxBlockSize) {
                throw bad("LZ4 block of " + blockSize + " bytes over the frame's maximum " + maxBlockSize);
            }
            int blockStart = in.take(blockSize);
            if ((flg & FLG_BLOCK_CHECKSUM) != 0 && in.u32() != XXHASH.hash(src, blockStart, blockSize, 0)) {
                throw bad("LZ4 block checksum mismatch");
            }
            int room = expectedSize - written;
            if (stored) {
                if (blockSize > room) {
                    throw tooLong(expectedSize);
                }
                System.arraycopy(src, blockStart, out, written, blockSize);
                written += blockSize;
            } else {
                written += decompressBlock(src, blockStart, blockSize, out, written, room, expectedSize);
            }
        }
        if ((flg & FLG_CONTENT_CHECKSUM) != 0 && in.u32() != XXHASH.hash(out, 0, written, 0)) {
            throw bad("LZ4 content checksum mismatch");
        }
        if (in.pos != in.end) {
            throw bad((in.end - in.pos) + " bytes after the LZ4 frame");
        }
        if (written != expectedSize) {
            throw new XetFormatException(Reason.SIZE_MISMATCH,
                    "LZ4 frame holds " + written + " bytes, chunk header says " + expectedSize);
        }
        return out;
    }

    /** Encodes {@code data} as one standard LZ4 frame: 64 KiB independent blocks, no checksums, like lz4_flex. */
    public static byte[] encode(byte[] data) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(data.length / 2 + 64);
        try (LZ4FrameOutputStream frame = new LZ4FrameOutputStream(buffer, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                -1L, COMPRESSOR, XXHASH, LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE)) {
            frame.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory", e);
        }
        return buffer.toByteArray();
    }

    private static int decompressBlock(byte[] src, int start, int size, byte[] out, int at, int room, int expected)
            throws XetFormatException {
        try {
            return DECOMPRESSOR.decompress(src, start, size, out, at, room);
        } catch (RuntimeException e) {
            // The safe decompressor throws LZ4Exception for corrupt input, for output past `room`, and for a
            // back-reference into an earlier block of a dependent-block frame.
            throw new XetFormatException(Reason.BAD_COMPRESSED_DATA,
                    "corrupt LZ4 block, or more than the " + expected + " bytes the chunk header declares", e);
        }
    }

    private static XetFormatException bad(String message) {
        return new XetFormatException(Reason.BAD_COMPRESSED_DATA, message);
    }

    private static XetFormatException tooLong(int expected) {
        return new XetFormatException(Reason.SIZE_MISMATCH, "LZ4 frame holds more than the " + expected
                + " bytes the chunk header declares");
    }

    /** Little-endian reads that fail as truncated data rather than with an index exception. */
    private static final class Cursor {
        final byte[] bytes;
        final int end;
        int pos;

        Cursor(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.pos = start;
            this.end = end;
        }

        int take(int n) throws XetFormatException {
            if (n < 0 || end - pos < n) {
                throw bad("LZ4 frame is truncated");
            }
            int at = pos;
            pos += n;
            return at;
        }

        int u8() throws XetFormatException {
            return bytes[take(1)] & 0xFF;
        }

        int u32() throws XetFormatException {
            int at = take(4);
            return (bytes[at] & 0xFF) | (bytes[at + 1] & 0xFF) << 8 | (bytes[at + 2] & 0xFF) << 16
                    | (bytes[at + 3] & 0xFF) << 24;
        }

        long u64() throws XetFormatException {
            long low = u32() & 0xFFFFFFFFL;
            long high = u32() & 0xFFFFFFFFL;
            return low | high << 32;
        }
    }
}
