package dev.atrium.commit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class UploadModesTest {
    private static final long MIB = 1024 * 1024;
    private static final long INLINE_LIMIT = 100_000_000L;
    private static final long GIT_BLOB_LIMIT = 10 * MIB;
    private static final String TEXT_SAMPLE = b64("{\"architectures\": [\"BertModel\"]}");
    private static final String BINARY_SAMPLE = Base64.getEncoder().encodeToString(new byte[] {'P', 'K', 3, 4, 0, 0});

    private final UploadModes modes = new UploadModes(INLINE_LIMIT, GIT_BLOB_LIMIT);
    private final LfsRules binRules = LfsRules.parse("*.bin filter=lfs diff=lfs merge=lfs -text\n");

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void useLfs_aboveInlineLimit_isLfs() {
        assertTrue(modes.useLfs("data.json", INLINE_LIMIT + 1, TEXT_SAMPLE, binRules));
    }

    @Test
    void useLfs_jsClientAboveGitBlobLimit_isLfs() {
        assertTrue(modes.useLfs("data.json", GIT_BLOB_LIMIT + 1, TEXT_SAMPLE, binRules));
    }

    @Test
    void useLfs_jsClientSmallTextNotRouted_isRegular() {
        assertFalse(modes.useLfs("config.json", 1234, TEXT_SAMPLE, binRules));
        assertFalse(modes.useLfs("data.json", GIT_BLOB_LIMIT, TEXT_SAMPLE, binRules));
    }

    @Test
    void useLfs_jsClientBinarySample_isLfs() {
        assertTrue(modes.useLfs("archive.dat", 100, BINARY_SAMPLE, binRules));
    }

    @Test
    void useLfs_jsClientGitattributesMatch_isLfs() {
        assertTrue(modes.useLfs("weights/model.bin", 10, TEXT_SAMPLE, binRules));
    }

    @Test
    void useLfs_lfsPathOrPlainText_followsHubRules() {
        assertTrue(modes.useLfs("model.bin", 10, TEXT_SAMPLE, binRules));
        assertFalse(modes.useLfs("a.txt", 10, TEXT_SAMPLE, binRules));
    }

    @Test
    void useLfs_missingOrInvalidSample_isNotBinary() {
        assertFalse(modes.useLfs("a.dat", 10, null, binRules));
        assertFalse(modes.useLfs("a.dat", 10, "", binRules));
        assertFalse(modes.useLfs("a.dat", 10, "!!not base64!!", binRules));
    }

    @Test
    void useLfs_emptyFile_isAlwaysRegular() {
        assertFalse(modes.useLfs("model.bin", 0, BINARY_SAMPLE, binRules));
        assertFalse(modes.useLfs("model.bin", 0, BINARY_SAMPLE, binRules));
        assertFalse(new UploadModes(0, 0).useLfs("model.bin", 0, BINARY_SAMPLE, binRules));
    }

    @Test
    void looksBinary_nulAnywhereInSample_isTrue() {
        assertTrue(UploadModes.looksBinary(Base64.getEncoder().encodeToString(new byte[] {'a', 'b', 'c', 0})));
        assertFalse(UploadModes.looksBinary(b64("plain text, é and emoji 🙂")));
    }
}
