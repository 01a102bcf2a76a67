package dev.atrium.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepoPathTest {

    @Test
    void normalize_plainPath_isUnchanged() {
        assertEquals("config.json", RepoPath.normalize("config.json"));
        assertEquals("sub/dir/model.safetensors", RepoPath.normalize("sub/dir/model.safetensors"));
    }

    @Test
    void normalize_leadingSlash_isStripped() {
        assertEquals("abs", RepoPath.normalize("/abs"));
        assertEquals("abs/x", RepoPath.normalize("//abs/x"));
    }

    @Test
    void normalize_leadingDotSlash_isStripped() {
        assertEquals("a", RepoPath.normalize("./a"));
        assertEquals("a/b", RepoPath.normalize("././a/b"));
        assertEquals("a", RepoPath.normalize("/./a"));
    }

    @Test
    void normalize_unicodeAndSpaces_areAccepted() {
        assertEquals("données/é t.txt", RepoPath.normalize("données/é t.txt"));
        assertEquals("my file.txt", RepoPath.normalize("my file.txt"));
        assertEquals("日本語/モデル.bin", RepoPath.normalize("日本語/モデル.bin"));
    }

    @Test
    void normalize_dotfilesThatAreNotGitsOwn_areAccepted() {
        assertEquals(".gitattributes", RepoPath.normalize(".gitattributes"));
        assertEquals(".github/workflows/ci.yml", RepoPath.normalize(".github/workflows/ci.yml"));
        assertEquals("x.git/y", RepoPath.normalize("x.git/y"));
        assertEquals("..hidden", RepoPath.normalize("..hidden"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../../b", "a/..", "..", "./../x", "a/./b", "."})
    void normalize_dotOrDotDotSegment_throwsInvalidPath(String path) {
        InvalidPathException e = assertThrows(InvalidPathException.class, () -> RepoPath.normalize(path));
        assertTrue(e.getMessage().contains("'.' or '..'"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {".git/config", ".git", "x/.git/config", "/.git/HEAD", "x/.cache/y", ".cache/huggingface/x"})
    void normalize_gitOrCacheSegment_throwsInvalidPath(String path) {
        InvalidPathException e = assertThrows(InvalidPathException.class, () -> RepoPath.normalize(path));
        assertTrue(e.getMessage().contains("segment"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {".GIT/config", "x/.Git", "git~1/config", ".git./x", ".git /x"})
    void validate_caseOrNtfsVariantOfDotGit_isRejected(String path) {
        assertTrue(RepoPath.validate(path).isPresent(), "accepted: " + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a//b", "a/b//c"})
    void normalize_emptySegment_throwsInvalidPath(String path) {
        InvalidPathException e = assertThrows(InvalidPathException.class, () -> RepoPath.normalize(path));
        assertTrue(e.getMessage().contains("empty segment"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/", "a/b/"})
    void normalize_trailingSlash_throwsInvalidPath(String path) {
        InvalidPathException e = assertThrows(InvalidPathException.class, () -> RepoPath.normalize(path));
        assertTrue(e.getMessage().contains("folder"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "a\\b", "a\tb", "a\nb", "a\rb", "a\u001fb", "a\u007fb"})
    void normalize_nulBackslashOrControlChar_throwsInvalidPath(String path) {
        assertThrows(InvalidPathException.class, () -> RepoPath.normalize(path));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "./", "//", "/./"})
    void normalize_emptyAfterStripping_throwsInvalidPath(String path) {
        InvalidPathException e = assertThrows(InvalidPathException.class, () -> RepoPath.normalize(path));
        assertEquals("path is empty", e.getMessage());
    }

    @Test
    void normalize_null_throwsInvalidPath() {
        assertThrows(InvalidPathException.class, () -> RepoPath.normalize(null));
    }

    @Test
    void normalize_longerThan4096_throwsInvalidPath() {
        assertEquals(4096, RepoPath.normalize("a".repeat(4096)).length());
        assertThrows(InvalidPathException.class, () -> RepoPath.normalize("a".repeat(4097)));
    }

    @Test
    void validate_validPath_isEmpty() {
        assertEquals(Optional.empty(), RepoPath.validate("/a/b.txt"));
    }

    @Test
    void validate_invalidPath_explainsWhyWithoutThrowing() {
        Optional<String> problem = RepoPath.validate("../secret");
        assertTrue(problem.isPresent());
        assertTrue(problem.get().contains("../secret"), problem.get());
    }

    @Test
    void normalizeFolder_emptyNullOrSlash_isRoot() {
        assertEquals("", RepoPath.normalizeFolder(""));
        assertEquals("", RepoPath.normalizeFolder(null));
        assertEquals("", RepoPath.normalizeFolder("/"));
        assertEquals("", RepoPath.normalizeFolder("./"));
    }

    @Test
    void normalizeFolder_trailingSlashes_areStripped() {
        assertEquals("a/b", RepoPath.normalizeFolder("a/b/"));
        assertEquals("a/b", RepoPath.normalizeFolder("a/b//"));
        assertEquals("a", RepoPath.normalizeFolder("/a/"));
        assertEquals("a", RepoPath.normalizeFolder("./a/"));
        assertEquals("a", RepoPath.normalizeFolder("a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x/", "a/../../b/", ".git/", "x/.cache/", "a//b/"})
    void normalizeFolder_unsafeFolder_throwsInvalidPath(String path) {
        assertThrows(InvalidPathException.class, () -> RepoPath.normalizeFolder(path));
    }
}
