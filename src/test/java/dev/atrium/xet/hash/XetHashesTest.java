package dev.atrium.xet.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.atrium.xet.MerkleHash;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class XetHashesTest {
    private static final byte[] ELVISH_KEY = "whats the Elvish word for friend".getBytes(StandardCharsets.US_ASCII);

    /** The official BLAKE3 test vectors' input: bytes 0, 1, ..., 250 repeating. */
    private static byte[] blake3Input(int length) {
        byte[] input = new byte[length];
        for (int i = 0; i < length; i++) {
            input[i] = (byte) (i % 251);
        }
        return input;
    }

    private static String rawHex(MerkleHash hash) {
        return HexFormat.of().formatHex(hash.toBytes());
    }

    @Test
    void blake3Keyed_officialVectors_match() {
        // BLAKE3-team/BLAKE3 test_vectors/test_vectors.json, "keyed_hash", first 32 bytes. The lengths cross the
        // 1 KiB chunk and tree boundaries of BLAKE3, which Xet chunks (up to 128 KiB) always do.
        String[][] vectors = {
            {"0", "92b2b75604ed3c761f9d6f62392c8a9227ad0ea3f09573e783f1498a4ed60d26"},
            {"1", "6d7878dfff2f485635d39013278ae14f1454b8c0a3a2d34bc1ab38228a80c95b"},
            {"1023", "c951ecdf03288d0fcc96ee3413563d8a6d3589547f2c2fb36d9786470f1b9d6e"},
            {"1024", "75c46f6f3d9eb4f55ecaaee480db732e6c2105546f1e675003687c31719c7ba4"},
            {"1025", "357dc55de0c7e382c900fd6e320acc04146be01db6a8ce7210b7189bd664ea69"},
            {"2049", "9f29700902f7c86e514ddc4df1e3049f258b2472b6dd5267f61bf13983b78dd5"},
            {"4097", "00df940cd36bb9fa7cbbc3556744e0dbc8191401afe70520ba292ee3ca80abbc"},
            {"8193", "954a2a75420c8d6547e3ba5b98d963e6fa6491addc8c023189cc519821b4a1f5"},
            {"31744", "efa53b389ab67c593dba624d898d0f7353ab99e4ac9d42302ee64cbf9939a419"},
            {"102400", "1c35d1a5811083fd7119f5d5d1ba027b4d01c0c6c49fb6ff2cf75393ea5db4a7"},
        };
        for (String[] vector : vectors) {
            byte[] input = blake3Input(Integer.parseInt(vector[0]));
            assertEquals(vector[1], rawHex(Blake3Keyed.hash(ELVISH_KEY, input, 0, input.length)), vector[0]);
        }
    }

    @Test
    void blake3Keyed_incrementalAndReused_sameAsOneShot() {
        byte[] input = blake3Input(102400);
        Blake3Keyed hasher = new Blake3Keyed(ELVISH_KEY);
        for (int off = 0; off < input.length; off += 777) {
            hasher.update(input, off, Math.min(777, input.length - off));
        }
        MerkleHash first = hasher.finish();
        assertEquals(Blake3Keyed.hash(ELVISH_KEY, input, 0, input.length), first);
        assertEquals(first, hasher.update(input, 0, input.length).finish(), "finish resets to the same key");
    }

    @Test
    void chunkHash_helloWorld_matchesVector() {
        // Keyed BLAKE3 with DATA_KEY over "Hello World!". The vector comes from a third-party conformance test run
        // against xet-core's compute_data_hash; the keyed BLAKE3 under it is checked against the official vectors above.
        MerkleHash hash = XetHashes.chunkHash("Hello World!".getBytes(StandardCharsets.US_ASCII));
        assertEquals("a29cfb08e608d4d8726dd8659a90b9134b3240d5d8e42d5fcb28e2a6e763a3e8", rawHex(hash));
        assertEquals("d8d408e608fb9ca213b9909a65d86d725f2de4d8d540324be8a363e7a6e228cb", hash.hex());
    }

    @Test
    void chunkHash_incremental_sameAsOneShot() {
        byte[] data = blake3Input(70000);
        Blake3Keyed hasher = XetHashes.newChunkHasher();
        hasher.update(data, 0, 12345).update(data, 12345, data.length - 12345);
        assertEquals(XetHashes.chunkHash(data), hasher.finish());
        assertEquals(XetHashes.chunkHash(data, 100, 200), XetHashes.chunkHash(java.util.Arrays.copyOfRange(data, 100, 300)));
    }

    @Test
    void internalNodeHash_twoChildren_matchesVector() {
        // Same third-party conformance test as above (vec_internal_node), which formats "{hex} : {size}\n" lines
        // and hashes them with xet-core's compute_internal_node_hash.
        List<HashedChunk> children = List.of(
                new HashedChunk(MerkleHash.parse("c28f58387a60d4aa200c311cda7c7f77f686614864f5869eadebf765d0a14a69"), 100),
                new HashedChunk(MerkleHash.parse("6e4e3263e073ce2c0e78cc770c361e2778db3b054b98ab65e277fc084fa70f22"), 200));
        assertEquals("be64c7003ccd3cf4357364750e04c9592b3c36705dee76a71590c011766b6c14",
                XetHashes.internalNodeHash(children).hex());
    }

    @Test
    void verificationHash_twoChunks_matchesVector() {
        // Third-party conformance test (vec_verification_hash) run against xet-core's range_hash_from_chunks; the
        // inputs there are given as raw bytes, not in the string form.
        HexFormat hex = HexFormat.of();
        List<MerkleHash> chunks = List.of(
                MerkleHash.fromBytes(hex.parseHex("aad4607a38588fc2777f7cda1c310c209e86f564486186f6694aa1d065f7ebad")),
                MerkleHash.fromBytes(hex.parseHex("2cce73e063324e6e271e360c77cc780e65ab984b053bdb78220fa74f08fc77e2")));
        assertEquals("eb06a8ad81d588ac05d1d9a079232d9c1e7d0b07232fa58091caa7bf333a2768",
                XetHashes.verificationHash(chunks).hex());
    }

    @Test
    void hmac_matchesXetCoreWasm() {
        // compute_hmac of xet-core's hf_xet_thin_wasm (commit 861056a3, in @huggingface/hub 2.17.5).
        MerkleHash hello = MerkleHash.parse("d8d408e608fb9ca213b9909a65d86d725f2de4d8d540324be8a363e7a6e228cb");
        MerkleHash key = MerkleHash.parse("1234567812345678123456781234567812345678123456781234567812345678");
        assertEquals("35a4b3edc6b286ddb091cff52f741edeae05070951ee937d763b18e654bda61d", XetHashes.hmac(hello, key).hex());
        // With a zero key it is the file hash's last step: the one-chunk file "Hello World!".
        assertEquals(XetHashes.fileHash(List.of(new HashedChunk(hello, 12))), XetHashes.hmac(hello, MerkleHash.ZERO));
    }

    @Test
    void verificationHash_dependsOnOrder() {
        MerkleHash a = XetHashes.chunkHash(new byte[] {1});
        MerkleHash b = XetHashes.chunkHash(new byte[] {2});
        assertNotEquals(XetHashes.verificationHash(List.of(a, b)), XetHashes.verificationHash(List.of(b, a)));
    }

    @Test
    void xorbAndFileHash_xetCoreReferenceVectors_match() throws IOException {
        List<VectorCase> cases = loadAggregatedVectors();
        assertEquals(18, cases.size());
        int fileHashes = 0;
        for (VectorCase c : cases) {
            assertEquals(c.xorb, XetHashes.xorbHash(c.leaves), "xorb hash of " + c.leaves.size() + " leaves");
            for (String[] salted : c.files) {
                MerkleHash salt = MerkleHash.parse(salted[0]);
                MerkleHash expected = MerkleHash.parse(salted[1]);
                assertEquals(expected, XetHashes.fileHash(c.leaves, salt.toBytes()));
                if (salt.equals(MerkleHash.ZERO)) {
                    assertEquals(expected, XetHashes.fileHash(c.leaves));
                }
                fileHashes++;
            }
        }
        assertEquals(54, fileHashes);
    }

    @Test
    void xorbHash_edgeCases_followReference() {
        assertEquals(MerkleHash.ZERO, XetHashes.xorbHash(List.of()));
        assertEquals(MerkleHash.ZERO, XetHashes.fileHash(List.of()), "an empty file's id is all zeros");
        MerkleHash only = XetHashes.chunkHash(new byte[] {42});
        assertEquals(only, XetHashes.xorbHash(List.of(new HashedChunk(only, 1))), "one chunk: its own hash");
        assertNotEquals(only, XetHashes.fileHash(List.of(new HashedChunk(only, 1))));
    }

    @Test
    void xorbHash_sizesTakePart() {
        MerkleHash a = XetHashes.chunkHash(new byte[] {1});
        MerkleHash b = XetHashes.chunkHash(new byte[] {2});
        assertNotEquals(
                XetHashes.xorbHash(List.of(new HashedChunk(a, 1), new HashedChunk(b, 1))),
                XetHashes.xorbHash(List.of(new HashedChunk(a, 1), new HashedChunk(b, 2))));
    }

    @Test
    void groupLength_cutsAfterDivisibleHashFromThirdNode() {
        MerkleHash divisible = new MerkleHash(0, 0, 0, 8);
        MerkleHash notDivisible = new MerkleHash(0, 0, 0, 9);
        assertFalse(MerkleAggregation.endsGroup(notDivisible));
        // A divisible hash at position 0 or 1 does not end a group; at position 2 it does.
        List<HashedChunk> level = new ArrayList<>();
        for (MerkleHash h : List.of(divisible, divisible, divisible, notDivisible, notDivisible)) {
            level.add(new HashedChunk(h, 1));
        }
        assertEquals(3, MerkleAggregation.groupLength(level, 0));
        assertEquals(2, MerkleAggregation.groupLength(level, 3), "two or fewer left: take them whole");
        List<HashedChunk> noCuts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            noCuts.add(new HashedChunk(notDivisible, 1));
        }
        assertEquals(9, MerkleAggregation.groupLength(noCuts, 0), "at most 2 * 4 + 1 children");
        assertEquals(9, MerkleAggregation.groupLength(noCuts, 11), "the last 9 too");
    }

    private record VectorCase(List<HashedChunk> leaves, MerkleHash xorb, List<String[]> files) {}

    private static List<VectorCase> loadAggregatedVectors() throws IOException {
        List<VectorCase> cases = new ArrayList<>();
        try (InputStream in = XetHashesTest.class.getResourceAsStream("/dev/atrium/xet/xet-core-aggregated-hashes.txt")) {
            assertNotNull(in);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            List<HashedChunk> leaves = new ArrayList<>();
            List<String[]> files = new ArrayList<>();
            MerkleHash xorb = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "leaf" -> leaves.add(new HashedChunk(MerkleHash.parse(f[1]), Long.parseLong(f[2])));
                    case "xorb" -> xorb = MerkleHash.parse(f[1]);
                    case "file" -> files.add(new String[] {f[1], f[2]});
                    case "end" -> {
                        cases.add(new VectorCase(List.copyOf(leaves), xorb, List.copyOf(files)));
                        leaves.clear();
                        files.clear();
                    }
                    default -> { /* comment */ }
                }
            }
        }
        return cases;
    }
}
