package dev.atrium.repo;

import java.io.IOException;
import java.util.List;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * Builds a commit from a parent and a list of edits without a working tree, then moves the ref with a
 * compare-and-swap: if the ref moved since {@code expectedOld} was read, nothing is changed and the caller learns.
 */
public final class CommitWriter {
    private CommitWriter() {}

    public record Request(String refName, ObjectId expectedOld, RevCommit parent, List<TreeEdit> edits,
                          PersonIdent author, String message) {}

    public static ObjectId commit(Repository repo, Request request) throws IOException {
        return write(repo, request, false);
    }

    /**
     * As {@link #commit}, for a ref whose new commit need not descend from its old one (an export made anew without
     * history); the move is still a compare-and-swap against {@code expectedOld}.
     */
    public static ObjectId replace(Repository repo, Request request) throws IOException {
        return write(repo, request, true);
    }

    private static ObjectId write(Repository repo, Request request, boolean force) throws IOException {
        try (ObjectInserter inserter = repo.newObjectInserter(); ObjectReader reader = repo.newObjectReader()) {
            DirCache index = DirCache.newInCore();
            if (request.parent() != null) {
                DirCacheBuilder builder = index.builder();
                builder.addTree(new byte[0], 0, reader, request.parent().getTree());
                builder.finish();
            }
            DirCacheEditor editor = index.editor();
            for (TreeEdit edit : request.edits()) {
                if (edit instanceof TreeEdit.PutBlob put) {
                    editor.add(new DirCacheEditor.PathEdit(put.path()) {
                        @Override
                        public void apply(DirCacheEntry entry) {
                            entry.setFileMode(FileMode.REGULAR_FILE);
                            entry.setObjectId(put.blob());
                        }
                    });
                } else if (edit instanceof TreeEdit.DeleteFile del) {
                    editor.add(new DirCacheEditor.DeletePath(del.path()));
                } else if (edit instanceof TreeEdit.DeleteFolder del) {
                    editor.add(new DirCacheEditor.DeleteTree(del.path()));
                }
            }
            editor.finish();
            ObjectId tree = index.writeTree(inserter);

            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(tree);
            if (request.parent() != null) {
                commit.setParentId(request.parent());
            }
            commit.setAuthor(request.author());
            commit.setCommitter(request.author());
            commit.setMessage(request.message());
            ObjectId commitId = inserter.insert(commit);
            inserter.flush();

            RefUpdate update = repo.updateRef(request.refName());
            update.setNewObjectId(commitId);
            update.setExpectedOldObjectId(request.expectedOld() == null ? ObjectId.zeroId() : request.expectedOld());
            update.setForceUpdate(force);
            update.setRefLogMessage("commit: " + firstLine(request.message()), false);
            RefUpdate.Result result = update.update();
            switch (result) {
                case NEW, FAST_FORWARD, FORCED -> {
                    return commitId;
                }
                case LOCK_FAILURE -> throw new RefMovedException(request.refName());
                default -> throw new IOException("ref update of " + request.refName() + " failed: " + result);
            }
        }
    }

    /** True when {@code path} names a file in the tree of {@code commit}. */
    public static boolean fileExists(Repository repo, RevCommit commit, String path) throws IOException {
        if (commit == null) {
            return false;
        }
        try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
            return walk != null && (walk.getRawMode(0) & FileMode.TYPE_MASK) == FileMode.TYPE_FILE;
        }
    }

    /** True when {@code path} names a folder in the tree of {@code commit}. */
    public static boolean folderExists(Repository repo, RevCommit commit, String path) throws IOException {
        if (commit == null) {
            return false;
        }
        try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
            return walk != null && walk.getFileMode(0) == FileMode.TREE;
        }
    }

    static String firstLine(String message) {
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
