package dev.atrium.lfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BatchRequestTest {
    private static final String OID = "a".repeat(64);

    @Test
    void parse_pythonUpload_readsObjectsAndBareRef() {
        BatchRequest request = BatchRequest.parse(json("""
                {"operation": "upload", "transfers": ["basic", "multipart"], "hash_algo": "sha256",
                 "objects": [{"oid": "%s", "size": 123}], "ref": {"name": "main"}}""".formatted(OID)));

        assertEquals(BatchRequest.Operation.UPLOAD, request.operation());
        assertEquals(1, request.objects().size());
        assertEquals(new BatchRequest.ObjectSpec(OID, 123), request.objects().get(0));
        assertNotNull(request.objects().get(0).sha256());
        assertEquals("refs/heads/main", request.ref());
    }

    @Test
    void parse_gitLfsDownload_keepsQualifiedRef() {
        BatchRequest request = BatchRequest.parse(json("""
                {"operation": "download", "objects": [{"oid": "%s", "size": 0}],
                 "ref": {"name": "refs/heads/feature/x"}}""".formatted(OID)));

        assertEquals(BatchRequest.Operation.DOWNLOAD, request.operation());
        assertEquals("refs/heads/feature/x", request.ref());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"sha256\"", "\"sha_256\"", "\"SHA256\"", "null"})
    void parse_sha256Spellings_areAccepted(String algo) {
        BatchRequest request = BatchRequest.parse(json(
                "{\"operation\": \"upload\", \"hash_algo\": " + algo + ", \"objects\": []}"));

        assertEquals(0, request.objects().size());
        assertNull(request.ref());
    }

    @Test
    void parse_otherHashAlgorithm_isConflict() {
        assertThrows(Errors.Conflict.class, () -> BatchRequest.parse(json(
                "{\"operation\": \"upload\", \"hash_algo\": \"sha512\", \"objects\": []}")));
    }

    @Test
    void parse_unknownOperation_isUnprocessable() {
        assertThrows(Errors.Unprocessable.class, () -> BatchRequest.parse(json(
                "{\"operation\": \"delete\", \"objects\": []}")));
    }

    @Test
    void parse_missingObjects_isUnprocessable() {
        assertThrows(Errors.Unprocessable.class, () -> BatchRequest.parse(json("{\"operation\": \"upload\"}")));
    }

    @Test
    void parse_malformedObjects_areKeptForPerObjectErrors() {
        BatchRequest request = BatchRequest.parse(json("""
                {"operation": "upload", "objects": [{"oid": "xyz", "size": 1}, {"oid": "%s", "size": -4},
                 {"oid": "%s", "size": "12"}, {"size": 3}]}""".formatted(OID, OID.toUpperCase())));

        assertEquals(4, request.objects().size());
        assertNull(request.objects().get(0).sha256());
        assertEquals(-1, request.objects().get(1).size());
        assertNull(request.objects().get(2).sha256(), "upper-case oids are not canonical");
        assertEquals(-1, request.objects().get(2).size());
        assertEquals("", request.objects().get(3).oid());
    }

    @Test
    void parse_tooManyObjects_isUnprocessable() {
        StringBuilder objects = new StringBuilder();
        for (int i = 0; i <= BatchRequest.MAX_OBJECTS; i++) {
            objects.append(i == 0 ? "" : ",").append("{\"oid\": \"").append(OID).append("\", \"size\": 1}");
        }
        assertThrows(Errors.Unprocessable.class, () -> BatchRequest.parse(json(
                "{\"operation\": \"upload\", \"objects\": [" + objects + "]}")));
    }

    private static JsonNode json(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
