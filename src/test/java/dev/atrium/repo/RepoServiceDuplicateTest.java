package dev.atrium.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.atrium.db.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoServiceDuplicateTest {
    @TempDir
    Path dir;

    @Test
    void duplicate_leavesNoGitLockBehind_inTheCopy() throws Exception {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        jdbi.useHandle(h -> h.execute("INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at)"
                + " VALUES ('u00000000000000000000001','alice','a','a','h',false,0)"));
        GitRepos gitRepos = new GitRepos(dir.resolve("repos"));
        RepoService service = new RepoService(jdbi, new Repos(jdbi), gitRepos, Clock.systemUTC());
        Repo source = service.create(RepoType.MODEL, new RepoId("alice", "source"), false, null,
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"));
        for (int i = 0; i < 3; i++) {
            Repo copy = service.duplicate(source, new RepoId("alice", "copy-" + i), false, "u00000000000000000000001");
            Path copyDir = gitRepos.dirOf(RepoType.MODEL, copy.repoId());
            Thread.sleep(300); // a detached gc, had one started, would have taken its lock by now
            try (Stream<Path> files = Files.walk(copyDir)) {
                assertEquals(java.util.List.of(), files.filter(p -> p.getFileName().toString().endsWith(".lock"))
                        .toList(), "no lock file left in " + copyDir);
            }
            try (Repository git = GitRepos.open(copyDir)) {
                assertEquals(git.resolve(Constants.R_HEADS + "main"), gitHead(gitRepos, source));
                assertFalse(Files.readString(copyDir.resolve("config")).contains("autoDetach"),
                        "the in-memory setting is not saved into the copy's config");
            }
        }
    }

    private static org.eclipse.jgit.lib.ObjectId gitHead(GitRepos gitRepos, Repo repo) throws Exception {
        try (Repository git = GitRepos.open(gitRepos.dirOf(repo.type(), repo.repoId()))) {
            return git.resolve(Constants.R_HEADS + "main");
        }
    }
}
