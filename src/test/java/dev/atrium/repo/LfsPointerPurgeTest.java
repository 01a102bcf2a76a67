package dev.atrium.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.lfs.LfsPointer;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LfsPointerPurgeTest {
    private static final Sha256 GONE = new Sha256("a".repeat(64));
    private static final Sha256 KEPT = new Sha256("b".repeat(64));
    private static final Sha256 SIDE_ONLY = new Sha256("c".repeat(64));

    @TempDir
    Path dir;
    private TestGit git;
    private RevCommit root;
    private RevCommit withGone;
    private RevCommit tagged;

    @BeforeEach
    void history() throws IOException {
        git = TestGit.init(dir);
        root = git.commit("main", TestGit.files("README.md", "# hi\n"));
        withGone = git.commit("main", TestGit.files("a/b/big.bin", pointer(GONE), "keep.bin", pointer(KEPT)));
        tagged = git.commit("main", TestGit.files("notes.txt", "x\n"));
        git.annotatedTag("v1", tagged);
        git.setRef("refs/pr/1", tagged);
        git.commit("main", List.of(new TreeEdit.DeleteFile("a/b/big.bin")));
        git.setRef(Constants.R_HEADS + "side", withGone);
        git.commit("side", TestGit.files("copy.bin", pointer(GONE), "side.bin", pointer(SIDE_ONLY)));
    }

    @AfterEach
    void close() {
        git.close();
    }

    private static String pointer(Sha256 oid) {
        return new String(new LfsPointer(oid, 1234).encode(), StandardCharsets.UTF_8);
    }

    @Test
    void purge_removesThePointersFromEveryCommitOfEveryRef_andKeepsTheRest() throws IOException {
        ObjectId mainBefore = git.head("refs/heads/main");
        assertEquals(4, LfsPointerPurge.purge(git.repo, Set.of(GONE)), "main, side, the tag and the pull request");

        List<RevCommit> main = history("refs/heads/main");
        assertEquals(4, main.size(), "as many commits as before");
        assertNotEquals(mainBefore, main.get(0));
        assertEquals(root, main.get(3), "a commit before the purged file keeps its id");
        for (String ref : List.of("refs/heads/main", "refs/heads/side", "refs/pr/1", "refs/tags/v1")) {
            for (RevCommit commit : history(ref)) {
                Map<String, String> files = git.tree(commit);
                assertFalse(files.containsValue(pointer(GONE)), ref + " " + commit.name() + ": " + files.keySet());
                assertFalse(files.keySet().stream().anyMatch(p -> p.startsWith("a/")), "the emptied folder goes too");
            }
        }
        assertEquals(Map.of("README.md", "# hi\n", "keep.bin", pointer(KEPT), "side.bin", pointer(SIDE_ONLY)),
                git.tree(git.head("refs/heads/side")));
        RevCommit rewritten = main.get(2);
        assertEquals(withGone.getFullMessage(), rewritten.getFullMessage());
        assertEquals(withGone.getAuthorIdent(), rewritten.getAuthorIdent());
        assertEquals(withGone.getCommitterIdent(), rewritten.getCommitterIdent());
        assertEquals(main.get(1), git.parse(git.head("refs/pr/1")), "the pull request follows its commit");
        try (RevWalk walk = new RevWalk(git.repo)) {
            RevTag tag = assertInstanceOf(RevTag.class, walk.parseAny(git.head("refs/tags/v1")));
            assertEquals("release v1", tag.getFullMessage(), "still an annotated tag");
            assertEquals(main.get(1), walk.peel(tag));
        }
    }

    @Test
    void purge_ofContentNoCommitHolds_movesNothing() throws IOException {
        ObjectId main = git.head("refs/heads/main");
        assertEquals(0, LfsPointerPurge.purge(git.repo, Set.of(new Sha256("d".repeat(64)))));
        assertEquals(main, git.head("refs/heads/main"));
    }

    @Test
    void locate_findsAPathForEachObject_defaultBranchFirst() throws IOException {
        git.repo.updateRef(Constants.HEAD).link("refs/heads/main");
        Map<Sha256, LfsPointerLocator.Location> found = LfsPointerLocator.locate(git.repo,
                Set.of(GONE, KEPT, SIDE_ONLY, new Sha256("d".repeat(64))));
        assertEquals(new LfsPointerLocator.Location("a/b/big.bin", "refs/heads/main"), found.get(GONE));
        assertEquals(new LfsPointerLocator.Location("keep.bin", "refs/heads/main"), found.get(KEPT));
        assertEquals(new LfsPointerLocator.Location("side.bin", "refs/heads/side"), found.get(SIDE_ONLY));
        assertEquals(3, found.size(), "content no commit holds has no path");
        assertTrue(LfsPointerLocator.locate(git.repo, Set.of()).isEmpty());
    }

    private List<RevCommit> history(String ref) throws IOException {
        List<RevCommit> commits = new ArrayList<>();
        try (RevWalk walk = new RevWalk(git.repo)) {
            walk.markStart(walk.parseCommit(git.head(ref)));
            walk.forEach(commits::add);
        }
        return commits;
    }
}
