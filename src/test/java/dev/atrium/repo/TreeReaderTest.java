package dev.atrium.repo;

import static dev.atrium.repo.TestGit.files;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.http.Errors;
import dev.atrium.lfs.LfsPointer;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeReaderTest {
    private static final long BIG = 5_000_000_000L;
    private static final LfsPointer POINTER = new LfsPointer(Sha256.of("weights".getBytes(StandardCharsets.UTF_8)), BIG);

    @TempDir
    Path dir;
    private TestGit git;
    private RevCommit commit;
    private ObjectId pointerBlob;

    @BeforeEach
    void init() throws IOException {
        git = TestGit.init(dir);
        pointerBlob = git.blob(POINTER.encode());
        git.commit("main", files("README.md", "# model", "config.json", "{}", "sub/a.txt", "a",
                "sub/deep/b.txt", "bb"));
        commit = git.commit("main", List.of(new TreeEdit.PutBlob("sub/model.bin", pointerBlob)));
    }

    @AfterEach
    void close() {
        git.close();
    }

    private static List<String> paths(List<FileEntry> entries) {
        return entries.stream().map(e -> (e.isDirectory() ? "D " : "F ") + e.path()).toList();
    }

    @Test
    void list_rootNonRecursive_hasDirectChildrenOnly() throws IOException {
        assertEquals(List.of("F README.md", "F config.json", "D sub"),
                paths(TreeReader.list(git.repo, commit, "", false)));
    }

    @Test
    void list_rootRecursive_includesFoldersAndAllFiles() throws IOException {
        assertEquals(List.of("F README.md", "F config.json", "D sub", "F sub/a.txt", "D sub/deep",
                        "F sub/deep/b.txt", "F sub/model.bin"),
                paths(TreeReader.list(git.repo, commit, "", true)));
    }

    @Test
    void list_folder_hasPathsPrefixedWithTheFolder() throws IOException {
        assertEquals(List.of("F sub/a.txt", "D sub/deep", "F sub/model.bin"),
                paths(TreeReader.list(git.repo, commit, "sub", false)));
        assertEquals(List.of("F sub/deep/b.txt"), paths(TreeReader.list(git.repo, commit, "sub/deep", true)));
    }

    @Test
    void list_filter_keepsOnlyMatchingEntriesButStillDescends() throws IOException {
        List<FileEntry> txt = TreeReader.list(git.repo, commit, "", true, p -> p.endsWith(".txt"));
        assertEquals(List.of("F sub/a.txt", "F sub/deep/b.txt"), paths(txt));
    }

    @Test
    void list_entries_carrySizesAndOids() throws IOException {
        Map<String, FileEntry> byPath = new java.util.HashMap<>();
        TreeReader.list(git.repo, commit, "", true).forEach(e -> byPath.put(e.path(), e));
        FileEntry b = byPath.get("sub/deep/b.txt");
        assertEquals(2, b.size());
        assertEquals(git.blob("bb").name(), b.oid());
        assertNull(b.lfs());
        FileEntry model = byPath.get("sub/model.bin");
        assertEquals(BIG, model.size());
        assertEquals(POINTER, model.lfs());
        assertEquals(0, byPath.get("sub").size());
    }

    @Test
    void list_missingFolderOrFile_throwsEntryNotFoundWithCommit() {
        Errors.EntryNotFound e = assertThrows(Errors.EntryNotFound.class,
                () -> TreeReader.list(git.repo, commit, "nope", false));
        assertEquals(Map.of("X-Repo-Commit", commit.name()), e.headers());
        assertThrows(Errors.EntryNotFound.class, () -> TreeReader.list(git.repo, commit, "README.md", false));
    }

    @Test
    void find_lfsPointer_reportsRealSizeAndPointer() throws IOException {
        FileEntry entry = TreeReader.find(git.repo, commit, "sub/model.bin").orElseThrow();
        assertFalse(entry.isDirectory());
        assertEquals(POINTER, entry.lfs());
        assertEquals(BIG, entry.size());
        assertEquals(POINTER.encode().length, entry.pointerSize());
        assertEquals(pointerBlob.name(), entry.oid());
    }

    @Test
    void find_regularFile_hasBlobSizeAndNoPointer() throws IOException {
        FileEntry entry = TreeReader.find(git.repo, commit, "README.md").orElseThrow();
        assertNull(entry.lfs());
        assertEquals(7, entry.size());
        assertEquals(7, entry.pointerSize());
    }

    @Test
    void find_textThatAlmostLooksLikeAPointer_isRegular() throws IOException {
        String almost = new String(POINTER.encode(), StandardCharsets.US_ASCII)
                .replace(POINTER.oid().hex(), POINTER.oid().hex().toUpperCase());
        RevCommit c = git.commit("main", files("notes.txt", almost));
        FileEntry entry = TreeReader.find(git.repo, c, "notes.txt").orElseThrow();
        assertNull(entry.lfs());
        assertEquals(almost.length(), entry.size());
    }

    @Test
    void find_folder_isDirectoryEntry() throws IOException {
        FileEntry entry = TreeReader.find(git.repo, commit, "sub/deep").orElseThrow();
        assertTrue(entry.isDirectory());
        assertEquals("sub/deep", entry.path());
    }

    @Test
    void find_missingPath_isEmpty() throws IOException {
        assertEquals(Optional.empty(), TreeReader.find(git.repo, commit, "missing.txt"));
        assertEquals(Optional.empty(), TreeReader.find(git.repo, commit, "README.md/x"));
    }

    @Test
    void page_followedToTheEnd_givesTheListingOnce_forEveryPageSize() throws IOException {
        RevCommit c = git.commit("main", files("a", "1", "a-b.txt", "2", "a.txt", "3", "a/x", "4", "a/y/z", "5",
                "a0", "6", "\u00e9t\u00e9.txt", "7", "sub/deep/zz.txt", "8"));
        for (String folder : List.of("", "sub", "a")) {
            for (boolean recursive : List.of(false, true)) {
                List<String> whole = paths(TreeReader.list(git.repo, c, folder, recursive));
                for (int limit = 1; limit <= whole.size() + 1; limit++) {
                    List<String> paged = new java.util.ArrayList<>();
                    TreeCursor cursor = null;
                    int pages = 0;
                    do {
                        TreePage page = TreeReader.page(git.repo, c, folder, recursive, cursor, limit);
                        paged.addAll(paths(page.entries()));
                        cursor = page.next() == null ? null : TreeCursor.decode(page.next().encode()).orElseThrow();
                        pages++;
                    } while (cursor != null);
                    String what = "'" + folder + "' recursive=" + recursive + " limit=" + limit;
                    assertEquals(whole, paged, what);
                    assertEquals(Math.max(1, (whole.size() + limit - 1) / limit), pages, what);
                }
            }
        }
    }

    @Test
    void page_afterAnEntryGoneSinceThePageBefore_resumesWhereItWould() throws IOException {
        RevCommit c = git.commit("main", files("sub/c.txt", "c"));
        TreePage page = TreeReader.page(git.repo, c, "", true, new TreeCursor("sub/b.txt", false), 100);
        assertEquals(List.of("F sub/c.txt", "D sub/deep", "F sub/deep/b.txt", "F sub/model.bin"),
                paths(page.entries()));
        assertNull(page.next());
    }

    @Test
    void page_notRecursive_treatsADeeperCursorAsItsFolder() throws IOException {
        TreePage page = TreeReader.page(git.repo, commit, "", false, new TreeCursor("README.md/x", false), 100);
        assertEquals(List.of("F config.json", "D sub"), paths(page.entries()));
    }

    @Test
    void cursor_decodesOnlyWhatItEncoded() {
        TreeCursor cursor = new TreeCursor("sub/deep", true);
        assertEquals(Optional.of(cursor), TreeCursor.decode(cursor.encode()));
        assertEquals(Optional.empty(), TreeCursor.decode("50"));
        assertEquals(Optional.empty(), TreeCursor.decode("not base64!"));
        assertEquals(Optional.empty(), TreeCursor.decode(java.util.Base64.getUrlEncoder().encodeToString(
                "f/etc/passwd".getBytes(StandardCharsets.UTF_8))));
    }
}
