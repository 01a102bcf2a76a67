package dev.atrium.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.lfs.LfsPointer;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.internal.storage.dfs.DfsRepositoryDescription;
import org.eclipse.jgit.internal.storage.dfs.InMemoryRepository;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.TreeFormatter;
import org.junit.jupiter.api.Test;

class PushScannerTest {
    private static final long LIMIT = 1000;
    private final InMemoryRepository git = new InMemoryRepository(new DfsRepositoryDescription("test"));

    @Test
    void scan_blobOverLimit_reportsItsPathAndSize() throws IOException {
        ObjectId tip = commit(null, Map.of("README.md", "hi".getBytes(StandardCharsets.UTF_8),
                "data/big.bin", new byte[(int) LIMIT + 1]));

        List<PushScanner.Violation> found = scanner(Set.of()).scan(git, tip, List.of(), 10);

        assertEquals(List.of(new PushScanner.OversizedBlob("data/big.bin", LIMIT + 1)), found);
    }

    @Test
    void scan_blobAtLimit_passes() throws IOException {
        ObjectId tip = commit(null, Map.of("exact.bin", new byte[(int) LIMIT]));

        assertEquals(List.of(), scanner(Set.of()).scan(git, tip, List.of(), 10));
    }

    @Test
    void scan_oversizedBlobAlreadyReachableFromKnownRef_isNotReported() throws IOException {
        ObjectId old = commit(null, Map.of("big.bin", new byte[(int) LIMIT + 5]));
        ObjectId tip = commit(old, Map.of("big.bin", new byte[(int) LIMIT + 5], "new.txt", bytes("new")));

        assertEquals(List.of(), scanner(Set.of()).scan(git, tip, List.of(old), 10));
    }

    @Test
    void scan_pointerToMissingObject_reportsThePointer() throws IOException {
        LfsPointer pointer = new LfsPointer(Sha256.of(bytes("content")), 7);
        ObjectId tip = commit(null, Map.of("model.safetensors", pointer.encode()));

        List<PushScanner.Violation> found = scanner(Set.of()).scan(git, tip, List.of(), 10);

        assertEquals(1, found.size());
        PushScanner.MissingLfsObject missing = assertInstanceOf(PushScanner.MissingLfsObject.class, found.get(0));
        assertEquals("model.safetensors", missing.path());
        assertEquals(pointer, missing.pointer());
    }

    @Test
    void scan_pointerToAvailableObject_passes() throws IOException {
        LfsPointer pointer = new LfsPointer(Sha256.of(bytes("content")), 7);
        ObjectId tip = commit(null, Map.of("model.safetensors", pointer.encode()));

        assertEquals(List.of(), scanner(Set.of(pointer)).scan(git, tip, List.of(), 10));
    }

    @Test
    void scan_textThatMerelyMentionsLfs_isNotAPointer() throws IOException {
        ObjectId tip = commit(null, Map.of("notes.txt",
                bytes("version https://git-lfs.github.com/spec/v1\nthis is prose, not a pointer\n")));

        assertEquals(List.of(), scanner(Set.of()).scan(git, tip, List.of(), 10));
    }

    @Test
    void scan_manyViolations_stopsAtMax() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        for (int i = 0; i < 5; i++) {
            byte[] content = new byte[(int) LIMIT + 1 + i]; // distinct blobs
            Arrays.fill(content, (byte) i);
            files.put("f" + i + ".bin", content);
        }
        ObjectId tip = commit(null, files);

        assertEquals(2, scanner(Set.of()).scan(git, tip, List.of(), 2).size());
    }

    @Test
    void scan_nestedFolders_reportFullPath() throws IOException {
        ObjectId tip = commit(null, Map.of("a/b/c/huge.bin", new byte[(int) LIMIT * 2]));

        List<PushScanner.Violation> found = scanner(Set.of()).scan(git, tip, List.of(), 10);

        assertEquals("a/b/c/huge.bin", found.get(0).path());
        assertTrue(found.get(0) instanceof PushScanner.OversizedBlob);
    }

    private static PushScanner scanner(Set<LfsPointer> available) {
        return new PushScanner(LIMIT, available::contains);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A commit whose tree holds exactly {@code files} (paths may contain folders). */
    private ObjectId commit(ObjectId parent, Map<String, byte[]> files) throws IOException {
        try (ObjectInserter inserter = git.newObjectInserter()) {
            ObjectId tree = tree(inserter, "", new TreeMap<>(files));
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            if (parent != null) {
                commit.setParentId(parent);
            }
            PersonIdent ident = new PersonIdent("t", "t@example.com");
            commit.setAuthor(ident);
            commit.setCommitter(ident);
            commit.setMessage("test");
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static ObjectId tree(ObjectInserter inserter, String prefix, TreeMap<String, byte[]> files)
            throws IOException {
        TreeMap<String, Object> entries = new TreeMap<>(); // name -> blob bytes, or a sub-map for a folder
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String rest = file.getKey().substring(prefix.length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                entries.put(rest, file.getValue());
            } else {
                entries.putIfAbsent(rest.substring(0, slash), prefix + rest.substring(0, slash + 1));
            }
        }
        TreeFormatter formatter = new TreeFormatter();
        // git sorts folders as if their name ended in '/'; these tests never mix a file and a folder prefix.
        for (Map.Entry<String, Object> entry : entries.entrySet()) {
            if (entry.getValue() instanceof byte[] content) {
                formatter.append(entry.getKey(), FileMode.REGULAR_FILE,
                        inserter.insert(Constants.OBJ_BLOB, content));
            } else {
                String sub = (String) entry.getValue();
                TreeMap<String, byte[]> inside = new TreeMap<>();
                files.forEach((path, content) -> {
                    if (path.startsWith(sub)) {
                        inside.put(path, content);
                    }
                });
                formatter.append(entry.getKey(), FileMode.TREE, tree(inserter, sub, inside));
            }
        }
        return inserter.insert(formatter);
    }
}
