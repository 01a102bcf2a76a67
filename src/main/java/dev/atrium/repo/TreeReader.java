package dev.atrium.repo;

import dev.atrium.http.Errors;
import dev.atrium.lfs.LfsPointer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/** Lists and looks up the files of a commit, telling LFS pointers from regular files. */
public final class TreeReader {
    private TreeReader() {}

    /**
     * The entries under {@code folder} (empty for the root): direct children, or every descendant when recursive
     * (folders included, as the clients' globbing needs them).
     */
    public static List<FileEntry> list(Repository repo, RevCommit commit, String folder, boolean recursive)
            throws IOException {
        return list(repo, commit, folder, recursive, path -> true);
    }

    public static List<FileEntry> list(Repository repo, RevCommit commit, String folder, boolean recursive,
                                       Predicate<String> include) throws IOException {
        List<FileEntry> out = new ArrayList<>();
        try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = new TreeWalk(repo, reader)) {
            ObjectId tree = commit.getTree();
            String prefix = "";
            if (!folder.isEmpty()) {
                try (TreeWalk find = TreeWalk.forPath(repo, folder, commit.getTree())) {
                    if (find == null || find.getFileMode(0) != FileMode.TREE) {
                        throw new Errors.EntryNotFound("Folder '" + folder + "' does not exist at " + commit.name(),
                                commit.name());
                    }
                    tree = find.getObjectId(0);
                }
                prefix = folder + "/";
            }
            walk.addTree(tree);
            walk.setRecursive(false);
            while (walk.next()) {
                String path = prefix + walk.getPathString();
                boolean isDir = walk.isSubtree();
                if (include.test(path)) {
                    out.add(isDir ? new FileEntry(path, true, walk.getObjectId(0).name(), 0, null, 0)
                            : fileEntry(reader, path, walk.getObjectId(0)));
                }
                if (isDir && recursive) {
                    walk.enterSubtree();
                }
            }
        }
        return out;
    }

    /** The entry at {@code path}, file or folder, or empty. */
    public static Optional<FileEntry> find(Repository repo, RevCommit commit, String path) throws IOException {
        try (ObjectReader reader = repo.newObjectReader();
             TreeWalk walk = TreeWalk.forPath(reader, path, commit.getTree())) {
            if (walk == null) {
                return Optional.empty();
            }
            if (walk.getFileMode(0) == FileMode.TREE) {
                return Optional.of(new FileEntry(path, true, walk.getObjectId(0).name(), 0, null, 0));
            }
            if ((walk.getRawMode(0) & FileMode.TYPE_MASK) != FileMode.TYPE_FILE) {
                return Optional.empty(); // symlinks and submodules are not files the Hub serves
            }
            return Optional.of(fileEntry(reader, path, walk.getObjectId(0)));
        }
    }

    static FileEntry fileEntry(ObjectReader reader, String path, ObjectId blob) throws IOException {
        long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
        if (size <= LfsPointer.MAX_POINTER_SIZE) {
            byte[] content = reader.open(blob, Constants.OBJ_BLOB).getCachedBytes();
            Optional<LfsPointer> pointer = LfsPointer.parse(content);
            if (pointer.isPresent()) {
                return new FileEntry(path, false, blob.name(), pointer.get().size(), pointer.get(), size);
            }
        }
        return new FileEntry(path, false, blob.name(), size, null, size);
    }
}
