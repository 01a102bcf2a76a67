package dev.atrium.repo;

import static dev.atrium.repo.TestGit.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.http.Errors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RevisionsTest {
    @TempDir
    Path dir;
    private TestGit git;
    private RevCommit first;
    private RevCommit main;

    @BeforeEach
    void init() throws IOException {
        git = TestGit.init(dir);
        first = git.commit("main", files("a.txt", "1"));
        main = git.commit("main", files("b.txt", "2"));
    }

    @AfterEach
    void close() {
        git.close();
    }

    @Test
    void resolve_branchName_isItsHeadAndRefName() throws IOException {
        Revisions.Resolved resolved = Revisions.resolve(git.repo, "main");
        assertEquals(main, resolved.commit());
        assertEquals("refs/heads/main", resolved.refName());
        assertEquals(main.name(), resolved.sha());
    }

    @Test
    void resolve_fullRefName_isThatRef() throws IOException {
        assertEquals(main, Revisions.resolve(git.repo, "refs/heads/main").commit());
    }

    @Test
    void resolve_head_isMainBranch() throws IOException {
        Revisions.Resolved resolved = Revisions.resolve(git.repo, "HEAD");
        assertEquals(main, resolved.commit());
        assertEquals("refs/heads/main", resolved.refName());
    }

    @Test
    void resolve_lightweightTag_isItsCommit() throws IOException {
        git.setRef("refs/tags/v0", first);
        Revisions.Resolved resolved = Revisions.resolve(git.repo, "v0");
        assertEquals(first, resolved.commit());
        assertEquals("refs/tags/v0", resolved.refName());
    }

    @Test
    void resolve_annotatedTag_isPeeledToItsCommit() throws IOException {
        ObjectId tagObject = git.annotatedTag("v1.0", first);
        Revisions.Resolved resolved = Revisions.resolve(git.repo, "v1.0");
        assertEquals(first, resolved.commit());
        assertEquals(first.name(), resolved.sha());
        assertTrue(!tagObject.equals(resolved.commit().getId()));
        assertEquals("refs/tags/v1.0", resolved.refName());
        assertEquals(first, Revisions.resolve(git.repo, "refs/tags/v1.0").commit());
    }

    @Test
    void resolve_branchAndTagWithSameName_prefersBranch() throws IOException {
        git.setRef("refs/tags/main", first);
        assertEquals(main, Revisions.resolve(git.repo, "main").commit());
    }

    @Test
    void resolve_fullShaLowerOrUpperCase_isThatCommitWithoutRef() throws IOException {
        Revisions.Resolved lower = Revisions.resolve(git.repo, first.name());
        assertEquals(first, lower.commit());
        assertNull(lower.refName());
        assertEquals(first, Revisions.resolve(git.repo, first.name().toUpperCase(Locale.ROOT)).commit());
    }

    @Test
    void resolve_pullRequestRef_isItsCommit() throws IOException {
        git.setRef("refs/pr/1", first);
        Revisions.Resolved resolved = Revisions.resolve(git.repo, "refs/pr/1");
        assertEquals(first, resolved.commit());
        assertEquals("refs/pr/1", resolved.refName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "refs/heads/nope", "refs/pr/9", "", "main..dev", "/main", "HEAD~1", "main^"})
    void resolve_unknownRevision_throwsRevisionNotFound(String revision) {
        Errors.RevisionNotFound e = assertThrows(Errors.RevisionNotFound.class,
                () -> Revisions.resolve(git.repo, revision));
        assertEquals(404, e.status());
        assertEquals("RevisionNotFound", e.errorCode());
    }

    @Test
    void resolve_abbreviatedSha_isThatCommitWithoutRef() throws IOException {
        Revisions.Resolved resolved = Revisions.resolve(git.repo, first.name().substring(0, 7));
        assertEquals(first, resolved.commit());
        assertNull(resolved.refName());
        assertEquals(main, Revisions.resolve(git.repo, main.name().substring(0, 12).toUpperCase(Locale.ROOT)).commit());
    }

    @Test
    void resolve_abbreviationShorterThanSeven_throwsRevisionNotFound() {
        assertThrows(Errors.RevisionNotFound.class, () -> Revisions.resolve(git.repo, first.name().substring(0, 6)));
    }

    @Test
    void resolve_abbreviationOfABlobOnly_throwsRevisionNotFound() throws IOException {
        ObjectId blob = git.blob("not a commit either");
        assertThrows(Errors.RevisionNotFound.class, () -> Revisions.resolve(git.repo, blob.name().substring(0, 10)));
    }

    @Test
    void uniqueCommit_prefixOfTwoCommits_isNone() throws IOException {
        // Two commits sharing 7 digits would take ~20,000 commits; two sharing 2 take a few dozen, and the rule is
        // the same below the length resolve asks for.
        java.util.Map<String, RevCommit> byPrefix = new java.util.HashMap<>();
        String shared = null;
        for (int i = 0; shared == null; i++) {
            RevCommit c = git.commit("side", files("n.txt", Integer.toString(i)));
            if (byPrefix.putIfAbsent(c.name().substring(0, 2), c) != null) {
                shared = c.name().substring(0, 2);
            }
        }
        assertNull(Revisions.uniqueCommit(git.repo, shared));
        assertEquals(main, Revisions.uniqueCommit(git.repo, main.name().substring(0, 8)));
    }

    @Test
    void resolve_unknownFullSha_throwsRevisionNotFound() {
        assertThrows(Errors.RevisionNotFound.class, () -> Revisions.resolve(git.repo, "0123456789".repeat(4)));
    }

    @Test
    void resolve_shaOfTreeOrBlob_throwsRevisionNotFound() throws IOException {
        ObjectId blob = git.blob("not a commit");
        assertThrows(Errors.RevisionNotFound.class, () -> Revisions.resolve(git.repo, blob.name()));
        assertThrows(Errors.RevisionNotFound.class, () -> Revisions.resolve(git.repo, main.getTree().name()));
    }

    @Test
    void writableRefName_headOrBranch_isBranchRef() throws IOException {
        assertEquals("refs/heads/main", Revisions.writableRefName(git.repo, "HEAD"));
        assertEquals("refs/heads/main", Revisions.writableRefName(git.repo, "main"));
        assertEquals("refs/heads/main", Revisions.writableRefName(git.repo, "refs/heads/main"));
    }

    @Test
    void writableRefName_newBranchName_isBranchRef() throws IOException {
        assertEquals("refs/heads/feature", Revisions.writableRefName(git.repo, "feature"));
    }

    @Test
    void writableRefName_pullRequestRef_isKept() throws IOException {
        assertEquals("refs/pr/3", Revisions.writableRefName(git.repo, "refs/pr/3"));
    }

    @Test
    void writableRefName_tagName_throwsBadRequest() throws IOException {
        git.annotatedTag("v1", first);
        Errors.BadRequest e = assertThrows(Errors.BadRequest.class, () -> Revisions.writableRefName(git.repo, "v1"));
        assertTrue(e.getMessage().contains("tag"), e.getMessage());
    }

    @Test
    void writableRefName_fullTagRefOrOtherRefs_throwsBadRequest() {
        assertThrows(Errors.BadRequest.class, () -> Revisions.writableRefName(git.repo, "refs/tags/v1"));
        assertThrows(Errors.BadRequest.class, () -> Revisions.writableRefName(git.repo, "refs/convert/parquet"));
    }

    @Test
    void writableRefName_branchShadowingTag_isBranch() throws IOException {
        git.setRef("refs/tags/v2", first);
        git.setRef("refs/heads/v2", main);
        assertEquals("refs/heads/v2", Revisions.writableRefName(git.repo, "v2"));
    }
}
