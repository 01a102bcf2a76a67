package dev.atrium.xet.xorb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atrium.xet.XetFormatException;
import dev.atrium.xet.XetFormatException.Reason;
import dev.atrium.xet.chunking.Chunk;
import dev.atrium.xet.chunking.Chunker;
import dev.atrium.xet.hash.XetHashes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredXorbTest {
    private static final byte[] FILE = fileContent();
    private static final List<Chunk> FILE_CHUNKS = chunks(FILE);

    private static byte[] fileContent() {
        // Half pseudo-random, half text, so chunks take every scheme the writer picks from.
        byte[] random = TestData.random(600_000, 42);
        byte[] text = TestData.text(600_000, 42);
        byte[] all = Arrays.copyOf(random, random.length + text.length);
        System.arraycopy(text, 0, all, random.length, text.length);
        return all;
    }

    private static List<Chunk> chunks(byte[] data) {
        List<Chunk> chunks = new ArrayList<>();
        try {
            Chunker.chunk(new ByteArrayInputStream(data), chunks::add);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return chunks;
    }

    /** Upload without a footer, as hf_xet does, and store chunk section + footer, as the server does. */
    private static byte[] uploadAndStore() throws Exception {
        byte[] upload = XorbWriter.serialize(FILE_CHUNKS.stream().map(Chunk::data).toList(), null, false).bytes();
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        XorbReader.ParsedXorb parsed = new XorbReader().read(new ByteArrayInputStream(upload), stored);
        stored.writeBytes(XorbFooter.serialize(parsed.index()));
        return stored.toByteArray();
    }

    @Test
    void storedXorb_fileSplitIntoChunks_hashesAndRangesConsistent() throws Exception {
        byte[] stored = uploadAndStore();
        XorbIndex index = StoredXorb.readIndex(stored);
        assertEquals(FILE_CHUNKS.size(), index.chunkCount());
        assertEquals(XetHashes.xorbHash(FILE_CHUNKS.stream().map(Chunk::hashed).toList()), index.hash());
        assertEquals(FILE.length, index.unpackedLength());
        // The whole file is the one term [0, n): its content, its verification hash, its unpacked length.
        assertArrayEquals(FILE, StoredXorb.uncompressedRange(stored, index, 0, index.chunkCount()));
        assertEquals(XetHashes.verificationHash(FILE_CHUNKS.stream().map(Chunk::hash).toList()),
                index.verificationHash(0, index.chunkCount()));
        assertEquals(FILE.length, index.unpackedLength(0, index.chunkCount()));
        // Any sub-range decodes to the matching slice of the file.
        for (int start = 0; start < index.chunkCount(); start += 3) {
            int end = Math.min(index.chunkCount(), start + 1 + start % 4);
            byte[] expected = Arrays.copyOfRange(FILE, (int) FILE_CHUNKS.get(start).offset(),
                    (int) FILE_CHUNKS.get(end - 1).end());
            assertArrayEquals(expected, StoredXorb.uncompressedRange(stored, index, start, end));
            assertEquals(index.chunk(start).unpackedStart(), FILE_CHUNKS.get(start).offset());
        }
    }

    @Test
    void serializedRange_isWhatAClientDecodes_urlRangeEndInclusive() throws Exception {
        byte[] stored = uploadAndStore();
        XorbIndex index = StoredXorb.readIndex(stored);
        ByteRange range = index.serializedRange(1, 3);
        assertEquals(index.chunk(1).serializedStart(), range.start());
        assertEquals(index.chunk(2).serializedEnd(), range.end());
        assertEquals(range.end() - 1, range.lastInclusive());
        assertEquals("bytes=" + range.start() + "-" + (range.end() - 1), range.httpRange());
        byte[] served = StoredXorb.serializedRange(stored, index, 1, 3);
        assertEquals(range.length(), served.length);
        // A client parses the served bytes as consecutive chunks (download-protocol.md) and gets their content.
        XorbReader.ParsedXorb asChunks = new XorbReader().read(new ByteArrayInputStream(served), null);
        assertEquals(2, asChunks.index().chunkCount());
        assertEquals(index.chunk(1).hash(), asChunks.index().chunk(0).hash());
        assertEquals(index.chunk(2).hash(), asChunks.index().chunk(1).hash());
    }

    @Test
    void channelAccess_onFile_sameAsInMemory(@TempDir Path dir) throws Exception {
        byte[] stored = uploadAndStore();
        Path file = dir.resolve("xorb");
        Files.write(file, stored);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            XorbIndex index = StoredXorb.readIndex(channel);
            assertEquals(StoredXorb.readIndex(stored), index);
            ByteArrayOutputStream serialized = new ByteArrayOutputStream();
            StoredXorb.copySerialized(channel, index, 2, 7, serialized);
            assertArrayEquals(StoredXorb.serializedRange(stored, index, 2, 7), serialized.toByteArray());
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            StoredXorb.copyUncompressed(channel, index, 2, 7, content, true);
            assertArrayEquals(StoredXorb.uncompressedRange(stored, index, 2, 7), content.toByteArray());
        }
    }

    @Test
    void ranges_outsideXorb_badRange() throws Exception {
        XorbIndex index = StoredXorb.readIndex(uploadAndStore());
        int n = index.chunkCount();
        for (int[] r : new int[][] {{0, 0}, {3, 2}, {-1, 1}, {0, n + 1}, {n, n + 1}}) {
            assertEquals(Reason.BAD_RANGE,
                    assertThrows(XetFormatException.class, () -> index.serializedRange(r[0], r[1])).reason());
            assertEquals(Reason.BAD_RANGE,
                    assertThrows(XetFormatException.class, () -> index.verificationHash(r[0], r[1])).reason());
        }
    }

    @Test
    void corruptStoredChunk_detectedOnDecode() throws Exception {
        byte[] stored = uploadAndStore();
        XorbIndex index = StoredXorb.readIndex(stored);
        // Find a stored (uncompressed) chunk and flip a data byte: only its hash can tell.
        int raw = -1;
        for (int i = 0; i < index.chunkCount() && raw < 0; i++) {
            if (stored[index.chunk(i).serializedStart() + 4] == 0) {
                raw = i;
            }
        }
        stored[index.chunk(raw).serializedStart() + 100] ^= 1;
        int corrupt = raw;
        assertEquals(Reason.HASH_MISMATCH, assertThrows(XetFormatException.class,
                () -> StoredXorb.uncompressedRange(stored, index, corrupt, corrupt + 1)).reason());
        ByteArrayOutputStream unchecked = new ByteArrayOutputStream();
        ByteRange range = index.serializedRange(corrupt, corrupt + 1);
        XorbReader.decodeChunks(new ByteArrayInputStream(stored, (int) range.start(), (int) range.length()), index,
                corrupt, corrupt + 1, unchecked, false);
        assertEquals(index.chunk(corrupt).size(), unchecked.size());
    }

    @Test
    void readIndex_notAStoredXorb_rejected() throws Exception {
        byte[] noFooter = XorbWriter.serialize(List.of(TestData.text(100_000, 1)), CompressionScheme.LZ4, false).bytes();
        assertEquals(Reason.BAD_FOOTER, assertThrows(XetFormatException.class,
                () -> StoredXorb.readIndex(noFooter)).reason());
        assertEquals(Reason.BAD_FOOTER, assertThrows(XetFormatException.class,
                () -> StoredXorb.readIndex(new byte[10])).reason());
        byte[] stored = uploadAndStore();
        stored[stored.length - 1] = 0x7F; // an info length larger than the xorb
        assertEquals(Reason.BAD_FOOTER, assertThrows(XetFormatException.class,
                () -> StoredXorb.readIndex(stored)).reason());
    }
}
