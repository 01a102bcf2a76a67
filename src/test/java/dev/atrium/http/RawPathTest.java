package dev.atrium.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RawPathTest {

    private static RawPath.RevisionAndPath split(String rawTail) {
        return RawPath.revisionAndPath(RawPath.segments(rawTail));
    }

    @Test
    void segments_leadingSlash_isDroppedAndEncodedSlashesKept() {
        assertEquals(List.of("api", "models", "a", "b", "tree", "refs%2Fpr%2F1"),
                RawPath.segments("/api/models/a/b/tree/refs%2Fpr%2F1"));
    }

    @Test
    void segments_emptyOrRoot_isEmpty() {
        assertEquals(List.of(), RawPath.segments(""));
        assertEquals(List.of(), RawPath.segments("/"));
    }

    @Test
    void segments_trailingSlash_keepsEmptyLastSegment() {
        assertEquals(List.of("a", ""), RawPath.segments("/a/"));
    }

    @Test
    void revisionAndPath_rawPullRequestRef_takesThreeSegments() {
        assertEquals(new RawPath.RevisionAndPath("refs/pr/1", "a/b"), split("refs/pr/1/a/b"));
    }

    @Test
    void revisionAndPath_encodedPullRequestRefAndPath_areDecoded() {
        assertEquals(new RawPath.RevisionAndPath("refs/pr/1", "a/b"), split("refs%2Fpr%2F1/a%2Fb"));
    }

    @Test
    void revisionAndPath_lowercaseEncodedSlash_isDecoded() {
        assertEquals(new RawPath.RevisionAndPath("refs/pr/12", "x"), split("refs%2fpr%2f12/x"));
    }

    @Test
    void revisionAndPath_encodedSpaceInPath_isDecoded() {
        assertEquals(new RawPath.RevisionAndPath("main", "a b.txt"), split("main/a%20b.txt"));
    }

    @Test
    void revisionAndPath_convertRef_takesThreeSegments() {
        assertEquals(new RawPath.RevisionAndPath("refs/convert/parquet", "x"), split("refs/convert/parquet/x"));
        assertEquals(new RawPath.RevisionAndPath("refs/convert/duckdb", "default/train/0.duckdb"),
                split("refs/convert/duckdb/default/train/0.duckdb"));
    }

    @Test
    void revisionAndPath_refsWithoutPrNumber_takesOneSegment() {
        assertEquals(new RawPath.RevisionAndPath("refs", "pr/abc/x"), split("refs/pr/abc/x"));
    }

    @Test
    void revisionAndPath_plus_staysPlus() {
        assertEquals(new RawPath.RevisionAndPath("main", "a+b.txt"), split("main/a+b.txt"));
        assertEquals(new RawPath.RevisionAndPath("v1+local", "c++/x"), split("v1+local/c++/x"));
    }

    @Test
    void revisionAndPath_encodedPlus_isPlus() {
        assertEquals(new RawPath.RevisionAndPath("main", "a+b"), split("main/a%2Bb"));
    }

    @Test
    void revisionAndPath_utf8PercentEncoding_isDecoded() {
        assertEquals(new RawPath.RevisionAndPath("main", "données/é.txt"), split("main/donn%C3%A9es/%C3%A9.txt"));
    }

    @Test
    void revisionAndPath_revisionOnly_hasEmptyPath() {
        assertEquals(new RawPath.RevisionAndPath("main", ""), split("main"));
        assertEquals(new RawPath.RevisionAndPath("refs/pr/3", ""), split("refs/pr/3"));
    }

    @Test
    void revisionAndPath_malformedPercentEncoding_throwsBadRequest() {
        Errors.BadRequest e = assertThrows(Errors.BadRequest.class, () -> split("main/a%zzb"));
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains("a%zzb"), e.getMessage());
    }

    @Test
    void revisionAndPath_truncatedPercentEncoding_throwsBadRequest() {
        assertThrows(Errors.BadRequest.class, () -> split("main/a%2"));
        assertThrows(Errors.BadRequest.class, () -> split("ma%zzin/x"));
    }

    @Test
    void revisionAndPath_noRevision_throwsBadRequest() {
        assertThrows(Errors.BadRequest.class, () -> RawPath.revisionAndPath(List.of()));
        assertThrows(Errors.BadRequest.class, () -> RawPath.revisionAndPath(List.of("", "x")));
    }

    @Test
    void decode_plusAndEncodedSlash_decodeLiterally() {
        assertEquals("a+b/c", RawPath.decode("a+b%2Fc"));
    }
}
