package dev.atrium.repo;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepoIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "9", "bert-base-uncased", "Llama_3.1-8B", "a.b-c_d", "_private", "a-.b", "a.-b",
            "gitlike.gi", "x.gitx"})
    void constructor_validName_isAccepted(String name) {
        RepoId id = new RepoId("alice", name);
        assertEquals(name, id.name());
        assertEquals("alice", id.namespace());
    }

    @Test
    void constructor_96Characters_isAccepted() {
        String name = "a".repeat(96);
        assertEquals(name, new RepoId("alice", name).name());
        assertEquals(name, new RepoId(name, "x").namespace());
    }

    @Test
    void constructor_97Characters_throwsInvalidRepoId() {
        assertThrows(InvalidRepoIdException.class, () -> new RepoId("alice", "a".repeat(97)));
        assertThrows(InvalidRepoIdException.class, () -> new RepoId("a".repeat(97), "x"));
    }

    @Test
    void constructor_emptyOrNullSegment_throwsInvalidRepoId() {
        assertThrows(InvalidRepoIdException.class, () -> new RepoId("alice", ""));
        assertThrows(InvalidRepoIdException.class, () -> new RepoId("", "model"));
        assertThrows(InvalidRepoIdException.class, () -> new RepoId(null, "model"));
        assertThrows(InvalidRepoIdException.class, () -> new RepoId("alice", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a/b", "a@b", "a+b", "modèle", "a:b", "a\u0000b", "a~b"})
    void constructor_forbiddenCharacter_throwsInvalidRepoId(String name) {
        assertThrows(InvalidRepoIdException.class, () -> new RepoId("alice", name));
        assertThrows(InvalidRepoIdException.class, () -> new RepoId(name, "model"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-a", "a-", ".a", "a.", "-", "."})
    void constructor_leadingOrTrailingDashOrDot_throwsInvalidRepoId(String name) {
        InvalidRepoIdException e = assertThrows(InvalidRepoIdException.class, () -> new RepoId("alice", name));
        assertTrue(e.getMessage().contains("start or end"), e.getMessage());
        assertThrows(InvalidRepoIdException.class, () -> new RepoId(name, "model"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a--b", "a..b", "a---b"})
    void constructor_doubleDashOrDoubleDot_throwsInvalidRepoId(String name) {
        InvalidRepoIdException e = assertThrows(InvalidRepoIdException.class, () -> new RepoId("alice", name));
        assertTrue(e.getMessage().contains("'--' and '..'"), e.getMessage());
        assertThrows(InvalidRepoIdException.class, () -> new RepoId(name, "model"));
    }

    @Test
    void constructor_gitSuffix_throwsInvalidRepoId() {
        InvalidRepoIdException e = assertThrows(InvalidRepoIdException.class, () -> new RepoId("alice", "model.git"));
        assertTrue(e.getMessage().contains(".git"), e.getMessage());
        assertThrows(InvalidRepoIdException.class, () -> new RepoId("ns.git", "model"));
    }

    @Test
    void parse_oneSlash_splitsNamespaceAndName() {
        RepoId id = RepoId.parse("alice/bert-base");
        assertEquals(new RepoId("alice", "bert-base"), id);
        assertEquals("alice/bert-base", id.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"bert", "a/b/c", "a//b", "/b", "a/", "/", ""})
    void parse_notExactlyOneSlashBetweenTwoSegments_throwsInvalidRepoId(String id) {
        assertThrows(InvalidRepoIdException.class, () -> RepoId.parse(id));
    }

    @Test
    void parse_invalidSegment_throwsInvalidRepoId() {
        assertThrows(InvalidRepoIdException.class, () -> RepoId.parse("alice/x--y"));
        assertThrows(InvalidRepoIdException.class, () -> RepoId.parse("-alice/x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"api", "datasets", "spaces", "models", "organizations", "settings", "login", "new",
            "admin", "huggingface", "API", "Datasets"})
    void isReservedNamespace_topLevelRouteInAnyCase_isTrue(String namespace) {
        assertTrue(RepoId.isReservedNamespace(namespace));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "apis", "my-datasets", "openai", "meta-llama"})
    void isReservedNamespace_ordinaryName_isFalse(String namespace) {
        assertFalse(RepoId.isReservedNamespace(namespace));
    }

    @Test
    void constructor_reservedNamespace_isStillAWellFormedId() {
        // The reservation is enforced where repos are created (RepoService), not by the value type.
        assertDoesNotThrow(() -> RepoId.parse("api/x"));
    }
}
