package dev.atrium.xet.xorb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.xet.MerkleHash;
import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.XetFormatException.Reason;
import dev.atrium.xet.hash.HashedChunk;
import dev.atrium.xet.hash.XetHashes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class XorbReaderTest {
    private static final List<byte[]> CHUNKS = List.of(TestData.text(65_000, 1), TestData.random(20_000, 2),
            TestData.floats(128 * 1024, 3), TestData.text(9, 4), TestData.random(131_072, 5));
    private final XorbReader reader = new XorbReader();

    private static MerkleHash expectedHash(List<byte[]> chunks) {
        List<HashedChunk> leaves = new ArrayList<>();
        for (byte[] chunk : chunks) {
            leaves.add(new HashedChunk(XetHashes.chunkHash(chunk), chunk.length));
        }
        return XetHashes.xorbHash(leaves);
    }

    /** One chunk assembled by hand: header fields as given, then the payload. */
    static byte[] rawChunk(int version, int compressedSize, int scheme, int uncompressedSize, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(version);
        out.write(compressedSize);
        out.write(compressedSize >>> 8);
        out.write(compressedSize >>> 16);
        out.write(scheme);
        out.write(uncompressedSize);
        out.write(uncompressedSize >>> 8);
        out.write(uncompressedSize >>> 16);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private XorbReader.ParsedXorb read(byte[] xorb) throws IOException, XetFormatException {
        return reader.read(new ByteArrayInputStream(xorb), null);
    }

    private Reason failure(byte[] xorb) {
        return assertThrows(XetFormatException.class, () -> read(xorb)).reason();
    }

    @ParameterizedTest
    @EnumSource(CompressionScheme.class)
    void read_serializedWithoutFooter_roundTrips(CompressionScheme scheme) throws Exception {
        XorbWriter.SerializedXorb xorb = XorbWriter.serialize(CHUNKS, scheme, false);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        XorbReader.ParsedXorb parsed = reader.read(new ByteArrayInputStream(xorb.bytes()), sink, expectedHash(CHUNKS));
        assertEquals(xorb.index(), parsed.index());
        assertEquals(Optional.empty(), parsed.footer());
        assertEquals(xorb.bytes().length, parsed.uploadLength());
        assertArrayEquals(xorb.bytes(), sink.toByteArray(), "the sink gets the chunk section as sent");
    }

    @Test
    void read_withFooter_footerVerifiedAndNotCopied() throws Exception {
        XorbWriter.SerializedXorb xorb = XorbWriter.serialize(CHUNKS, null, true);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        XorbReader.ParsedXorb parsed = reader.read(new ByteArrayInputStream(xorb.bytes()), sink);
        assertEquals(Optional.of(XorbFooter.Version.V1), parsed.footer());
        assertEquals(expectedHash(CHUNKS), parsed.hash());
        assertEquals(xorb.bytes().length, parsed.uploadLength());
        assertArrayEquals(Arrays.copyOf(xorb.bytes(), xorb.index().chunkSectionLength()), sink.toByteArray());
        // What the server stores: the chunk section plus its own footer, which equals the uploaded xorb.
        assertArrayEquals(xorb.bytes(), concat(sink.toByteArray(), XorbFooter.serialize(parsed.index())));
    }

    @Test
    void read_legacyVersion0Footer_accepted() throws Exception {
        XorbWriter.SerializedXorb xorb = XorbWriter.serialize(CHUNKS, CompressionScheme.LZ4, false);
        byte[] upload = concat(xorb.bytes(), XorbFooterTest.handV0(xorb.index()));
        assertEquals(Optional.of(XorbFooter.Version.V0), read(upload).footer());
    }

    @Test
    void read_handAssembledChunks_mixedSchemesAndJsFrames() throws Exception {
        // Built byte by byte from xorb.md, not with XorbWriter: an uncompressed chunk, an lz4js-style LZ4 chunk
        // (as huggingface.js uploads them) and a byte-grouped chunk with a checksummed frame.
        byte[] a = "hello xorb".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] b = TestData.text(50_000, 9);
        byte[] c = TestData.floats(40_001, 10);
        byte[] lz4b = Lz4FrameBuilder.lz4js().build(b);
        Lz4FrameBuilder checked = new Lz4FrameBuilder();
        checked.contentChecksum = true;
        checked.blockChecksum = true;
        byte[] bg4c = checked.build(ByteGrouping4.split(c));
        byte[] xorb = concat(rawChunk(0, a.length, 0, a.length, a), rawChunk(0, lz4b.length, 1, b.length, lz4b),
                rawChunk(0, bg4c.length, 2, c.length, bg4c));
        XorbReader.ParsedXorb parsed = read(xorb);
        assertEquals(expectedHash(List.of(a, b, c)), parsed.hash());
        XorbIndex index = parsed.index();
        assertEquals(3, index.chunkCount());
        assertEquals(new XorbChunk(XetHashes.chunkHash(a), 0, 8 + a.length, 0, a.length), index.chunk(0));
        assertEquals(8 + a.length + 8 + lz4b.length, index.chunk(1).serializedEnd());
        assertEquals(a.length + b.length + c.length, index.unpackedLength());
        assertEquals(xorb.length, index.chunkSectionLength());
    }

    @Test
    void read_wrongExpectedHash_hashMismatch() {
        byte[] xorb = XorbWriter.serialize(CHUNKS, CompressionScheme.LZ4, false).bytes();
        XetFormatException e = assertThrows(XetFormatException.class,
                () -> reader.read(new ByteArrayInputStream(xorb), null, expectedHash(CHUNKS.subList(0, 4))));
        assertEquals(Reason.HASH_MISMATCH, e.reason());
    }

    @Test
    void read_empty_rejected() {
        assertEquals(Reason.EMPTY, failure(new byte[0]));
        XorbIndex none = new XorbIndex(MerkleHash.ZERO, List.of());
        assertEquals(Reason.EMPTY, failure(XorbFooter.serialize(none)), "a footer alone");
    }

    @Test
    void read_badHeaders_rejected() {
        byte[] a = TestData.text(100, 1);
        byte[] good = rawChunk(0, a.length, 0, a.length, a);
        assertEquals(Reason.BAD_HEADER, failure(rawChunk(1, a.length, 0, a.length, a)), "version 1");
        assertEquals(Reason.BAD_HEADER, failure(concat(good, new byte[] {7, 0, 0, 0, 0, 0, 0, 0})), "garbage after");
        assertEquals(Reason.BAD_HEADER, failure(concat(good, "XETBLOX...........".getBytes())), "not quite a footer");
        assertEquals(Reason.UNKNOWN_COMPRESSION, failure(rawChunk(0, a.length, 3, a.length, a)));
        assertEquals(Reason.UNKNOWN_COMPRESSION, failure(concat(good, rawChunk(0, a.length, 99, a.length, a))));
        assertEquals(Reason.CHUNK_TOO_LARGE, failure(rawChunk(0, 10, 1, 128 * 1024 + 1, new byte[10])));
        assertEquals(Reason.CHUNK_TOO_LARGE, failure(rawChunk(0, 256 * 1024 + 1, 1, 1000, new byte[0])));
    }

    @Test
    void read_inconsistentSizes_rejected() {
        byte[] a = TestData.text(10_000, 1);
        byte[] frame = Lz4Frame.encode(a);
        assertEquals(Reason.SIZE_MISMATCH, failure(rawChunk(0, a.length, 0, a.length - 1, a)), "raw sizes differ");
        assertEquals(Reason.SIZE_MISMATCH, failure(rawChunk(0, frame.length, 1, a.length + 1, frame)), "decodes short");
        Reason longer = failure(rawChunk(0, frame.length, 1, a.length - 1, frame));
        assertTrue(longer == Reason.SIZE_MISMATCH || longer == Reason.BAD_COMPRESSED_DATA, longer.toString());
        assertEquals(Reason.BAD_COMPRESSED_DATA, failure(rawChunk(0, a.length, 1, a.length, a)), "not a frame");
        // A payload size that takes part of the next chunk as its own: the frame then has trailing bytes.
        byte[] two = concat(rawChunk(0, frame.length + 4, 1, a.length, frame), rawChunk(0, 4, 0, 4, new byte[4]));
        assertEquals(Reason.BAD_COMPRESSED_DATA, failure(Arrays.copyOf(two, 8 + frame.length + 4)));
    }

    @Test
    void read_truncatedAnywhere_rejected() {
        byte[] xorb = XorbWriter.serialize(CHUNKS, CompressionScheme.LZ4, false).bytes();
        XorbIndex index = XorbWriter.serialize(CHUNKS, CompressionScheme.LZ4, false).index();
        for (XorbChunk chunk : index.chunks()) {
            for (int into : new int[] {1, 7, 8, 9, chunk.serializedLength() - 1}) {
                byte[] cut = Arrays.copyOf(xorb, chunk.serializedStart() + into);
                assertEquals(Reason.TRUNCATED, failure(cut), "cut " + into + " bytes into a chunk");
            }
        }
    }

    @Test
    void read_truncatedFooter_rejected() {
        byte[] xorb = XorbWriter.serialize(CHUNKS, CompressionScheme.LZ4, true).bytes();
        int footerStart = XorbWriter.serialize(CHUNKS, CompressionScheme.LZ4, false).bytes().length;
        assertEquals(Reason.TRUNCATED, failure(Arrays.copyOf(xorb, footerStart + 3)), "inside the ident");
        for (int cut : new int[] {footerStart + 7, footerStart + 50, xorb.length - 1}) {
            assertEquals(Reason.BAD_FOOTER, failure(Arrays.copyOf(xorb, cut)), "cut at " + cut);
        }
    }

    @Test
    void read_dataAfterFooter_rejected() {
        byte[] xorb = XorbWriter.serialize(CHUNKS, CompressionScheme.LZ4, true).bytes();
        assertEquals(Reason.BAD_FOOTER, failure(concat(xorb, new byte[] {0})));
        assertEquals(Reason.BAD_FOOTER, failure(concat(xorb, new byte[100_000])));
        byte[] twoFooters = concat(xorb, Arrays.copyOfRange(xorb, xorb.length - 300, xorb.length));
        assertEquals(Reason.BAD_FOOTER, failure(twoFooters));
    }

    @Test
    void read_footerOfOtherXorb_rejected() {
        XorbWriter.SerializedXorb xorb = XorbWriter.serialize(CHUNKS, CompressionScheme.LZ4, false);
        XorbIndex other = XorbWriter.serialize(CHUNKS.subList(1, 5), CompressionScheme.LZ4, false).index();
        assertEquals(Reason.BAD_FOOTER, failure(concat(xorb.bytes(), XorbFooter.serialize(other))));
        XorbIndex lying = new XorbIndex(expectedHash(CHUNKS.subList(0, 1)), xorb.index().chunks());
        assertEquals(Reason.BAD_FOOTER, failure(concat(xorb.bytes(), XorbFooter.serialize(lying))));
    }

    @Test
    void read_overLimits_tooLargeWithoutReadingOn() {
        byte[] xorb = XorbWriter.serialize(CHUNKS, CompressionScheme.NONE, false).bytes();
        int unpacked = CHUNKS.stream().mapToInt(c -> c.length).sum();
        XorbReader small = new XorbReader(new XorbLimits(xorb.length - 1, Integer.MAX_VALUE, 100));
        assertEquals(Reason.TOO_LARGE, assertThrows(XetFormatException.class,
                () -> small.read(new ByteArrayInputStream(xorb), null)).reason(), "serialized bytes");
        XorbReader lowUnpacked = new XorbReader(new XorbLimits(Integer.MAX_VALUE, unpacked - 1, 100));
        assertEquals(Reason.TOO_LARGE, assertThrows(XetFormatException.class,
                () -> lowUnpacked.read(new ByteArrayInputStream(xorb), null)).reason(), "unpacked bytes");
        XorbReader fewChunks = new XorbReader(new XorbLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, 4));
        assertEquals(Reason.TOO_LARGE, assertThrows(XetFormatException.class,
                () -> fewChunks.read(new ByteArrayInputStream(xorb), null)).reason(), "chunk count");
        byte[] withFooter = XorbWriter.serialize(CHUNKS, CompressionScheme.NONE, true).bytes();
        XorbReader justChunks = new XorbReader(new XorbLimits(xorb.length + 10, Integer.MAX_VALUE, 100));
        assertEquals(Reason.TOO_LARGE, assertThrows(XetFormatException.class,
                () -> justChunks.read(new ByteArrayInputStream(withFooter), null)).reason(), "footer over limit");
    }

    @Test
    void read_defaultLimits_rejectOver64MiBOfChunks() {
        // 513 chunks of 128 KiB = 64 MiB + 128 KiB, generated lazily: the reader must stop at the limit.
        byte[] one = rawChunk(0, 128 * 1024, 0, 128 * 1024, new byte[128 * 1024]);
        InputStream endless = new InputStream() {
            private long pos;

            @Override
            public int read() {
                return pos < 513L * one.length ? one[(int) (pos++ % one.length)] & 0xFF : -1;
            }
        };
        XetFormatException e = assertThrows(XetFormatException.class, () -> reader.read(endless, null));
        assertEquals(Reason.TOO_LARGE, e.reason());
    }

    @Test
    void decodeChunks_servedRange_decodesToContent() throws Exception {
        XorbWriter.SerializedXorb xorb = XorbWriter.serialize(CHUNKS, null, true);
        XorbIndex index = xorb.index();
        for (int start = 0; start < CHUNKS.size(); start++) {
            for (int end = start + 1; end <= CHUNKS.size(); end++) {
                ByteRange range = index.serializedRange(start, end);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                XorbReader.decodeChunks(new ByteArrayInputStream(xorb.bytes(), (int) range.start(),
                        (int) range.length()), index, start, end, out, true);
                assertArrayEquals(concat(CHUNKS.subList(start, end).toArray(new byte[0][])), out.toByteArray());
            }
        }
    }
}
