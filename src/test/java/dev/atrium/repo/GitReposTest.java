package dev.atrium.repo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitReposTest {
    @TempDir
    Path root;

    @Test
    void removeLeftovers_clearsTheTrashAndOldHalfMadeRepos_butNotOneAnotherNodeIsMaking() throws Exception {
        GitRepos repos = new GitRepos(root);
        Path crashed = repos.initInTemp("aaaaaaaaaaaaaaaaaaaaaaaa");
        Files.setLastModifiedTime(crashed, FileTime.from(Instant.now().minus(GitRepos.LEFTOVER_AGE).minusSeconds(60)));
        Path inProgress = repos.initInTemp("bbbbbbbbbbbbbbbbbbbbbbbb");
        Path halfDeleted = Files.createDirectories(root.resolve(".trash").resolve("1-x.git").resolve("objects"));

        repos.removeLeftovers();

        assertFalse(Files.exists(crashed), "a day old: a crash's");
        assertTrue(Files.exists(inProgress.resolve("HEAD")), "another node may be making it right now");
        assertFalse(Files.exists(halfDeleted.getParent()));
    }
}
