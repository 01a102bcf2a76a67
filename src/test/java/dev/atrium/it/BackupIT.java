package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.GitClient;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.Proc;
import dev.atrium.it.support.PythonClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code atrium admin backup}, run while the hub serves and while a client commits without pause
 * ({@code src/it/python/backup.py}): the backup is a data folder that a server starts on, where huggingface_hub
 * downloads every file through Xet, git and git-lfs clone what was pushed, the token still works and every copied
 * repository passes {@code git fsck}; a second backup links what the first already has.
 */
class BackupIT {

    @Test
    void aBackupMadeWhileTheHubRuns_restoresEverythingItHeld() throws Exception {
        PythonClient python = Clients.python();
        GitClient git = Clients.git();
        Path work = ItPaths.newTempDir("backup");
        Path backup = work.resolve("backups/first");
        Path second = work.resolve("backups/second");
        byte[] pushed = new byte[3 << 20];
        new Random(4).nextBytes(pushed);
        String token;
        try (AtriumProcess server = AtriumProcess.start()) {
            token = server.admin().createUserWithToken("alice", "write").token();
            xet(python.script("backup.py", server.baseUrl(), token, work, "fill")).runChecked();
            Path clone = git.cloneRepo(GitClient.cloneUrl(server.baseUrl(), token, "alice/model"),
                    work.resolve("clone"));
            git.run(clone, "lfs", "track", "*.safetensors");
            Files.write(clone.resolve("pushed.safetensors"), pushed);
            git.run(clone, "add", ".gitattributes", "pushed.safetensors");
            git.run(clone, "commit", "-q", "-m", "pushed with git-lfs");
            git.run(clone, "push", "-q", "origin", "main");

            CompletableFuture<Proc.Result> writer = CompletableFuture.supplyAsync(
                    () -> xet(python.script("backup.py", server.baseUrl(), token, work, "write")).run());
            Path writing = work.resolve("work/writing");
            for (int i = 0; i < 600 && !Files.exists(writing) && !writer.isDone(); i++) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(writing), "the writer started: " + (writer.isDone() ? writer.get().describe()
                    : "still waiting"));
            Proc.Result made = server.admin().run(List.of("backup", "--to", backup.toString()));
            Files.writeString(work.resolve("work/stop"), "");
            writer.get().requireSuccess();

            assertTrue(made.succeeded(), made.describe());
            assertTrue(made.stdout().startsWith("backed up 3 repositories"), made.stdout());
            assertFalse(Files.exists(work.resolve("backups/first.partial")), "built aside, then renamed");
            assertTrue(Files.readString(backup.resolve("BACKUP.txt")).contains("repositories: 3"));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    backup.resolve("secret.key"))), "the server's key stays its owner's");
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        }
        for (Path repo : repositories(backup.resolve("repos"))) {
            Proc.Result fsck = git.command(repo, "fsck", "--full", "--strict").run();
            assertTrue(fsck.succeeded(), repo + ": " + fsck.describe());
        }

        try (AtriumProcess restored = AtriumProcess.startOn(backup)) {
            xet(python.script("backup.py", restored.baseUrl(), token, work, "verify")).runChecked();
            Path clone = git.cloneRepo(GitClient.cloneUrl(restored.baseUrl(), token, "alice/model"),
                    work.resolve("restored-clone"));
            assertEquals(ItPaths.sha256(work.resolve("clone/pushed.safetensors")),
                    ItPaths.sha256(clone.resolve("pushed.safetensors")), "git-lfs gets the pushed file back");

            Proc.Result again = restored.admin().run(List.of("backup", "--to", second.toString(), "--link-dest",
                    backup.toString()));
            assertTrue(again.succeeded(), again.describe());
            long blobs = 0;
            try (Stream<Path> files = Files.walk(second.resolve("blobs"))) {
                for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    // The restored hub may have stored more since (an LFS file converted to Xet in the background).
                    Path earlier = backup.resolve(second.relativize(file));
                    if (Files.exists(earlier)) {
                        assertTrue(Files.isSameFile(file, earlier), "linked, not copied again: " + file);
                        blobs++;
                    }
                }
            }
            assertTrue(blobs >= 4, "the Xet and LFS files' blobs: " + blobs);
        }
    }

    private static Proc xet(Proc script) {
        return script.removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default");
    }

    private static List<Path> repositories(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root, 3)) {
            List<Path> repos = walk.filter(p -> p.getFileName().toString().endsWith(".git")).toList();
            assertEquals(3, repos.size(), "the three repos: " + repos);
            return repos;
        }
    }
}
