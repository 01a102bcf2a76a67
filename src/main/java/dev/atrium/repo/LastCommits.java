package dev.atrium.repo;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.PriorityQueue;
import java.util.TreeSet;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;

/**
 * The most recent commit that changed each of a set of paths: what {@code expand=true} tree listings and the files
 * page show per entry. The rule is git's ({@code git log -1 -- path}): walking back from the head, a commit whose
 * entry at the path is the same as one of its parents' passes the path on to the first such parent; the first
 * commit where it differs from every parent (or that has none) changed it.
 *
 * <p>All the paths share one walk down the history, each path waiting at the commit it was passed on to, and a
 * folder that is the same as in a parent passes every waiting path under it on without being opened: a page of 50
 * files in a repo of thousands of commits costs one walk, not 50.
 */
public final class LastCommits {
    private LastCommits() {}

    /**
     * The last commit of each path that exists at {@code head}; paths not reached within {@code maxCommits}
     * commits that had a path waiting are left out (0 for no limit).
     */
    public static Map<String, RevCommit> of(Repository repo, RevCommit head, Collection<String> paths,
                                            int maxCommits) throws IOException {
        Map<String, RevCommit> found = new HashMap<>();
        if (paths.isEmpty()) {
            return found;
        }
        try (RevWalk walk = new RevWalk(repo)) {
            // Only the commits paths are handed down to are read, never the whole history (a topological walk read
            // all of it before its first commit: 200,000 commits for every page); bodies are read for the answers.
            walk.setRetainBody(false);
            ObjectReader reader = walk.getObjectReader();
            RevCommit start = walk.parseCommit(head);
            Map<RevCommit, NavigableSet<String>> waiting = new HashMap<>();
            // Newest first, so that paths handed down by several children meet at a commit before it is opened. A
            // path's answer does not depend on the order (each follows its own chain of first unchanged parents):
            // under clock skew a commit may be opened twice, each time for the paths that reached it.
            PriorityQueue<RevCommit> next = new PriorityQueue<>(
                    Comparator.comparingInt(RevCommit::getCommitTime).reversed());
            waiting.put(start, new TreeSet<>(paths));
            next.add(start);
            int opened = 0;
            while (!next.isEmpty()) {
                RevCommit commit = next.poll();
                NavigableSet<String> here = waiting.remove(commit);
                if (maxCommits > 0 && ++opened > maxCommits) {
                    break;
                }
                RevCommit[] parents = commit.getParents();
                if (parents.length == 0) {
                    for (String path : here) {
                        found.put(path, commit);
                    }
                    continue;
                }
                for (RevCommit parent : parents) {
                    walk.parseHeaders(parent);
                }
                Map<Integer, List<String>> passedOn = compare(reader, commit, parents, here, found);
                passedOn.forEach((parent, moved) -> waiting.computeIfAbsent(parents[parent], p -> {
                    next.add(p);
                    return new TreeSet<>();
                }).addAll(moved));
            }
            for (RevCommit answer : new HashSet<>(found.values())) {
                walk.parseBody(answer);
            }
        }
        return found;
    }

    /**
     * Decides the {@code paths} at {@code commit}: those that differ from every parent changed here (into
     * {@code found}); the others are returned under the index of the first parent that has them unchanged.
     */
    private static Map<Integer, List<String>> compare(ObjectReader reader, RevCommit commit, RevCommit[] parents,
                                                      NavigableSet<String> paths, Map<String, RevCommit> found)
            throws IOException {
        Map<Integer, List<String>> passedOn = new HashMap<>();
        try (TreeWalk tw = new TreeWalk(reader)) {
            tw.addTree(commit.getTree());
            for (RevCommit parent : parents) {
                tw.addTree(parent.getTree());
            }
            tw.setRecursive(false);
            tw.setFilter(PathFilterGroup.createFromStrings(paths));
            while (tw.next()) {
                int mode = tw.getRawMode(0);
                if (mode == 0) {
                    continue; // only in a parent
                }
                String path = tw.getPathString();
                int same = sameParent(tw, parents.length, mode);
                if (same >= 0) {
                    passedOn.computeIfAbsent(same, i -> new ArrayList<>()).addAll(atOrUnder(paths, path));
                    continue;
                }
                if (paths.contains(path)) {
                    found.put(path, commit);
                }
                if ((mode & FileMode.TYPE_MASK) == FileMode.TYPE_TREE && !under(paths, path).isEmpty()) {
                    tw.enterSubtree();
                }
            }
        }
        return passedOn;
    }

    /** The index of the first parent whose entry equals the commit's, or -1. */
    private static int sameParent(TreeWalk tw, int parents, int mode) {
        for (int i = 1; i <= parents; i++) {
            if (tw.getRawMode(i) == mode && tw.idEqual(0, i)) {
                return i - 1;
            }
        }
        return -1;
    }

    private static List<String> atOrUnder(NavigableSet<String> paths, String path) {
        List<String> out = new ArrayList<>(under(paths, path));
        if (paths.contains(path)) {
            out.add(path);
        }
        return out;
    }

    /** The paths below folder {@code path}: those from "path/" up to, not including, "path0" ('0' follows '/'). */
    private static NavigableSet<String> under(NavigableSet<String> paths, String path) {
        return paths.subSet(path + "/", true, path + "0", false);
    }
}
