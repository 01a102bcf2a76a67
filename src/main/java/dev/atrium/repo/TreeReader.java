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
import org.jspecify.annotations.Nullable;

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
            String prefix = start(walk, commit, folder);
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

    /**
     * At most {@code limit} entries of {@link #list} in git's tree order, from just after {@code after} (from the
     * start when null), and the cursor of the page that follows them when there are more. Only the entries of the
     * page are read: a listing of a folder of 100,000 files costs one walk over names per page, not 100,000 blob
     * reads, and the walk skips unopened the folders that lie wholly before the cursor.
     */
    public static TreePage page(Repository repo, RevCommit commit, String folder, boolean recursive,
                                @Nullable TreeCursor after, int limit) throws IOException {
        List<TreeNode> nodes = new ArrayList<>();
        boolean more = false;
        List<FileEntry> out;
        try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = new TreeWalk(repo, reader)) {
            String prefix = start(walk, commit, folder);
            CursorSkip skip = after == null ? null : new CursorSkip(after, recursive);
            while (walk.next()) {
                boolean isDir = walk.isSubtree();
                if (skip != null) {
                    CursorSkip.Place place = skip.place(walk.getDepth(), walk.getNameString(), isDir);
                    if (place != CursorSkip.Place.AFTER) {
                        if (place == CursorSkip.Place.ANCESTOR || (place == CursorSkip.Place.AT && isDir && recursive)) {
                            walk.enterSubtree();
                        }
                        if (place == CursorSkip.Place.AT) {
                            skip = null;
                        }
                        continue;
                    }
                    skip = null;
                }
                if (nodes.size() == limit) {
                    more = true;
                    break;
                }
                nodes.add(new TreeNode(prefix + walk.getPathString(), isDir, walk.getObjectId(0)));
                if (isDir && recursive) {
                    walk.enterSubtree();
                }
            }
            out = entries(reader, nodes);
        }
        if (!more || out.isEmpty()) {
            return new TreePage(out, null);
        }
        FileEntry last = out.get(out.size() - 1);
        String relative = folder.isEmpty() ? last.path() : last.path().substring(folder.length() + 1);
        return new TreePage(out, new TreeCursor(relative, last.isDirectory()));
    }

    /**
     * The direct children of {@code folder} by name, type and object id only: no blob is read, so a folder of
     * 100,000 files can be sorted and cut into pages before {@link #entries} reads the page's.
     */
    public static List<TreeNode> children(Repository repo, RevCommit commit, String folder) throws IOException {
        List<TreeNode> out = new ArrayList<>();
        try (ObjectReader reader = repo.newObjectReader(); TreeWalk walk = new TreeWalk(repo, reader)) {
            String prefix = start(walk, commit, folder);
            while (walk.next()) {
                out.add(new TreeNode(prefix + walk.getPathString(), walk.isSubtree(), walk.getObjectId(0)));
            }
        }
        return out;
    }

    /** The entries of {@code nodes}: sizes, and LFS pointers told from regular files. */
    public static List<FileEntry> entries(Repository repo, List<TreeNode> nodes) throws IOException {
        try (ObjectReader reader = repo.newObjectReader()) {
            return entries(reader, nodes);
        }
    }

    private static List<FileEntry> entries(ObjectReader reader, List<TreeNode> nodes) throws IOException {
        List<FileEntry> out = new ArrayList<>(nodes.size());
        for (TreeNode node : nodes) {
            out.add(node.isDirectory() ? new FileEntry(node.path(), true, node.id().name(), 0, null, 0)
                    : fileEntry(reader, node.path(), node.id()));
        }
        return out;
    }

    /** Points {@code walk} at {@code folder} of the commit (the root when empty); the prefix of its paths. */
    private static String start(TreeWalk walk, RevCommit commit, String folder) throws IOException {
        ObjectId tree = commit.getTree();
        String prefix = "";
        if (!folder.isEmpty()) {
            try (TreeWalk find = TreeWalk.forPath(walk.getObjectReader(), folder, commit.getTree())) {
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
        return prefix;
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
