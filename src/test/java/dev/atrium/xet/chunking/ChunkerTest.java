package dev.atrium.xet.chunking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.xet.TestInputs;
import dev.atrium.xet.hash.HashedChunk;
import dev.atrium.xet.hash.XetHashes;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkerTest {

    /** Cumulative end offsets of the chunks, as the reference tests express boundaries. */
    static List<Long> boundaries(List<Chunk> chunks) {
        List<Long> ends = new ArrayList<>();
        for (Chunk chunk : chunks) {
            ends.add(chunk.end());
        }
        return ends;
    }

    static List<Chunk> chunkAll(byte[] data, int pieceSize) {
        Chunker chunker = new Chunker();
        List<Chunk> chunks = new ArrayList<>();
        for (int pos = 0; pos < data.length; pos += pieceSize) {
            chunks.addAll(chunker.update(data, pos, Math.min(pieceSize, data.length - pos)));
        }
        chunker.finish().ifPresent(chunks::add);
        return chunks;
    }

    /** The spec's pseudocode, byte by byte with no skipping, as an independent oracle. */
    static List<Long> specBoundaries(byte[] data) {
        List<Long> ends = new ArrayList<>();
        long h = 0;
        int start = 0;
        for (int i = 0; i < data.length; i++) {
            h = (h << 1) + GearTable.at(data[i] & 0xFF);
            int size = i + 1 - start;
            if (size < Chunker.MIN_CHUNK_SIZE) {
                continue;
            }
            if (size >= Chunker.MAX_CHUNK_SIZE || (h & Chunker.MASK) == 0) {
                ends.add((long) i + 1);
                start = i + 1;
                h = 0;
            }
        }
        if (start < data.length) {
            ends.add((long) data.length);
        }
        return ends;
    }

    private static Map<String, String> vectorLines() throws IOException {
        Map<String, String> lines = new HashMap<>();
        try (InputStream in = ChunkerTest.class.getResourceAsStream("/dev/atrium/xet/xet-core-chunk-boundaries.txt")) {
            assertNotNull(in);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.startsWith("#")) {
                    String[] f = line.split(" ", 2);
                    String key = f[0].equals("case") ? "case " + f[1].split(" ", 2)[0] : f[0];
                    lines.put(key, f[1]);
                }
            }
        }
        return lines;
    }

    private static List<Long> longs(String[] fields, int from) {
        List<Long> values = new ArrayList<>();
        for (int i = from; i < fields.length; i++) {
            values.add(Long.parseLong(fields[i]));
        }
        return values;
    }

    @Test
    void gearTable_isRustGearhashDefaultTable() throws Exception {
        // SHA-256 of the 256 constants as big-endian u64s, computed from rust-gearhash src/table.rs at adad44e.
        ByteBuffer bytes = ByteBuffer.allocate(256 * 8);
        for (long value : GearTable.copy()) {
            bytes.putLong(value);
        }
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes.array());
        assertEquals("106a7a8d97e7074ea409311b0321f36dba49366cf5ff50ce42af62381ac72bdd", HexFormat.of().formatHex(digest));
        assertEquals(0xb088d3a9e840f559L, GearTable.at(0));
        assertEquals(0x63c7a906c1dd187bL, GearTable.at(255));
    }

    @Test
    void chunk_oneMegabyteSplitMix_matchesXetCoreBoundaries() throws IOException {
        byte[] data = TestInputs.splitMix64(1_000_000, 0);
        assertEquals(175, data[0] & 0xFF);
        assertEquals(132, data[127] & 0xFF);
        assertEquals(118, data[111111] & 0xFF);
        List<Long> expected = longs(vectorLines().get("random").split(" "), 0);
        assertEquals(expected, boundaries(chunkAll(data, data.length)));
        assertEquals(expected, specBoundaries(data));
    }

    @Test
    void chunk_oneMegabyteConstant_cutsAtMaximum() {
        // xet-core test_correctness_1mb_const_data: no hash match ever, so every chunk is 128 KiB.
        byte[] data = new byte[1_000_000];
        Arrays.fill(data, (byte) 59);
        assertEquals(List.of(131072L, 262144L, 393216L, 524288L, 655360L, 786432L, 917504L, 1000000L),
                boundaries(chunkAll(data, 100_000)));
    }

    @Test
    void chunk_triggeringPatterns_matchXetCoreForAllPaddings() throws IOException {
        // xet-core test_correctness_100kb_hitting_data: a match in every pattern repetition, so the minimum-size
        // rule and the skipped prefix decide every boundary.
        Map<String, String> lines = vectorLines();
        String[] patternFields = lines.get("pattern").split(" ");
        for (int padding = 0; padding < 128; padding++) {
            byte[] unit = new byte[128 + padding];
            for (int i = 0; i < 128; i++) {
                unit[i] = (byte) Integer.parseInt(patternFields[i]);
            }
            byte[] data = new byte[65536];
            for (int i = 0; i < data.length; i++) {
                data[i] = unit[i % unit.length];
            }
            String[] f = lines.get("case " + padding).split(" ");
            assertEquals(Integer.parseInt(f[1]), data[11111] & 0xFF, "input check for padding " + padding);
            List<Long> expected = longs(f, 2);
            assertEquals(expected, boundaries(chunkAll(data, data.length)), "padding " + padding);
            assertEquals(expected, boundaries(chunkAll(data, 1000)), "padding " + padding + ", fed in pieces");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 37, 255, 8127, 8128, 65536, 131072, 300_000})
    void update_anyPieceSize_sameChunks(int pieceSize) {
        // As xet-core test_chunk_boundaries: boundaries must not depend on how the stream is fed.
        byte[] data = TestInputs.splitMix64(pieceSize == 1 ? 256_000 : 700_000, 1);
        List<Chunk> whole = chunkAll(data, data.length);
        List<Chunk> pieces = chunkAll(data, pieceSize);
        assertEquals(boundaries(whole), boundaries(pieces));
        for (int i = 0; i < whole.size(); i++) {
            assertArrayEquals(whole.get(i).data(), pieces.get(i).data());
            assertEquals(whole.get(i).hash(), pieces.get(i).hash());
        }
    }

    @Test
    void chunk_randomAndLowEntropyInputs_agreeWithSpecPseudocode() {
        Random random = new Random(20251117);
        for (int round = 0; round < 6; round++) {
            byte[] data = new byte[200_000 + random.nextInt(400_000)];
            random.nextBytes(data);
            if (round % 2 == 1) {
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (data[i] & 0x03); // few distinct bytes: more matches near the minimum size
                }
            }
            assertEquals(specBoundaries(data), boundaries(chunkAll(data, 1 + random.nextInt(70_000))));
        }
    }

    @Test
    void chunk_chunksCoverInputAndRespectSizeLimits() {
        byte[] data = TestInputs.splitMix64(2_000_000, 7);
        List<Chunk> chunks = chunkAll(data, 4096);
        long expectedOffset = 0;
        for (int i = 0; i < chunks.size(); i++) {
            Chunk chunk = chunks.get(i);
            assertEquals(expectedOffset, chunk.offset());
            assertTrue(chunk.length() <= Chunker.MAX_CHUNK_SIZE);
            if (i < chunks.size() - 1) {
                assertTrue(chunk.length() >= Chunker.MIN_CHUNK_SIZE);
            }
            assertArrayEquals(Arrays.copyOfRange(data, (int) chunk.offset(), (int) chunk.end()), chunk.data());
            assertEquals(XetHashes.chunkHash(chunk.data()), chunk.hash());
            expectedOffset = chunk.end();
        }
        assertEquals(data.length, expectedOffset);
    }

    @Test
    void chunk_smallAndEmptyInputs() {
        assertEquals(List.of(), chunkAll(new byte[0], 1));
        byte[] small = TestInputs.splitMix64(Chunker.MIN_CHUNK_SIZE - 1, 3);
        List<Chunk> one = chunkAll(small, 100);
        assertEquals(1, one.size());
        assertArrayEquals(small, one.get(0).data());
        Chunker chunker = new Chunker();
        assertTrue(chunker.finish().isEmpty());
    }

    @Test
    void finish_resetsForNextStream() {
        byte[] data = TestInputs.splitMix64(300_000, 11);
        Chunker chunker = new Chunker();
        chunker.update(data, 0, 123_456);
        chunker.finish();
        List<Chunk> second = new ArrayList<>(chunker.update(data, 0, data.length));
        chunker.finish().ifPresent(second::add);
        assertEquals(boundaries(chunkAll(data, data.length)), boundaries(second));
    }

    @Test
    void chunkStream_andFileHasher_agreeWithChunkList() throws IOException {
        byte[] data = TestInputs.splitMix64(1_000_000, 0);
        List<Chunk> chunks = new ArrayList<>();
        assertEquals(data.length, Chunker.chunk(new ByteArrayInputStream(data), chunks::add));
        assertEquals(boundaries(chunkAll(data, data.length)), boundaries(chunks));
        List<HashedChunk> leaves = chunks.stream().map(Chunk::hashed).toList();
        FileHasher.FileDigest digest = FileHasher.hash(new ByteArrayInputStream(data));
        assertEquals(leaves, digest.chunks());
        assertEquals(data.length, digest.size());
        assertEquals(XetHashes.fileHash(leaves), digest.fileHash());
    }

    @Test
    void fileHasher_emptyFile_zeroHash() throws IOException {
        FileHasher.FileDigest digest = FileHasher.hash(new ByteArrayInputStream(new byte[0]));
        assertEquals(dev.atrium.xet.MerkleHash.ZERO, digest.fileHash());
        assertEquals(0, digest.size());
        assertEquals(List.of(), digest.chunks());
    }
}
