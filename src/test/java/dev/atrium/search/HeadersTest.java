package dev.atrium.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Safetensors and GGUF headers built byte by byte, as the formats define them, then read back. */
class HeadersTest {
    static byte[] safetensors(String json, int dataBytes) {
        byte[] header = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(header.length).put(header);
        return out.array();
    }

    static HeaderReader reader(byte[] file) {
        return (offset, length) -> Arrays.copyOfRange(file, (int) Math.min(offset, file.length),
                (int) Math.min(file.length, offset + length));
    }

    @Test
    void safetensors_countsParametersByDtype() throws Exception {
        byte[] file = safetensors("""
                {"__metadata__": {"format": "pt"},
                 "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
                 "b": {"dtype": "BF16", "shape": [4], "data_offsets": [24, 32]},
                 "c": {"dtype": "F32", "shape": [], "data_offsets": [32, 36]}}""", 36);
        assertEquals(Map.of("F32", 7L, "BF16", 4L), Safetensors.parameters(reader(file)));
    }

    @Test
    void safetensors_malformed_isReportedNotThrownAsAnythingElse() {
        byte[] good = safetensors("{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [0, 8]}}", 8);
        assertTrue(assertThrows(MalformedHeaderException.class,
                () -> Safetensors.parameters(reader(Arrays.copyOf(good, 20)))).getMessage().contains("truncated"));
        assertThrows(MalformedHeaderException.class, () -> Safetensors.parameters(reader(new byte[3])));
        assertThrows(MalformedHeaderException.class, () -> Safetensors.parameters(reader(safetensors("[1]", 0))));
        assertThrows(MalformedHeaderException.class, () -> Safetensors.parameters(reader(safetensors("{oops", 0))));
        byte[] huge = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE).array();
        assertThrows(MalformedHeaderException.class, () -> Safetensors.parameters(reader(huge)));
        assertThrows(MalformedHeaderException.class, () -> Safetensors.parameters(reader(safetensors(
                "{\"a\": {\"dtype\": \"F32\", \"shape\": [4294967296, 4294967296]}}", 0))));
    }

    /** A GGUF v3 file: magic, version, counts, metadata, tensor infos. */
    static byte[] gguf(boolean withVocabulary) {
        Writer w = new Writer();
        w.i32(0x46554747).i32(3).i64(2).i64(withVocabulary ? 3 : 2);
        w.string("general.architecture").i32(8).string("llama");
        w.string("llama.context_length").i32(4).i32(4096);
        if (withVocabulary) {
            w.string("tokenizer.ggml.tokens").i32(9).i32(8).i64(3).string("a").string("b").string("c");
        }
        w.string("tok_embeddings.weight").i32(2).i64(4096).i64(32000).i32(1).i64(0);
        w.string("output_norm.weight").i32(1).i64(4096).i32(0).i64(0);
        return w.bytes();
    }

    @Test
    void gguf_readsArchitectureContextAndParameters() throws Exception {
        for (boolean vocabulary : new boolean[] {false, true}) {
            Gguf.Info info = Gguf.read(reader(gguf(vocabulary)));
            assertEquals(new Gguf.Info("llama", 4096, 4096L * 32000 + 4096), info);
        }
    }

    @Test
    void gguf_malformed_isReported() {
        byte[] file = gguf(true);
        assertThrows(MalformedHeaderException.class, () -> Gguf.read(reader(Arrays.copyOf(file, file.length - 5))));
        byte[] wrongMagic = file.clone();
        wrongMagic[0] = 'X';
        assertThrows(MalformedHeaderException.class, () -> Gguf.read(reader(wrongMagic)));
        assertThrows(MalformedHeaderException.class, () -> Gguf.read(reader(new byte[0])));
    }

    @Test
    void downloadCounter_countsTheQueryFilesOnly() {
        assertTrue(DownloadCounter.counts(dev.atrium.repo.RepoType.MODEL, "config.json"));
        assertTrue(!DownloadCounter.counts(dev.atrium.repo.RepoType.MODEL, "model.safetensors"));
        assertTrue(DownloadCounter.counts(dev.atrium.repo.RepoType.DATASET, "data/train.csv"));
        assertTrue(!DownloadCounter.counts(dev.atrium.repo.RepoType.DATASET, "README.md"));
    }

    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Writer i32(int v) {
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
            return this;
        }

        Writer i64(long v) {
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
            return this;
        }

        Writer string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            i64(b.length);
            out.writeBytes(b);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
