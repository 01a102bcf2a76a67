package dev.atrium.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.Atrium;
import dev.atrium.AtriumConfig;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import dev.atrium.storage.Sha256;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups of a hub's stores as the server keeps them (SQLite, git repositories, local blobs), checked with C git's
 * {@code fsck}; BackupIT restores one and drives it with the real clients.
 */
class BackupTest {
    private static final PersonIdent ALICE = new PersonIdent("alice", "alice@example.com");

    @TempDir
    Path dir;
    private AtriumConfig config;
    private Atrium.Stores stores;
    private Repo model;

    @BeforeEach
    void setUp() throws IOException {
        config = AtriumConfig.defaults(dir.resolve("data"));
        stores = Atrium.Stores.open(config, Clock.systemUTC());
        stores.users().create("alice", "alice@example.com", "correct horse", false);
        model = stores.repoService().create(RepoType.MODEL, RepoId.parse("alice/model"), false, null,
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"));
        Files.writeString(config.secretKey(), "the server's key");
    }

    private Report backup(Path target) throws IOException {
        return backup(target, null);
    }

    private Report backup(Path target, Path previous) throws IOException {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        Backup.Report report = new Backup(config, stores, Clock.systemUTC()).to(target, previous,
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        return new Report(report, progress.toString(StandardCharsets.UTF_8));
    }

    private record Report(Backup.Report report, String progress) {}

    /** A commit on {@code branch} adding {@code path} with {@code content}, on top of the branch's head. */
    private static ObjectId commit(Repository git, String branch, String path, String content) throws IOException {
        try (ObjectInserter inserter = git.newObjectInserter()) {
            ObjectId parent = git.resolve(Constants.R_HEADS + branch);
            TreeFormatter tree = new TreeFormatter();
            tree.append(path, org.eclipse.jgit.lib.FileMode.REGULAR_FILE,
                    inserter.insert(Constants.OBJ_BLOB, content.getBytes(StandardCharsets.UTF_8)));
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(inserter.insert(tree));
            if (parent != null) {
                commit.setParentId(parent);
            }
            commit.setAuthor(ALICE);
            commit.setCommitter(ALICE);
            commit.setMessage(path);
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            RefUpdate update = git.updateRef(Constants.R_HEADS + branch);
            update.setNewObjectId(id);
            update.setExpectedOldObjectId(parent == null ? ObjectId.zeroId() : parent);
            RefUpdate.Result result = update.update();
            assertTrue(result == RefUpdate.Result.NEW || result == RefUpdate.Result.FAST_FORWARD, result.name());
            return id;
        }
    }

    private static Map<String, ObjectId> refs(Path gitDir) throws IOException {
        Map<String, ObjectId> refs = new TreeMap<>();
        try (Repository git = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build()) {
            for (Ref ref : git.getRefDatabase().getRefsByPrefix("refs/")) {
                refs.put(ref.getName(), ref.getObjectId());
            }
            refs.put("HEAD -> " + git.exactRef("HEAD").getTarget().getName(), null);
        }
        return refs;
    }

    private static void fsck(Path gitDir) throws Exception {
        Process fsck = new ProcessBuilder("git", "--git-dir", gitDir.toString(), "fsck", "--full", "--strict")
                .redirectErrorStream(true).start();
        String output = new String(fsck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, fsck.waitFor(), gitDir + ": " + output);
    }

    @Test
    void aBackup_holdsTheMetadataTheRepositoriesAndTheBlobs_asTheyWere() throws Exception {
        Path source = stores.gitRepos().dirOf(RepoType.MODEL, model.repoId());
        try (Repository git = stores.repoService().openGit(model)) {
            commit(git, "main", "README.md", "# model\n");
            commit(git, "dev", "notes.txt", "notes\n");
            try (ObjectInserter inserter = git.newObjectInserter()) {
                TagBuilder tag = new TagBuilder();
                tag.setObjectId(git.resolve("main"), Constants.OBJ_COMMIT);
                tag.setTag("v1");
                tag.setTagger(ALICE);
                tag.setMessage("first\n");
                ObjectId id = inserter.insert(tag);
                inserter.flush();
                RefUpdate update = git.updateRef(Constants.R_TAGS + "v1");
                update.setNewObjectId(id);
                update.update();
            }
        }
        byte[] content = "large file".getBytes(StandardCharsets.UTF_8);
        Sha256 oid = Sha256.of(content);
        stores.blobs().put(oid, content.length, new ByteArrayInputStream(content));
        Path target = dir.resolve("backups/one");

        Report made = backup(target);

        assertEquals(1, made.report().repos());
        assertEquals(1, made.report().blobs());
        assertTrue(made.report().notes().isEmpty(), made.report().notes().toString());
        Path copy = target.resolve("repos/models/alice/model.git");
        assertEquals(refs(source), refs(copy), "the same refs, HEAD included");
        fsck(copy);
        assertEquals("large file", Files.readString(target.resolve("blobs").resolve(
                config.dataDir().resolve("blobs").relativize(blobPath(oid)))));
        Jdbi restored = dev.atrium.db.Database.openSqlite(target.resolve("atrium.db"));
        assertEquals("alice", restored.withHandle(h -> h.createQuery("SELECT name FROM users").mapTo(String.class)
                .one()));
        assertEquals("the server's key", Files.readString(target.resolve("secret.key")));
        assertTrue(Files.readString(target.resolve("BACKUP.txt")).contains("repositories: 1"));
    }

    private Path blobPath(Sha256 oid) {
        String hex = oid.hex();
        return config.dataDir().resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex.substring(2, 4))
                .resolve(hex);
    }

    @Test
    void commitsLandingWhileTheBackupRuns_leaveACopyThatGitFindsWhole() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Integer> writer = CompletableFuture.supplyAsync(() -> {
            int n = 0;
            try (Repository git = stores.repoService().openGit(model)) {
                while (!stop.get() || n < 20) {
                    commit(git, "main", "n" + n + ".txt", String.valueOf(n));
                    n++;
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return n;
        });
        for (int i = 0; i < 5; i++) {
            Path target = dir.resolve("backups/run-" + i);
            backup(target);
            fsck(target.resolve("repos/models/alice/model.git"));
        }
        stop.set(true);
        assertTrue(writer.join() >= 20);
    }

    @Test
    void aSecondBackup_linksTheBlobsTheFirstHas_andCopiesOnlyWhatIsNew() throws Exception {
        byte[] first = "first".getBytes(StandardCharsets.UTF_8);
        stores.blobs().put(Sha256.of(first), first.length, new ByteArrayInputStream(first));
        Path one = dir.resolve("backups/one");
        backup(one);
        byte[] second = "second".getBytes(StandardCharsets.UTF_8);
        stores.blobs().put(Sha256.of(second), second.length, new ByteArrayInputStream(second));
        Path two = dir.resolve("backups/two");

        Backup.Report report = backup(two, one).report();

        assertEquals(2, report.blobs());
        assertEquals(1, report.linked());
        Path linked = two.resolve("blobs").resolve(config.dataDir().resolve("blobs").relativize(
                blobPath(Sha256.of(first))));
        assertTrue(Files.isSameFile(linked, one.resolve(two.relativize(linked))), "the same file, not a copy");
        assertFalse(Files.isSameFile(two.resolve("atrium.db"), one.resolve("atrium.db")), "metadata is copied");
    }

    @Test
    void aTargetThatExists_orAPreviousThatIsNoBackup_isRefused_andAnInterruptedBackupIsRedone() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("backups/existing"));
        assertThrows(IllegalArgumentException.class, () -> backup(existing));
        assertEquals(0, Files.list(existing).count(), "nothing written into it");
        assertThrows(IllegalArgumentException.class, () -> backup(dir.resolve("backups/new"), dir.resolve("data")));
        assertFalse(Files.exists(dir.resolve("backups/new")));

        Path partial = Files.createDirectories(dir.resolve("backups/later.partial"));
        Files.writeString(partial.resolve("atrium.db"), "cut short");
        backup(dir.resolve("backups/later"));

        assertFalse(Files.exists(partial), "the interrupted attempt is gone");
        assertTrue(Files.isRegularFile(dir.resolve("backups/later/BACKUP.txt")));
    }
}
