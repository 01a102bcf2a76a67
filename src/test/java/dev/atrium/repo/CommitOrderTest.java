package dev.atrium.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitOrderTest {
    @TempDir
    Path dir;

    private static Repo repo(String id) {
        return new Repo(id, RepoType.MODEL, new RepoId("alice", "m"), false, null, 1L, 1L);
    }

    private void git(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString(), "-c", "user.name=A",
                "-c", "user.email=a@x"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    /**
     * The order is the one the commits API always listed (newest first, children before parents, merges included),
     * kept per head: a history read a page at a time is walked once.
     */
    @Test
    void aHistory_inTheApisOrder_walkedOncePerHead() throws Exception {
        git("init", "-q", "-b", "main");
        git("commit", "-q", "--allow-empty", "-m", "base");
        git("checkout", "-q", "-b", "side");
        git("commit", "-q", "--allow-empty", "-m", "side 1");
        git("commit", "-q", "--allow-empty", "-m", "side 2");
        git("checkout", "-q", "main");
        git("commit", "-q", "--allow-empty", "-m", "main 1");
        git("merge", "-q", "--no-ff", "-m", "merge", "side");
        try (Repository repository = new FileRepositoryBuilder().setGitDir(dir.resolve(".git").toFile()).build()) {
            ObjectId head = repository.resolve("main");
            List<ObjectId> expected = new ArrayList<>();
            try (RevWalk walk = new RevWalk(repository)) {
                walk.sort(RevSort.COMMIT_TIME_DESC);
                walk.sort(RevSort.TOPO, true);
                walk.markStart(walk.parseCommit(head));
                for (RevCommit c : walk) {
                    expected.add(c.copy());
                }
            }
            CommitOrder order = new CommitOrder();
            CommitOrder.Ids ids = order.of(repo("r1"), repository, head);
            List<ObjectId> listed = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                listed.add(ids.get(i));
            }
            assertEquals(5, ids.size());
            assertEquals(expected, listed);
            assertSame(ids, order.of(repo("r1"), repository, head), "kept for the same head");
            ObjectId base = repository.resolve("main~1~1");
            assertNotSame(ids, order.of(repo("r1"), repository, base), "another head is walked");
            assertEquals(1, order.of(repo("r1"), repository, base).size());
            assertNotSame(ids, order.of(repo("r2"), repository, head), "and another repo");
        }
    }
}
