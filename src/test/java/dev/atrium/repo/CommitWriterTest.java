package dev.atrium.repo;

import static dev.atrium.repo.TestGit.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitWriterTest {
    private static final String MAIN = "refs/heads/main";

    @TempDir
    Path dir;
    private TestGit git;

    @BeforeEach
    void init() throws IOException {
        git = TestGit.init(dir);
    }

    @AfterEach
    void close() {
        git.close();
    }

    private ObjectId write(ObjectId expectedOld, RevCommit parent, List<TreeEdit> edits, String message)
            throws IOException {
        return CommitWriter.commit(git.repo, new CommitWriter.Request(MAIN, expectedOld, parent, edits,
                TestGit.AUTHOR, message));
    }

    @Test
    void commit_noParent_createsBranchWithRootCommit() throws IOException {
        ObjectId id = write(null, null, List.of(new TreeEdit.PutBlob("README.md", git.blob("# hi"))), "first");
        assertEquals(id, git.head(MAIN));
        RevCommit commit = git.parse(id);
        assertEquals(0, commit.getParentCount());
        assertEquals("first", commit.getFullMessage());
        assertEquals("alice", commit.getAuthorIdent().getName());
        assertEquals("alice", commit.getCommitterIdent().getName());
        assertEquals(Map.of("README.md", "# hi"), git.tree(id));
    }

    @Test
    void commit_withParent_keepsUntouchedFilesAndAppliesEdits() throws IOException {
        RevCommit first = git.commit("main", files("a.txt", "a", "dir/b.txt", "b", "dir/c.txt", "c"));
        ObjectId id = write(first, first, List.of(
                new TreeEdit.PutBlob("dir/b.txt", git.blob("B2")),
                new TreeEdit.PutBlob("new/d.txt", git.blob("d")),
                new TreeEdit.DeleteFile("dir/c.txt")), "second");
        RevCommit second = git.parse(id);
        assertEquals(first, second.getParent(0));
        assertEquals(Map.of("a.txt", "a", "dir/b.txt", "B2", "new/d.txt", "d"), git.tree(id));
    }

    @Test
    void commit_deleteFolder_removesEverythingBelowIt() throws IOException {
        RevCommit first = git.commit("main", files("keep.txt", "k", "logs/a", "1", "logs/deep/b", "2",
                "logsx/c", "3"));
        ObjectId id = write(first, first, List.of(new TreeEdit.DeleteFolder("logs")), "rm logs");
        assertEquals(Map.of("keep.txt", "k", "logsx/c", "3"), git.tree(id));
    }

    @Test
    void commit_deleteThenPutSamePath_keepsTheNewContent() throws IOException {
        RevCommit first = git.commit("main", files("a.txt", "old", "d/x", "x"));
        ObjectId id = write(first, first, List.of(
                new TreeEdit.DeleteFile("a.txt"), new TreeEdit.PutBlob("a.txt", git.blob("new")),
                new TreeEdit.DeleteFolder("d"), new TreeEdit.PutBlob("d/y", git.blob("y"))), "replace");
        assertEquals(Map.of("a.txt", "new", "d/y", "y"), git.tree(id));
    }

    @Test
    void commit_expectedOldMatches_movesRef() throws IOException {
        RevCommit first = git.commit("main", files("a", "1"));
        ObjectId second = write(first, first, List.of(new TreeEdit.PutBlob("b", git.blob("2"))), "second");
        assertEquals(second, git.head(MAIN));
    }

    @Test
    void commit_staleExpectedOld_throwsRefMovedAndLeavesRefUnchanged() throws IOException {
        RevCommit first = git.commit("main", files("a", "1"));
        ObjectId second = write(first, first, List.of(new TreeEdit.PutBlob("b", git.blob("2"))), "second");

        assertThrows(RefMovedException.class,
                () -> write(first, first, List.of(new TreeEdit.PutBlob("c", git.blob("3"))), "lost race"));
        assertEquals(second, git.head(MAIN));
        assertEquals(Map.of("a", "1", "b", "2"), git.tree(git.head(MAIN)));
    }

    @Test
    void commit_noExpectedOldButBranchExists_throwsRefMoved() throws IOException {
        RevCommit first = git.commit("main", files("a", "1"));
        assertThrows(RefMovedException.class,
                () -> write(null, null, List.of(new TreeEdit.PutBlob("x", git.blob("x"))), "orphan"));
        assertEquals(first, git.head(MAIN));
    }

    @Test
    void commit_otherBranch_leavesMainAlone() throws IOException {
        RevCommit main = git.commit("main", files("a", "1"));
        ObjectId dev = CommitWriter.commit(git.repo, new CommitWriter.Request("refs/heads/dev", null, main,
                List.of(new TreeEdit.PutBlob("b", git.blob("2"))), TestGit.AUTHOR, "dev"));
        assertEquals(main, git.head(MAIN));
        assertEquals(dev, git.head("refs/heads/dev"));
        assertEquals(main, git.parse(dev).getParent(0));
    }

    @Test
    void commit_multiLineMessage_keepsItWhole() throws IOException {
        ObjectId id = write(null, null, List.of(new TreeEdit.PutBlob("a", git.blob("1"))), "summary\n\nbody");
        assertEquals("summary\n\nbody", git.parse(id).getFullMessage());
        assertEquals("summary", git.parse(id).getShortMessage());
    }

    @Test
    void firstLine_multiLineMessage_isTheSummary() {
        assertEquals("summary", CommitWriter.firstLine("summary\n\nbody"));
        assertEquals("single", CommitWriter.firstLine("single"));
    }

    @Test
    void fileExists_fileFolderOrMissing_isTrueOnlyForFiles() throws IOException {
        RevCommit c = git.commit("main", files("a.txt", "a", "dir/b.txt", "b"));
        assertTrue(CommitWriter.fileExists(git.repo, c, "a.txt"));
        assertTrue(CommitWriter.fileExists(git.repo, c, "dir/b.txt"));
        assertFalse(CommitWriter.fileExists(git.repo, c, "dir"));
        assertFalse(CommitWriter.fileExists(git.repo, c, "missing"));
        assertFalse(CommitWriter.fileExists(git.repo, null, "a.txt"));
    }

    @Test
    void folderExists_fileFolderOrMissing_isTrueOnlyForFolders() throws IOException {
        RevCommit c = git.commit("main", files("a.txt", "a", "dir/sub/b.txt", "b"));
        assertTrue(CommitWriter.folderExists(git.repo, c, "dir"));
        assertTrue(CommitWriter.folderExists(git.repo, c, "dir/sub"));
        assertFalse(CommitWriter.folderExists(git.repo, c, "a.txt"));
        assertFalse(CommitWriter.folderExists(git.repo, c, "nope"));
        assertFalse(CommitWriter.folderExists(git.repo, null, "dir"));
    }
}
