package dev.atrium.repo;

import dev.atrium.lfs.LfsPointer;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevSort;
import org.eclipse.jgit.revwalk.RevTag;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/**
 * Rewrites a repo's history so that no commit holds an LFS pointer to given objects: what
 * {@code permanently_delete_lfs_files(rewrite_history=True)} asks for, so that no revision names content that is gone.
 * Every commit of every ref (branches, tags, pull requests) is rebuilt without those files, folders left empty go too,
 * and commits whose tree and parents did not change keep their ids. Authors, committers, dates and messages stay; a
 * signature cannot (it signed the old tree). All refs move in one atomic compare-and-swap: a push in between makes
 * the purge fail and change nothing.
 */
public final class LfsPointerPurge {
    private final Repository git;
    private final Set<Sha256> purged;
    private final Map<ObjectId, Optional<ObjectId>> trees = new HashMap<>();
    private final Map<ObjectId, Boolean> pointerBlobs = new HashMap<>();
    private final Map<ObjectId, ObjectId> commits = new HashMap<>();

    private LfsPointerPurge(Repository git, Set<Sha256> purged) {
        this.git = git;
        this.purged = purged;
    }

    /**
     * Rewrites {@code git}'s refs; returns how many moved.
     *
     * @throws RefMovedException when a ref changed while the history was rewritten
     */
    public static int purge(Repository git, Set<Sha256> oids) throws IOException {
        return oids.isEmpty() ? 0 : new LfsPointerPurge(git, oids).run();
    }

    private int run() throws IOException {
        List<Ref> refs = git.getRefDatabase().getRefsByPrefix(Constants.R_REFS);
        List<ReceiveCommand> moves = new ArrayList<>();
        try (ObjectInserter inserter = git.newObjectInserter(); ObjectReader reader = inserter.newReader();
             RevWalk walk = new RevWalk(reader)) {
            Map<Ref, RevCommit> tips = new HashMap<>();
            for (Ref ref : refs) {
                if (ref.isSymbolic() || ref.getObjectId() == null) {
                    continue;
                }
                RevObject peeled = walk.peel(walk.parseAny(ref.getObjectId()));
                if (peeled instanceof RevCommit commit) {
                    tips.put(ref, commit);
                    walk.markStart(commit);
                }
            }
            walk.sort(RevSort.TOPO, true);
            walk.sort(RevSort.REVERSE, true);
            for (RevCommit commit; (commit = walk.next()) != null; ) {
                commits.put(commit.copy(), rewrite(commit, reader, inserter));
            }
            for (Map.Entry<Ref, RevCommit> tip : tips.entrySet()) {
                Ref ref = tip.getKey();
                ObjectId newCommit = commits.get(tip.getValue());
                if (newCommit.equals(tip.getValue())) {
                    continue;
                }
                ObjectId target = newCommit;
                RevObject object = walk.parseAny(ref.getObjectId());
                if (object instanceof RevTag tag) {
                    target = retag(tag, newCommit, walk, inserter);
                }
                moves.add(new ReceiveCommand(ref.getObjectId(), target, ref.getName()));
            }
            inserter.flush();
            if (moves.isEmpty()) {
                return 0;
            }
            BatchRefUpdate batch = git.getRefDatabase().newBatchUpdate();
            batch.setAtomic(true);
            batch.setAllowNonFastForwards(true);
            batch.addCommand(moves);
            batch.execute(walk, org.eclipse.jgit.lib.NullProgressMonitor.INSTANCE);
            for (ReceiveCommand move : moves) {
                if (move.getResult() != ReceiveCommand.Result.OK) {
                    throw new RefMovedException(move.getRefName());
                }
            }
        }
        return moves.size();
    }

    private ObjectId rewrite(RevCommit commit, ObjectReader reader, ObjectInserter inserter) throws IOException {
        ObjectId tree = rewriteTree(commit.getTree(), reader, inserter).orElse(null);
        if (tree == null) {
            tree = inserter.insert(new TreeFormatter()); // every file of this commit was purged
        }
        boolean same = tree.equals(commit.getTree());
        ObjectId[] parents = new ObjectId[commit.getParentCount()];
        for (int i = 0; i < parents.length; i++) {
            parents[i] = commits.get(commit.getParent(i));
            same &= parents[i].equals(commit.getParent(i));
        }
        if (same) {
            return commit.copy();
        }
        CommitBuilder rebuilt = new CommitBuilder();
        rebuilt.setTreeId(tree);
        rebuilt.setParentIds(parents);
        rebuilt.setAuthor(commit.getAuthorIdent());
        rebuilt.setCommitter(commit.getCommitterIdent());
        rebuilt.setEncoding(commit.getEncoding());
        rebuilt.setMessage(commit.getFullMessage());
        return inserter.insert(rebuilt);
    }

    /** The tree without purged pointers; empty when nothing is left in it. */
    private Optional<ObjectId> rewriteTree(ObjectId tree, ObjectReader reader, ObjectInserter inserter)
            throws IOException {
        Optional<ObjectId> known = trees.get(tree);
        if (known != null) {
            return known;
        }
        TreeFormatter formatter = new TreeFormatter();
        boolean changed = false;
        boolean empty = true;
        for (CanonicalTreeParser entries = new CanonicalTreeParser(null, reader, tree); !entries.eof();
                entries.next()) {
            FileMode mode = entries.getEntryFileMode();
            ObjectId id = entries.getEntryObjectId();
            ObjectId kept = id;
            if (FileMode.TREE.equals(mode)) {
                kept = rewriteTree(id, reader, inserter).orElse(null);
            } else if ((FileMode.REGULAR_FILE.equals(mode) || FileMode.EXECUTABLE_FILE.equals(mode))
                    && isPurgedPointer(id, reader)) {
                kept = null;
            }
            changed |= !id.equals(kept);
            if (kept != null) {
                formatter.append(entries.getEntryPathBuffer(), entries.getNameOffset(), entries.getNameLength(), mode,
                        kept);
                empty = false;
            }
        }
        Optional<ObjectId> result = empty ? Optional.empty()
                : Optional.of(changed ? inserter.insert(formatter) : tree.copy());
        trees.put(tree.copy(), result);
        return result;
    }

    private boolean isPurgedPointer(ObjectId blob, ObjectReader reader) throws IOException {
        Boolean known = pointerBlobs.get(blob);
        if (known == null) {
            known = reader.getObjectSize(blob, Constants.OBJ_BLOB) <= LfsPointer.MAX_POINTER_SIZE
                    && LfsPointer.parse(reader.open(blob, Constants.OBJ_BLOB).getBytes())
                            .map(pointer -> purged.contains(pointer.oid())).orElse(false);
            pointerBlobs.put(blob.copy(), known);
        }
        return known;
    }

    /** A copy of an annotated tag that points at the rewritten commit. */
    private static ObjectId retag(RevTag tag, ObjectId commit, RevWalk walk, ObjectInserter inserter)
            throws IOException {
        walk.parseBody(tag);
        TagBuilder rebuilt = new TagBuilder();
        rebuilt.setObjectId(commit, Constants.OBJ_COMMIT);
        rebuilt.setTag(tag.getTagName());
        rebuilt.setTagger(tag.getTaggerIdent());
        rebuilt.setMessage(tag.getFullMessage());
        return inserter.insert(rebuilt);
    }
}
