package dev.atrium.commit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.Principal;
import dev.atrium.auth.TokenInfo;
import dev.atrium.auth.TokenRole;
import dev.atrium.auth.User;
import dev.atrium.db.Database;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.http.Errors;
import dev.atrium.lfs.LfsPointer;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.GitRepos;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import dev.atrium.repo.Revisions;
import dev.atrium.repo.TreeReader;
import dev.atrium.storage.LocalBlobStore;
import dev.atrium.storage.Sha256;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitServiceTest {
    private static final long GIT_BLOB_LIMIT = 1024;
    private static final long NOW = 1_700_000_000_000L;
    private static final User ALICE = new User("a".repeat(24), "alice", "alice@example.com", "Alice", false, 0);
    private static final Principal AUTHOR = new Principal(ALICE,
            new TokenInfo("t".repeat(24), ALICE.id(), "laptop", TokenRole.WRITE, 0, null, null));

    @TempDir
    Path dir;
    private Repos repos;
    private RepoService repoService;
    private LocalBlobStore blobs;
    private LfsObjects lfsObjects;
    private Jdbi jdbi;
    private CommitService service;
    private StagingArea staging;
    private Repo repo;
    private Repository git;
    private String initialAttributes;

    @BeforeEach
    void setUp() throws IOException {
        jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Clock clock = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);
        repos = new Repos(jdbi);
        repoService = new RepoService(jdbi, repos, new GitRepos(dir.resolve("git")),
                Clock.fixed(Instant.ofEpochMilli(NOW - 60_000), ZoneOffset.UTC));
        blobs = new LocalBlobStore(dir.resolve("blobs"));
        lfsObjects = new LfsObjects(jdbi, blobs, clock);
        service = new CommitService(lfsObjects, repos, clock, GIT_BLOB_LIMIT);
        staging = StagingArea.open(dir.resolve("staging"));
        repo = repoService.create(RepoType.MODEL, RepoId.parse("alice/model"), false, null,
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"));
        git = repoService.openGit(repo);
        initialAttributes = read(head(), ".gitattributes");
    }

    @AfterEach
    void tearDown() throws IOException {
        git.close();
        staging.close();
    }

    // ---- helpers ----

    private RevCommit head() throws IOException {
        try (RevWalk walk = new RevWalk(git)) {
            return walk.parseCommit(git.exactRef("refs/heads/main").getObjectId());
        }
    }

    private CommitOperation.AddFile add(String path, byte[] content) throws IOException {
        return new CommitOperation.AddFile(path, staging.stage(out -> out.write(content)));
    }

    private CommitOperation.AddFile add(String path, String content) throws IOException {
        return add(path, content.getBytes(StandardCharsets.UTF_8));
    }

    private ObjectId apply(String parentCommit, CommitOperation... ops) throws IOException {
        return service.apply(git, repo, AUTHOR, "main", new NdjsonCommitParser.ParsedCommit(
                new CommitHeader("summary", "", parentCommit), List.of(ops)));
    }

    private ObjectId apply(CommitOperation... ops) throws IOException {
        return apply(null, ops);
    }

    private String read(RevCommit commit, String path) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(git, path, commit.getTree())) {
            return walk == null ? null : new String(git.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Every file of the head commit and its content. */
    private Map<String, String> headTree() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (TreeWalk walk = new TreeWalk(git)) {
            walk.addTree(head().getTree());
            walk.setRecursive(true);
            while (walk.next()) {
                out.put(walk.getPathString(), new String(git.open(walk.getObjectId(0)).getBytes(),
                        StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + (i * 7 + seed) % 26);
        }
        return b;
    }

    private Sha256 storeAndLink(Repo target, byte[] content) throws Exception {
        Sha256 oid = Sha256.of(content);
        blobs.put(oid, content.length, new ByteArrayInputStream(content));
        lfsObjects.link(target, oid, content.length);
        return oid;
    }

    // ---- regular and LFS content ----

    @Test
    void apply_smallTextFile_isRegularBlobAndMovesBranch() throws IOException {
        RevCommit before = head();
        ObjectId commit = apply(add("README.md", "# Model\n"));
        assertEquals(commit, head().getId());
        assertEquals(before, head().getParent(0));
        assertEquals("# Model\n", read(head(), "README.md"));
        assertNull(TreeReader.find(git, head(), "README.md").orElseThrow().lfs());
        assertEquals(initialAttributes, read(head(), ".gitattributes"));
    }

    @Test
    void apply_commit_hasAuthorMessageAndTime() throws IOException {
        service.apply(git, repo, AUTHOR, "main", new NdjsonCommitParser.ParsedCommit(
                new CommitHeader("Add weights", "Trained for 3 epochs", null), List.of(add("a.txt", "a"))));
        RevCommit c = head();
        assertEquals("Add weights\n\nTrained for 3 epochs", c.getFullMessage());
        assertEquals("alice", c.getAuthorIdent().getName());
        assertEquals("alice@example.com", c.getAuthorIdent().getEmailAddress());
        assertEquals(NOW, c.getAuthorIdent().getWhenAsInstant().toEpochMilli());
    }

    @Test
    void apply_commit_touchesRepoUpdatedAt() throws IOException {
        assertEquals(NOW - 60_000, repos.find(RepoType.MODEL, repo.repoId()).orElseThrow().updatedAt());
        apply(add("a.txt", "a"));
        assertEquals(NOW, repos.find(RepoType.MODEL, repo.repoId()).orElseThrow().updatedAt());
    }

    @Test
    void apply_inlineFileAtGitBlobLimit_staysRegular() throws IOException {
        apply(add("exact.txt", bytes((int) GIT_BLOB_LIMIT, 1)));
        assertNull(TreeReader.find(git, head(), "exact.txt").orElseThrow().lfs());
        assertEquals(initialAttributes, read(head(), ".gitattributes"));
    }

    @Test
    void apply_inlineFileAboveGitBlobLimit_becomesLfsPointerStoredBlobAndNewRule() throws Exception {
        byte[] content = bytes((int) GIT_BLOB_LIMIT + 1, 2);
        Sha256 oid = Sha256.of(content);
        apply(add("data/big file.json", content));

        FileEntry entry = TreeReader.find(git, head(), "data/big file.json").orElseThrow();
        assertEquals(new LfsPointer(oid, content.length), entry.lfs());
        assertEquals(content.length, entry.size());
        try (var in = blobs.open(oid, 0, Long.MAX_VALUE)) {
            assertArrayEquals(content, in.readAllBytes());
        }
        assertEquals(content.length, lfsObjects.sizeOf(repo, oid).orElseThrow());

        String attributes = read(head(), ".gitattributes");
        assertEquals(initialAttributes + LfsRules.ruleFor("data/big file.json") + "\n", attributes);
        assertTrue(LfsRules.parse(attributes).isLfs("data/big file.json"));
    }

    @Test
    void apply_lfsPathSmallInlineFile_becomesLfsWithoutNewRule() throws Exception {
        byte[] content = "tiny weights".getBytes(StandardCharsets.UTF_8);
        ObjectId attributesBefore = TreeWalk.forPath(git, ".gitattributes", head().getTree()).getObjectId(0);
        apply(add("model.bin", content));

        FileEntry entry = TreeReader.find(git, head(), "model.bin").orElseThrow();
        assertEquals(new LfsPointer(Sha256.of(content), content.length), entry.lfs());
        assertTrue(blobs.contains(Sha256.of(content)));
        assertTrue(lfsObjects.sizeOf(repo, Sha256.of(content)).isPresent());
        assertEquals(attributesBefore, TreeWalk.forPath(git, ".gitattributes", head().getTree()).getObjectId(0));
    }

    @Test
    void apply_emptyFileAtLfsPath_staysAnEmptyRegularFile() throws IOException {
        apply(add("empty.bin", new byte[0]));

        FileEntry entry = TreeReader.find(git, head(), "empty.bin").orElseThrow();
        assertNull(entry.lfs());
        assertEquals(0, entry.size());
        assertTrue(LfsRules.parse(initialAttributes).isLfs("empty.bin"), "the test needs a path routed to LFS");
    }

    @Test
    void apply_twoLargeFiles_addOneRuleEach() throws IOException {
        apply(add("a.json", bytes(2000, 1)), add("b.json", bytes(2000, 2)));
        assertEquals(initialAttributes + LfsRules.ruleFor("a.json") + "\n" + LfsRules.ruleFor("b.json") + "\n",
                read(head(), ".gitattributes"));
    }

    @Test
    void apply_largeFileWithNewGitattributesInSameCommit_usesAndExtendsTheNewOne() throws IOException {
        apply(add(".gitattributes", "*.json filter=lfs diff=lfs merge=lfs -text"),
                add("a.json", "{}"), add("big.txt", bytes(2000, 3)));
        assertNotNull(TreeReader.find(git, head(), "a.json").orElseThrow().lfs());
        assertEquals("*.json filter=lfs diff=lfs merge=lfs -text\n" + LfsRules.ruleFor("big.txt") + "\n",
                read(head(), ".gitattributes"));
    }

    @Test
    void apply_linkedLfsFile_writesPointerAndRuleWhenNotCovered() throws Exception {
        byte[] content = bytes(5000, 4);
        Sha256 oid = storeAndLink(repo, content);
        apply(new CommitOperation.AddLfsFile("data/train.jsonl", oid, (long) content.length));

        FileEntry entry = TreeReader.find(git, head(), "data/train.jsonl").orElseThrow();
        assertEquals(new LfsPointer(oid, content.length), entry.lfs());
        assertEquals(initialAttributes + LfsRules.ruleFor("data/train.jsonl") + "\n", read(head(), ".gitattributes"));
    }

    @Test
    void apply_linkedLfsFileWithoutSize_usesTheLinkedSize() throws Exception {
        byte[] content = bytes(3000, 5);
        Sha256 oid = storeAndLink(repo, content);
        apply(new CommitOperation.AddLfsFile("copy.safetensors", oid, null));
        assertEquals(new LfsPointer(oid, content.length),
                TreeReader.find(git, head(), "copy.safetensors").orElseThrow().lfs());
        assertEquals(initialAttributes, read(head(), ".gitattributes"));
    }

    @Test
    void apply_lfsFileNotLinkedToThisRepo_throwsBadRequestAndNoCommit() throws Exception {
        Repo other = repoService.create(RepoType.MODEL, RepoId.parse("bob/other"), false, null,
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"));
        byte[] content = bytes(3000, 6);
        Sha256 oid = storeAndLink(other, content);
        RevCommit before = head();

        Errors.BadRequest e = assertThrows(Errors.BadRequest.class,
                () -> apply(new CommitOperation.AddLfsFile("stolen.bin", oid, (long) content.length)));
        assertTrue(e.getMessage().contains(oid.hex()), e.getMessage());
        assertEquals(before, head());
    }

    @Test
    void apply_lfsFileWithWrongSize_throwsBadRequest() throws Exception {
        byte[] content = bytes(3000, 7);
        Sha256 oid = storeAndLink(repo, content);
        assertThrows(Errors.BadRequest.class, () -> apply(new CommitOperation.AddLfsFile("w.bin", oid, 2999L)));
    }

    @Test
    void apply_lfsFileLinkedButMissingFromStorage_throwsBadRequest() {
        Sha256 oid = Sha256.of(bytes(100, 8));
        // A link whose bytes were lost (a disk replaced, a manual cleanup): LfsObjects.link itself refuses to make one.
        jdbi.useHandle(h -> h.execute(
                "INSERT INTO lfs_objects (repo_id, oid, size, created_at) VALUES (?, ?, 100, 0)", repo.id(), oid.hex()));
        Errors.BadRequest e = assertThrows(Errors.BadRequest.class,
                () -> apply(new CommitOperation.AddLfsFile("w.bin", oid, 100L)));
        assertTrue(e.getMessage().contains(oid.hex()) && e.getMessage().contains("upload"), e.getMessage());
    }

    @Test
    void apply_uploadedGitattributesNotUtf8_isStoredByteForByte() throws IOException {
        byte[] latin1 = "caf\u00e9.bin filter=lfs diff=lfs merge=lfs -text\n".getBytes(StandardCharsets.ISO_8859_1);
        apply(add(".gitattributes", latin1));
        try (TreeWalk walk = TreeWalk.forPath(git, ".gitattributes", head().getTree())) {
            assertArrayEquals(latin1, git.open(walk.getObjectId(0)).getBytes());
        }
    }

    @Test
    void apply_uploadedGitattributesOver1MiB_isStoredWhole() throws IOException {
        String big = "# padding\n".repeat(120_000) + "*.bin filter=lfs diff=lfs merge=lfs -text\n";
        apply(add(".gitattributes", big));
        assertEquals(big.length(), read(head(), ".gitattributes").length());
    }

    @Test
    void apply_parentGitattributesOver1MiB_stillAcceptsCommits() throws IOException {
        String big = "# padding\n".repeat(120_000) + "*.bin filter=lfs diff=lfs merge=lfs -text\n";
        ObjectId blob;
        try (var inserter = git.newObjectInserter()) {
            blob = inserter.insert(org.eclipse.jgit.lib.Constants.OBJ_BLOB, big.getBytes(StandardCharsets.UTF_8));
            inserter.flush();
        }
        RevCommit parent = head();
        dev.atrium.repo.CommitWriter.commit(git, new dev.atrium.repo.CommitWriter.Request("refs/heads/main", parent,
                parent, List.of(new dev.atrium.repo.TreeEdit.PutBlob(".gitattributes", blob)),
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"), "big attributes"));
        apply(add("README.md", "# hi"));
        assertEquals("# hi", read(head(), "README.md"));
    }

    // ---- deletions ----

    @Test
    void apply_deleteExistingFile_removesIt() throws IOException {
        apply(add("a.txt", "a"), add("b.txt", "b"));
        apply(new CommitOperation.DeleteFile("a.txt"));
        assertFalse(headTree().containsKey("a.txt"));
        assertTrue(headTree().containsKey("b.txt"));
    }

    @Test
    void apply_deleteMissingFile_throwsEntryNotFoundAndNoNewCommit() throws IOException {
        apply(add("a.txt", "a"));
        RevCommit before = head();
        Errors.EntryNotFound e = assertThrows(Errors.EntryNotFound.class,
                () -> apply(add("b.txt", "b"), new CommitOperation.DeleteFile("missing.txt")));
        assertEquals(404, e.status());
        assertEquals(before, head());
    }

    @Test
    void apply_deleteFileNamingAFolder_deletesTheFolder() throws IOException {
        apply(add("dir/a.txt", "a"), add("dir/sub/b.txt", "b"), add("dirt.txt", "c"));
        apply(new CommitOperation.DeleteFile("dir"));
        assertEquals(Map.of(".gitattributes", initialAttributes, "dirt.txt", "c"), headTree());
    }

    @Test
    void apply_deleteSameFileTwice_throwsEntryNotFound() throws IOException {
        apply(add("a.txt", "a"));
        assertThrows(Errors.EntryNotFound.class,
                () -> apply(new CommitOperation.DeleteFile("a.txt"), new CommitOperation.DeleteFile("a.txt")));
    }

    @Test
    void apply_addThenDeleteNewFile_leavesNoFile() throws IOException {
        apply(add("tmp.txt", "t"), new CommitOperation.DeleteFile("tmp.txt"), add("keep.txt", "k"));
        assertFalse(headTree().containsKey("tmp.txt"));
        assertTrue(headTree().containsKey("keep.txt"));
    }

    @Test
    void apply_updateThenDeleteExistingFile_deletesIt() throws IOException {
        apply(add("a.txt", "old"));
        apply(add("a.txt", "new"), new CommitOperation.DeleteFile("a.txt"));
        assertFalse(headTree().containsKey("a.txt"), "a.txt survived with content: " + headTree().get("a.txt"));
    }

    @Test
    void apply_deleteFolderWithTrailingContent_removesOnlyThatFolder() throws IOException {
        apply(add("logs/a.txt", "a"), add("logs/deep/b.txt", "b"), add("logsx/c.txt", "c"));
        apply(new CommitOperation.DeleteFolder("logs"));
        Map<String, String> tree = headTree();
        assertFalse(tree.keySet().stream().anyMatch(p -> p.startsWith("logs/")));
        assertTrue(tree.containsKey("logsx/c.txt"));
    }

    @Test
    void apply_deleteMissingFolder_throwsEntryNotFoundAndNoNewCommit() throws IOException {
        RevCommit before = head();
        assertThrows(Errors.EntryNotFound.class, () -> apply(new CommitOperation.DeleteFolder("nope")));
        assertEquals(before, head());
    }

    @Test
    void apply_deleteFolderHoldingOnlyPendingFiles_dropsThem() throws IOException {
        apply(add("new/a.txt", "a"), new CommitOperation.DeleteFolder("new"), add("b.txt", "b"));
        assertFalse(headTree().containsKey("new/a.txt"));
        assertTrue(headTree().containsKey("b.txt"));
    }

    @Test
    void apply_deleteGitattributesAndAddSmallBinFile_storesItAsTheResultingTreeRoutesIt() throws IOException {
        apply(new CommitOperation.DeleteFile(".gitattributes"), add("x.bin", "small"));
        String attributes = read(head(), ".gitattributes");
        boolean routed = attributes != null && LfsRules.parse(attributes).isLfs("x.bin");
        FileEntry entry = TreeReader.find(git, head(), "x.bin").orElseThrow();
        assertEquals(routed, entry.lfs() != null, "lfs=" + entry.lfs() + " but .gitattributes is " + attributes);
    }

    @Test
    void apply_deleteGitattributesAndAddLargeFile_doesNotResurrectTheOldRules() throws IOException {
        apply(new CommitOperation.DeleteFile(".gitattributes"), add("big.txt", bytes(2000, 9)));
        String attributes = read(head(), ".gitattributes");
        assertFalse(attributes != null && attributes.contains("*.safetensors"),
                "the deleted .gitattributes came back with its old rules");
    }

    // ---- file/folder clashes ----

    @Test
    void apply_fileBelowExistingFile_throwsBadRequestAndTreeUnchanged() throws IOException {
        apply(add("README.md", "# keep me"));
        RevCommit before = head();
        Map<String, String> treeBefore = headTree();

        Errors.BadRequest e = assertThrows(Errors.BadRequest.class, () -> apply(add("README.md/x", "x")));
        assertTrue(e.getMessage().contains("README.md"), e.getMessage());
        assertEquals(before, head());
        assertEquals(treeBefore, headTree());
        assertEquals("# keep me", read(head(), "README.md"));
    }

    @Test
    void apply_fileWhereFolderExists_throwsBadRequestAndTreeUnchanged() throws IOException {
        apply(add("dir/a.txt", "a"));
        RevCommit before = head();
        assertThrows(Errors.BadRequest.class, () -> apply(add("dir", "now a file")));
        assertEquals(before, head());
        assertEquals("a", read(head(), "dir/a.txt"));
    }

    @Test
    void apply_fileAndFileBelowItInSameCommit_throwsBadRequest() throws IOException {
        RevCommit before = head();
        assertThrows(Errors.BadRequest.class, () -> apply(add("x", "file"), add("x/y", "nested")));
        assertEquals(before, head());
    }

    @Test
    void apply_fileBelowDeletedFile_replacesFileWithFolder() throws IOException {
        apply(add("README.md", "# old"));
        apply(new CommitOperation.DeleteFile("README.md"), add("README.md/x", "x"));
        assertEquals("x", read(head(), "README.md/x"));
        assertFalse(headTree().containsKey("README.md"));
    }

    @Test
    void apply_fileWhereDeletedFolderWas_replacesFolderWithFile() throws IOException {
        apply(add("dir/a.txt", "a"));
        apply(new CommitOperation.DeleteFolder("dir"), add("dir", "file now"));
        assertEquals("file now", read(head(), "dir"));
        assertFalse(headTree().containsKey("dir/a.txt"));
    }

    // ---- branch state ----

    @Test
    void apply_staleParentCommit_throwsStaleParentAndNoNewCommit() throws IOException {
        String stale = head().name();
        apply(add("a.txt", "a"));
        RevCommit before = head();
        Errors.StaleParent e = assertThrows(Errors.StaleParent.class, () -> apply(stale, add("b.txt", "b")));
        assertEquals(412, e.status());
        assertEquals(before, head());
    }

    @Test
    void apply_currentParentCommitFullOrAbbreviated_isAccepted() throws IOException {
        apply(head().name(), add("a.txt", "a"));
        apply(head().name().substring(0, 7).toUpperCase(), add("b.txt", "b"));
        assertTrue(headTree().containsKey("b.txt"));
    }

    @Test
    void apply_malformedParentCommit_throwsBadRequest() {
        assertThrows(Errors.BadRequest.class, () -> apply("not-a-sha", add("a.txt", "a")));
        assertThrows(Errors.BadRequest.class, () -> apply("abcd", add("a.txt", "a")));
    }

    @Test
    void apply_unknownBranch_throwsRevisionNotFound() {
        assertThrows(Errors.RevisionNotFound.class, () -> service.apply(git, repo, AUTHOR, "nope",
                new NdjsonCommitParser.ParsedCommit(new CommitHeader("s", "", null), List.of())));
    }

    @Test
    void apply_tag_throwsBadRequest() throws IOException {
        var update = git.updateRef("refs/tags/v1");
        update.setNewObjectId(head());
        update.update();
        assertThrows(Errors.BadRequest.class, () -> service.apply(git, repo, AUTHOR, "v1",
                new NdjsonCommitParser.ParsedCommit(new CommitHeader("s", "", null), List.of(add("a", "a")))));
    }

    @Test
    void apply_headRevision_commitsToMain() throws IOException {
        service.apply(git, repo, AUTHOR, "HEAD", new NdjsonCommitParser.ParsedCommit(
                new CommitHeader("s", "", null), List.of(add("via-head.txt", "h"))));
        assertEquals("h", read(Revisions.resolve(git, "main").commit(), "via-head.txt"));
    }
}
