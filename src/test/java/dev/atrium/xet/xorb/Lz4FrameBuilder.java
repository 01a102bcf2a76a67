package dev.atrium.xet.xorb;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Builds LZ4 frames byte by byte from the LZ4 frame format description, with any combination of flags, so the
 * decoder can be tested on frames other writers produce (lz4js in huggingface.js, lz4_flex in xet-core, the lz4 CLI)
 * and on broken ones.
 */
final class Lz4FrameBuilder {
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.safeInstance().fastCompressor();
    private static final XXHash32 XXHASH = XXHashFactory.safeInstance().hash32();

    boolean independent = true;
    boolean blockChecksum;
    boolean contentChecksum;
    Long contentSize;
    int blockSizeCode = 4;
    int blockSize = 64 * 1024;
    /** Store blocks raw (with the uncompressed bit) instead of compressing them. */
    boolean storeRaw;
    int flgExtraBits;
    int bdExtraBits;
    boolean corruptHeaderChecksum;

    /** lz4js as vendored by huggingface.js: no independence flag, 4 MB blocks, no checksums, no content size. */
    static Lz4FrameBuilder lz4js() {
        Lz4FrameBuilder b = new Lz4FrameBuilder();
        b.independent = false;
        b.blockSizeCode = 7;
        b.blockSize = 4 * 1024 * 1024;
        return b;
    }

    byte[] build(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeU32(out, 0x184D2204);
        int flg = 0x40 | (independent ? 0x20 : 0) | (blockChecksum ? 0x10 : 0) | (contentSize != null ? 0x08 : 0)
                | (contentChecksum ? 0x04 : 0) | flgExtraBits;
        int bd = (blockSizeCode << 4) | bdExtraBits;
        ByteArrayOutputStream descriptor = new ByteArrayOutputStream();
        descriptor.write(flg);
        descriptor.write(bd);
        if (contentSize != null) {
            writeU32(descriptor, (int) (long) contentSize);
            writeU32(descriptor, (int) (contentSize >>> 32));
        }
        byte[] desc = descriptor.toByteArray();
        out.writeBytes(desc);
        int hc = (XXHASH.hash(desc, 0, desc.length, 0) >>> 8) & 0xFF;
        out.write(corruptHeaderChecksum ? hc ^ 1 : hc);
        for (int pos = 0; pos < data.length; pos += blockSize) {
            byte[] block = Arrays.copyOfRange(data, pos, Math.min(data.length, pos + blockSize));
            byte[] stored;
            if (storeRaw) {
                stored = block;
                writeU32(out, 0x80000000 | block.length);
            } else {
                stored = COMPRESSOR.compress(block);
                writeU32(out, stored.length);
            }
            out.writeBytes(stored);
            if (blockChecksum) {
                writeU32(out, XXHASH.hash(stored, 0, stored.length, 0));
            }
        }
        writeU32(out, 0);
        if (contentChecksum) {
            writeU32(out, XXHASH.hash(data, 0, data.length, 0));
        }
        return out.toByteArray();
    }

    static void writeU32(ByteArrayOutputStream out, int v) {
        out.write(v);
        out.write(v >>> 8);
        out.write(v >>> 16);
        out.write(v >>> 24);
    }
}
