package dev.atrium.discussion;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.User;
import dev.atrium.http.Errors;
import dev.atrium.repo.Repo;
import dev.atrium.repo.Repos;
import dev.atrium.repo.Revisions;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.merge.MergeStrategy;
import org.eclipse.jgit.merge.ThreeWayMerger;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jspecify.annotations.Nullable;

/**
 * Pull requests as git refs: {@code refs/pr/N} starts at its base branch's head; commits go onto it; merging
 * fast-forwards the base when it can, else writes a merge commit (refused on conflicts). Refs move by compare-and-
 * swap, so a concurrent push to the base makes the merge fail rather than lose it.
 */
public final class PullRequests {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Discussions discussions;
    private final Repos repos;
    private final Clock clock;
    private final AccessPolicy.ReadOnlyRepos readOnly;

    /** {@code readOnly}: repos that take no commits (mirrors) take no pull requests either, which could never merge. */
    public PullRequests(Discussions discussions, Repos repos, Clock clock, AccessPolicy.ReadOnlyRepos readOnly) {
        this.discussions = discussions;
        this.repos = repos;
        this.clock = clock;
        this.readOnly = readOnly;
    }

    public PullRequests(Discussions discussions, Repos repos, Clock clock) {
        this(discussions, repos, clock, repo -> java.util.Optional.empty());
    }

    /** Opens pull request N on {@code baseRevision} (a branch), its ref at {@code start} or the branch head. */
    public Discussions.Discussion open(Repository git, Repo repo, User author, String title, String baseRevision,
                                       String status, @Nullable String start) throws IOException {
        java.util.Optional<String> why = readOnly.whyReadOnly(repo);
        if (why.isPresent()) {
            throw new Errors.Forbidden(why.get());
        }
        String baseRef = Revisions.writableRefName(git, baseRevision);
        if (!baseRef.startsWith(Constants.R_HEADS)) {
            throw new Errors.BadRequest("A pull request targets a branch, not " + baseRevision);
        }
        ObjectId at = start == null || start.isEmpty() ? Revisions.resolve(git, baseRef).commit()
                : resolvePrefix(git, start);
        Discussions.Discussion pr = discussions.create(repo.id(), title, author, true, status, baseRef);
        RefUpdate update = git.updateRef(pr.prRef());
        update.setExpectedOldObjectId(ObjectId.zeroId());
        update.setNewObjectId(at);
        if (update.update() != RefUpdate.Result.NEW) {
            throw new Errors.Conflict("Could not create " + pr.prRef());
        }
        return pr;
    }

    private static ObjectId resolvePrefix(Repository git, String sha) throws IOException {
        ObjectId id = git.resolve(sha.toLowerCase(java.util.Locale.ROOT) + "^{commit}");
        if (id == null) {
            throw new Errors.RevisionNotFound(sha);
        }
        return id;
    }

    /** Merges the pull request into its base; returns the base's new head. */
    public ObjectId merge(Repository git, Repo repo, Discussions.Discussion pr, User by, String message)
            throws IOException {
        if (pr.status().equals("merged") || pr.status().equals("closed")) {
            throw new Errors.BadRequest("Pull request #" + pr.num() + " is " + pr.status());
        }
        try (RevWalk walk = new RevWalk(git); ObjectInserter inserter = git.newObjectInserter()) {
            RevCommit base = walk.parseCommit(Revisions.resolve(git, pr.baseRef()).commit());
            RevCommit head = walk.parseCommit(Revisions.resolve(git, pr.prRef()).commit());
            ObjectId result;
            if (walk.isMergedInto(head, base)) {
                result = base; // nothing to bring in
            } else if (walk.isMergedInto(base, head)) {
                result = head; // fast-forward
            } else {
                ThreeWayMerger merger = MergeStrategy.RECURSIVE.newMerger(git, true);
                if (!merger.merge(base, head)) {
                    throw new Errors.Conflict("Pull request #" + pr.num() + " conflicts with " + pr.baseRef()
                            + ": update it first");
                }
                PersonIdent ident = new PersonIdent(by.name(), by.email(), Instant.ofEpochMilli(clock.millis()),
                        ZoneOffset.UTC);
                CommitBuilder commit = new CommitBuilder();
                commit.setTreeId(merger.getResultTreeId());
                commit.setParentIds(base, head);
                commit.setAuthor(ident);
                commit.setCommitter(ident);
                commit.setMessage(message);
                result = inserter.insert(commit);
                inserter.flush();
            }
            if (!result.equals(base)) {
                RefUpdate update = git.updateRef(pr.baseRef());
                update.setExpectedOldObjectId(base);
                update.setNewObjectId(result);
                RefUpdate.Result outcome = update.update(walk);
                if (outcome != RefUpdate.Result.FAST_FORWARD && outcome != RefUpdate.Result.NEW
                        && outcome != RefUpdate.Result.FORCED) {
                    throw new Errors.Conflict(pr.baseRef() + " moved while merging: retry");
                }
                repos.touch(repo, clock.millis(), java.util.List.of(Repos.RefChange.of(pr.baseRef(), base, result)));
            }
            discussions.setStatus(pr, "merged", result.name());
            discussions.addEvent(pr, "status-change", by, JSON.createObjectNode().put("status", "merged"));
            return result;
        }
    }
}
