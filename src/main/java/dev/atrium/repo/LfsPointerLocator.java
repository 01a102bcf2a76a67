package dev.atrium.repo;

import dev.atrium.lfs.LfsPointer;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Where in a repo's history LFS pointers to given objects were committed: a path and the ref whose history holds
 * it, for {@code list_lfs_files}, which shows a "possible filename" per object. Walks branches (the default one
 * first), then tags, then other refs, newest commit first, looking only at files each commit changed, and stops once
 * every object is placed.
 */
public final class LfsPointerLocator {
    /** A path that pointed to the object, and the ref from whose history it was read. */
    public record Location(String path, String ref) {}

    private LfsPointerLocator() {}

    public static Map<Sha256, Location> locate(Repository git, Set<Sha256> oids) throws IOException {
        Map<Sha256, Location> found = new HashMap<>();
        if (oids.isEmpty()) {
            return found;
        }
        Set<ObjectId> seenBlobs = new HashSet<>();
        List<RevCommit> walked = new ArrayList<>();
        try (ObjectReader reader = git.newObjectReader()) {
            for (Ref ref : ordered(git)) {
                try (RevWalk walk = new RevWalk(reader)) {
                    RevObject tip = walk.peel(walk.parseAny(ref.getObjectId()));
                    if (!(tip instanceof RevCommit start)) {
                        continue;
                    }
                    walk.markStart(start);
                    for (RevCommit done : walked) {
                        walk.markUninteresting(walk.parseCommit(done));
                    }
                    for (RevCommit commit; (commit = walk.next()) != null; ) {
                        RevCommit parent = commit.getParentCount() > 0 ? walk.parseCommit(commit.getParent(0)) : null;
                        scan(commit, parent, reader, ref.getName(), oids, found, seenBlobs);
                        if (found.size() == oids.size()) {
                            return found;
                        }
                    }
                    walked.add(start);
                }
            }
        }
        return found;
    }

    /** Refs in the order their histories are searched: the default branch, other branches, tags, the rest. */
    private static List<Ref> ordered(Repository git) throws IOException {
        String head = git.getFullBranch();
        List<Ref> refs = new ArrayList<>(git.getRefDatabase().getRefsByPrefix(Constants.R_REFS));
        refs.removeIf(ref -> ref.isSymbolic() || ref.getObjectId() == null);
        refs.sort(Comparator.comparingInt((Ref ref) -> ref.getName().equals(head) ? 0
                : ref.getName().startsWith(Constants.R_HEADS) ? 1
                : ref.getName().startsWith(Constants.R_TAGS) ? 2 : 3).thenComparing(Ref::getName));
        return refs;
    }

    private static void scan(RevCommit commit, RevCommit parent, ObjectReader reader, String ref, Set<Sha256> oids,
                             Map<Sha256, Location> found, Set<ObjectId> seenBlobs) throws IOException {
        try (TreeWalk tree = new TreeWalk(reader)) {
            tree.setRecursive(true);
            tree.addTree(commit.getTree());
            if (parent != null) {
                tree.addTree(parent.getTree());
                tree.setFilter(TreeFilter.ANY_DIFF);
            }
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                if (!FileMode.REGULAR_FILE.equals(mode) && !FileMode.EXECUTABLE_FILE.equals(mode)) {
                    continue;
                }
                ObjectId blob = tree.getObjectId(0);
                if (!seenBlobs.add(blob)
                        || reader.getObjectSize(blob, Constants.OBJ_BLOB) > LfsPointer.MAX_POINTER_SIZE) {
                    continue;
                }
                LfsPointer.parse(reader.open(blob, Constants.OBJ_BLOB).getBytes())
                        .filter(pointer -> oids.contains(pointer.oid()))
                        .ifPresent(pointer -> found.putIfAbsent(pointer.oid(),
                                new Location(tree.getPathString(), ref)));
            }
        }
    }
}
