package dev.atrium.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.repo.InvalidPathException;
import dev.atrium.repo.RepoType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitialFilesTest {

    private static JsonNode body(String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void of_base64Files_areDecodedInOrder() throws Exception {
        Map<String, byte[]> files = InitialFiles.of(body("{\"files\": [{\"path\": \".gitattributes\", \"encoding\":"
                + " \"base64\", \"content\": \"" + b64("*.html filter=lfs diff=lfs merge=lfs -text") + "\"},"
                + " {\"path\": \"docs/a.txt\", \"encoding\": \"base64\", \"content\": \"" + b64("a") + "\"}]}"),
                RepoType.MODEL);
        assertEquals(List.of(".gitattributes", "docs/a.txt"), List.copyOf(files.keySet()));
        assertArrayEquals("a".getBytes(StandardCharsets.UTF_8), files.get("docs/a.txt"));
        assertTrue(InitialFiles.of(body("{\"name\": \"x\"}"), RepoType.MODEL).isEmpty());
    }

    @Test
    void of_fileTheAttributesSendToLfs_isRefused() throws Exception {
        // The default .gitattributes sends *.bin to LFS; a given one replaces it.
        Errors.BadRequest e = assertThrows(Errors.BadRequest.class, () -> InitialFiles.of(body(
                "{\"files\": [{\"path\": \"model.bin\", \"encoding\": \"base64\", \"content\": \"" + b64("x")
                        + "\"}]}"), RepoType.MODEL));
        assertTrue(e.getMessage().contains("model.bin belongs in LFS"), e.getMessage());
        assertEquals(1, InitialFiles.of(body("{\"files\": [{\"path\": \".gitattributes\", \"content\": \"\"},"
                + " {\"path\": \"page.html\", \"content\": \"<p>hi</p>\"}, {\"path\": \"model.bin\", \"content\":"
                + " \"x\"}]}"), RepoType.MODEL).get("model.bin").length);
        assertThrows(Errors.BadRequest.class, () -> InitialFiles.of(body("{\"files\": [{\"path\": \".gitattributes\","
                + " \"content\": \"*.html filter=lfs diff=lfs merge=lfs -text\"}, {\"path\": \"page.html\","
                + " \"content\": \"<p>hi</p>\"}]}"), RepoType.MODEL));
    }

    @Test
    void of_badInput_isRefused() throws Exception {
        assertThrows(Errors.BadRequest.class, () -> InitialFiles.of(body(
                "{\"files\": [{\"path\": \"a.txt\", \"encoding\": \"base64\", \"content\": \"!!\"}]}"),
                RepoType.MODEL));
        assertThrows(Errors.BadRequest.class, () -> InitialFiles.of(body(
                "{\"files\": [{\"path\": \"a.txt\", \"content\": \"1\"}, {\"path\": \"a.txt\", \"content\": \"2\"}]}"),
                RepoType.MODEL));
        assertThrows(InvalidPathException.class, () -> InitialFiles.of(body(
                "{\"files\": [{\"path\": \"../a.txt\", \"content\": \"1\"}]}"), RepoType.MODEL));
        assertThrows(Errors.BadRequest.class, () -> InitialFiles.of(body(
                "{\"files\": [{\"path\": \"a.txt\", \"content\": \"" + "x".repeat(InitialFiles.MAX_BYTES + 1)
                        + "\"}]}"), RepoType.MODEL));
        Errors.BadRequest e = assertThrows(Errors.BadRequest.class, () -> InitialFiles.of(body(
                "{\"files\": [{\"path\": \"README.md\", \"content\": \"---\\nmodel-index: foo\\n---\\n\"}]}"),
                RepoType.MODEL));
        assertTrue(e.getMessage().startsWith("Invalid metadata in README.md"), e.getMessage());
    }
}
