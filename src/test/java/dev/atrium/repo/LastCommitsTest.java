package dev.atrium.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batched walk against C git's own answer ({@code git log -1 -- path}) on histories with merges. */
class LastCommitsTest {
    private static final String[] PATHS = {"README.md", "config.json", "a/x.txt", "a/y.txt", "a/b/deep.txt",
        "a/b/other.txt", "c/one.bin", "c/two.bin", "c/d/e/f.txt", "z.txt", "a-b.txt", "a.txt"};

    @TempDir
    Path dir;

    @Test
    void everyPathAndFolder_matchesGitLog_onHistoriesWithMerges() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            Path git = dir.resolve("repo" + seed + ".git");
            run(dir, "git", "init", "-q", "--bare", git.toString());
            fastImport(git, randomHistory(new Random(seed), 120));
            assertTrue(Integer.parseInt(run(git, "git", "rev-list", "--merges", "--count", "main").trim()) >= 5,
                    "merges in the history, seed " + seed);
            try (Repository repo = new FileRepositoryBuilder().setGitDir(git.toFile()).build();
                 RevWalk walk = new RevWalk(repo)) {
                RevCommit head = walk.parseCommit(repo.resolve("refs/heads/main"));
                List<String> paths = List.of(run(git, "git", "ls-tree", "-r", "-t", "--name-only", "main")
                        .split("\n"));
                Map<String, RevCommit> last = LastCommits.of(repo, head, paths, 0);
                assertEquals(paths.size(), last.size(), "every path found, seed " + seed);
                for (String path : paths) {
                    String expected = run(git, "git", "log", "-1", "--format=%H", "main", "--", path).trim();
                    assertEquals(expected, last.get(path).name(), path + ", seed " + seed);
                }
            }
        }
    }

    @Test
    void childrenComeBeforeParents_evenWhenTheirDatesSayOtherwise() throws Exception {
        Path git = dir.resolve("skew.git");
        run(dir, "git", "init", "-q", "--bare", git.toString());
        StringBuilder s = new StringBuilder();
        // The second commit, which changes f.txt last, is dated a day before its parent.
        commit(s, 1, 1_700_000_000L, List.of(), Map.of("f.txt", "1", "g.txt", "1"));
        commit(s, 2, 1_699_900_000L, List.of(), Map.of("f.txt", "2", "g.txt", "1"));
        commit(s, 3, 1_700_100_000L, List.of(), Map.of("f.txt", "2", "g.txt", "2"));
        fastImport(git, s.toString());
        try (Repository repo = new FileRepositoryBuilder().setGitDir(git.toFile()).build();
             RevWalk walk = new RevWalk(repo)) {
            RevCommit head = walk.parseCommit(repo.resolve("refs/heads/main"));
            Map<String, RevCommit> last = LastCommits.of(repo, head, List.of("f.txt", "g.txt"), 0);
            assertEquals(head.getParent(0).name(), last.get("f.txt").name());
            assertEquals(head.name(), last.get("g.txt").name());
        }
    }

    @Test
    void aLimit_leavesOutWhatItDidNotReach() throws Exception {
        Path git = dir.resolve("limit.git");
        run(dir, "git", "init", "-q", "--bare", git.toString());
        StringBuilder s = new StringBuilder();
        commit(s, 1, 1_700_000_000L, List.of(), Map.of("old.txt", "1", "hot.txt", "0"));
        for (int i = 2; i <= 20; i++) {
            commit(s, i, 1_700_000_000L + i, List.of(), Map.of("old.txt", "1", "hot.txt", String.valueOf(i)));
        }
        fastImport(git, s.toString());
        try (Repository repo = new FileRepositoryBuilder().setGitDir(git.toFile()).build();
             RevWalk walk = new RevWalk(repo)) {
            RevCommit head = walk.parseCommit(repo.resolve("refs/heads/main"));
            Map<String, RevCommit> last = LastCommits.of(repo, head, List.of("old.txt", "hot.txt"), 5);
            assertEquals(head, last.get("hot.txt"));
            assertTrue(!last.containsKey("old.txt"), "not reached within 5 commits");
            assertEquals(2, LastCommits.of(repo, head, List.of("old.txt", "hot.txt"), 0).size());
        }
    }

    /**
     * Commits on two branches with random edits and deletions, merged now and then: some merges take one side's
     * version of a file the other also changed, some change a file neither parent had that way (an evil merge).
     */
    private static String randomHistory(Random random, int commits) {
        StringBuilder s = new StringBuilder();
        Map<String, String> main = new TreeMap<>();
        for (String path : PATHS) {
            main.put(path, "initial " + path);
        }
        long time = 1_700_000_000L;
        commit(s, 1, time, List.of(), main);
        int mainMark = 1;
        int sideMark = 1;
        Map<String, String> side = new TreeMap<>(main);
        s.append("reset refs/heads/side\nfrom :1\n\n");
        for (int mark = 2; mark <= commits; mark++) {
            time += 60;
            int roll = random.nextInt(10);
            if (roll < 2 && sideMark != mainMark) {
                Map<String, String> merged = new TreeMap<>(main);
                side.forEach((path, content) -> {
                    if (!content.equals(main.get(path)) && random.nextBoolean()) {
                        merged.put(path, content);
                    }
                });
                if (random.nextInt(3) == 0) {
                    merged.put(PATHS[random.nextInt(PATHS.length)], "evil " + mark);
                }
                commitTree(s, mark, time, List.of(mainMark, sideMark), merged);
                main.clear();
                main.putAll(merged);
                mainMark = mark;
            } else {
                boolean onSide = roll < 5;
                Map<String, String> tree = onSide ? side : main;
                Map<String, String> edits = new HashMap<>();
                for (int i = random.nextInt(3); i >= 0; i--) {
                    String path = PATHS[random.nextInt(PATHS.length)];
                    edits.put(path, random.nextInt(8) == 0 && tree.size() > 4 ? null : "v" + mark + " " + path);
                }
                edits.forEach((path, content) -> {
                    if (content == null) {
                        tree.remove(path);
                    } else {
                        tree.put(path, content);
                    }
                });
                commitTree(s, mark, time, List.of(onSide ? sideMark : mainMark), tree);
                if (onSide) {
                    sideMark = mark;
                } else {
                    mainMark = mark;
                }
            }
            s.append(onBranch(mark, mainMark, sideMark));
        }
        s.append("reset refs/heads/main\nfrom :").append(mainMark).append("\n\n");
        return s.toString();
    }

    private static String onBranch(int mark, int mainMark, int sideMark) {
        return "reset refs/heads/" + (mark == sideMark ? "side" : "main") + "\nfrom :" + mark + "\n\n";
    }

    /** A commit whose tree is exactly {@code files}, on the given parents (marks). */
    private static void commitTree(StringBuilder s, int mark, long time, List<Integer> parents,
                                   Map<String, String> files) {
        s.append("commit refs/heads/scratch\nmark :").append(mark).append('\n')
                .append("committer t <t@example.com> ").append(time).append(" +0000\n")
                .append("data <<END\ncommit ").append(mark).append("\nEND\n");
        for (int i = 0; i < parents.size(); i++) {
            s.append(i == 0 ? "from :" : "merge :").append(parents.get(i)).append('\n');
        }
        s.append("deleteall\n");
        files.forEach((path, content) -> s.append("M 644 inline ").append(path).append("\ndata <<END\n")
                .append(content).append("\nEND\n"));
        s.append('\n');
    }

    /** A commit whose tree is {@code files}, on the commit before it when no parent is named. */
    private static void commit(StringBuilder s, int mark, long time, List<Integer> parents,
                               Map<String, String> files) {
        commitTree(s, mark, time, parents.isEmpty() && mark > 1 ? List.of(mark - 1) : parents, files);
        s.append("reset refs/heads/main\nfrom :").append(mark).append("\n\n");
    }

    private static void fastImport(Path git, String stream) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("git", "fast-import", "--quiet").directory(git.toFile())
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(stream.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    private static String run(Path cwd, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(command))).directory(cwd.toFile()).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.getErrorStream().transferTo(err);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + err);
        return out;
    }
}
