package dev.atrium.xet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.atrium.xet.chunking.Chunker;
import dev.atrium.xet.chunking.FileHasher;
import dev.atrium.xet.hash.HashedChunk;
import dev.atrium.xet.hash.XetHashes;
import dev.atrium.xet.xorb.CompressionScheme;
import dev.atrium.xet.xorb.XorbIndex;
import dev.atrium.xet.xorb.XorbReader;
import dev.atrium.xet.xorb.XorbWriter;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks the whole pipeline (chunk, hash, build a xorb, read it back, file hash, verification hashes) against output
 * of xet-core's own code, compiled to WebAssembly (see the resource's header for how it was produced).
 */
class XetCoreConformanceTest {

    private record Expected(String input, List<HashedChunk> chunks, MerkleHash xorb, MerkleHash file,
            List<String[]> verifications) {}

    private static byte[] input(String name) {
        if (name.equals("hello")) {
            return "Hello World!".getBytes(StandardCharsets.US_ASCII);
        }
        if (name.equals("empty")) {
            return new byte[0];
        }
        String[] sizeSeed = name.substring("splitmix".length()).split("-");
        return TestInputs.splitMix64(Integer.parseInt(sizeSeed[0]), Long.parseLong(sizeSeed[1]));
    }

    @Test
    void pipeline_matchesXetCoreWasmOutput() throws Exception {
        List<Expected> cases = load();
        assertEquals(4, cases.size());
        for (Expected expected : cases) {
            byte[] data = input(expected.input);
            FileHasher.FileDigest digest = FileHasher.hash(new ByteArrayInputStream(data));
            assertEquals(expected.chunks, digest.chunks(), expected.input + ": chunks");
            assertEquals(expected.file, digest.fileHash(), expected.input + ": file hash");
            for (String[] v : expected.verifications) {
                List<MerkleHash> hashes = digest.chunks().subList(Integer.parseInt(v[0]), Integer.parseInt(v[1]))
                        .stream().map(HashedChunk::hash).toList();
                assertEquals(MerkleHash.parse(v[2]), XetHashes.verificationHash(hashes), expected.input + ": verify");
            }
            if (expected.chunks.isEmpty()) {
                continue;
            }
            assertEquals(expected.xorb, XetHashes.xorbHash(digest.chunks()), expected.input + ": xorb hash");
            // The same chunks as one xorb, through the writer and the reader the CAS upload uses.
            List<byte[]> chunkData = new ArrayList<>();
            Chunker.chunk(new ByteArrayInputStream(data), c -> chunkData.add(c.data()));
            byte[] xorb = XorbWriter.serialize(chunkData, CompressionScheme.LZ4, false).bytes();
            XorbIndex index = new XorbReader().read(new ByteArrayInputStream(xorb), null, expected.xorb).index();
            for (String[] v : expected.verifications) {
                assertEquals(MerkleHash.parse(v[2]), index.verificationHash(Integer.parseInt(v[0]),
                        Integer.parseInt(v[1])));
            }
        }
    }

    @Test
    void read_xorbAsHuggingfaceJsSerializesIt_accepted() throws Exception {
        // A xorb serialized the way huggingface.js uploads one (@huggingface/hub 2.17.5, createXorbs.ts writeChunk:
        // its vendored lz4js, frames without the block-independence flag, the smaller of LZ4 and byte-grouped LZ4,
        // raw when neither shrinks the chunk), over 250,000 bytes of text, floats and SplitMix64 data chunked by the
        // xet-core wasm chunker. The expected hash is xet-core wasm's compute_xorb_hash of those chunks.
        byte[] xorb;
        try (InputStream in = XetCoreConformanceTest.class.getResourceAsStream("/dev/atrium/xet/huggingface-js.xorb")) {
            assertNotNull(in);
            xorb = in.readAllBytes();
        }
        MerkleHash expected = MerkleHash.parse("805b24c34f66a2530203531d9bb299be6006136ad231c4706fa8cdeada27e081");
        XorbIndex index = new XorbReader().read(new ByteArrayInputStream(xorb), null, expected).index();
        assertEquals(5, index.chunkCount());
        assertEquals(250_000, index.unpackedLength());
        int[] schemes = new int[3];
        for (int i = 0; i < index.chunkCount(); i++) {
            schemes[xorb[index.chunk(i).serializedStart() + 4]]++;
        }
        assertEquals(List.of(3, 1, 1), List.of(schemes[0], schemes[1], schemes[2]), "none, LZ4, byte-grouped LZ4");
    }

    private static List<Expected> load() throws IOException {
        List<Expected> cases = new ArrayList<>();
        try (InputStream in = XetCoreConformanceTest.class.getResourceAsStream(
                "/dev/atrium/xet/xet-core-wasm-vectors.txt")) {
            assertNotNull(in);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            String name = null;
            List<HashedChunk> chunks = new ArrayList<>();
            List<String[]> verifications = new ArrayList<>();
            MerkleHash xorb = null;
            MerkleHash file = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] f = line.split(" ");
                switch (f[0]) {
                    case "input" -> name = f[1];
                    case "chunk" -> chunks.add(new HashedChunk(MerkleHash.parse(f[1]), Long.parseLong(f[2])));
                    case "xorb" -> xorb = MerkleHash.parse(f[1]);
                    case "file" -> file = MerkleHash.parse(f[1]);
                    case "verify" -> verifications.add(new String[] {f[1], f[2], f[3]});
                    case "end" -> {
                        cases.add(new Expected(name, List.copyOf(chunks), xorb, file, List.copyOf(verifications)));
                        chunks.clear();
                        verifications.clear();
                        xorb = null;
                    }
                    default -> { /* comment */ }
                }
            }
        }
        return cases;
    }
}
