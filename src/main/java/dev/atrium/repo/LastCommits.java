package dev.atrium.repo;

import java.io.IOException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.revwalk.filter.RevFilter;
import org.eclipse.jgit.treewalk.filter.AndTreeFilter;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/** The most recent commit that changed a path: what {@code expand=true} tree listings show per entry. */
public final class LastCommits {
    private LastCommits() {}

    public static RevCommit of(Repository repo, RevCommit head, String path) throws IOException {
        try (RevWalk walk = new RevWalk(repo)) {
            walk.setTreeFilter(AndTreeFilter.create(PathFilter.create(path), TreeFilter.ANY_DIFF));
            walk.setRevFilter(RevFilter.ALL);
            walk.markStart(walk.parseCommit(head));
            RevCommit found = walk.next();
            return found == null ? head : found;
        }
    }
}
