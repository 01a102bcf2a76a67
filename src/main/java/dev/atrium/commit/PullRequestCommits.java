package dev.atrium.commit;

import dev.atrium.auth.Principal;
import dev.atrium.discussion.Discussions;
import dev.atrium.discussion.PullRequests;
import dev.atrium.discussion.Threads;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import java.io.IOException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * Commits that land on a pull request rather than a branch: opening one with a first commit ({@code create_pr} in
 * the API, an edit in the browser by someone who may not write the repo), or adding to one. Each commit is also an
 * event of the pull request's thread.
 */
public final class PullRequestCommits {
    /** The pull request and the commit now at its head. */
    public record Opened(Discussions.Discussion pullRequest, ObjectId commit) {}

    private final CommitService commits;
    private final PullRequests pullRequests;
    private final Discussions discussions;
    private final Threads threads;

    public PullRequestCommits(CommitService commits, PullRequests pullRequests, Discussions discussions,
                              Threads threads) {
        this.commits = commits;
        this.pullRequests = pullRequests;
        this.discussions = discussions;
        this.threads = threads;
    }

    /**
     * Opens a pull request into {@code baseRevision}, titled after the commit, starting at the commit's
     * {@code parentCommit} (else the branch head), with the commit on it. The caller's right to contribute is the
     * caller's to check.
     */
    public Opened open(Repository git, Repo repo, Principal caller, String baseRevision,
                       NdjsonCommitParser.ParsedCommit parsed) throws IOException {
        Discussions.Discussion pr = pullRequests.open(git, repo, caller.user(), parsed.header().summary(),
                baseRevision, "open", parsed.header().parentCommit());
        Opened opened = new Opened(pr, addTo(git, repo, caller, pr, parsed));
        threads.opened(repo, pr);
        return opened;
    }

    public ObjectId addTo(Repository git, Repo repo, Principal caller, Discussions.Discussion pr,
                          NdjsonCommitParser.ParsedCommit parsed) throws IOException {
        ObjectId commit = commits.apply(git, repo, caller, pr.prRef(), parsed);
        discussions.addEvent(pr, "commit", caller.user(), Json.MAPPER.createObjectNode()
                .put("subject", parsed.header().summary()).put("oid", commit.name()));
        return commit;
    }
}
