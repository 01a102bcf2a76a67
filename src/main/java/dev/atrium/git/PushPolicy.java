package dev.atrium.git;

import dev.atrium.card.FrontMatter;
import dev.atrium.card.InvalidCardException;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.Repo;
import dev.atrium.repo.Repos;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefDatabase;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.PostReceiveHook;
import org.eclipse.jgit.transport.PreReceiveHook;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a push may change (hub-api §15.3): branches and tags only, never the default branch away, no plain blob above
 * the git size limit, no LFS pointer to an object this repo was not sent. Refused refs get a short {@code ng} reason
 * and the full explanation goes to the user's terminal over the sideband ({@code remote: error: ...}).
 */
final class PushPolicy implements PreReceiveHook, PostReceiveHook {
    private static final Logger LOG = LoggerFactory.getLogger(PushPolicy.class);
    private static final int MAX_REPORTED = 5;

    private final Repo repo;
    private final Repos repos;
    private final Clock clock;
    private final long blobLimit;
    private final PushScanner scanner;
    private final LfsObjects lfsObjects;
    /** LFS objects the pushed commits reference; they count as committed once the push has landed. */
    private final java.util.Set<dev.atrium.storage.Sha256> pushedPointers = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final SmartHttp.OpenPullRequests pullRequests;

    PushPolicy(Repo repo, LfsObjects lfsObjects, Repos repos, Clock clock, long blobLimit,
               SmartHttp.OpenPullRequests pullRequests) {
        this.pullRequests = pullRequests;
        this.repo = repo;
        this.repos = repos;
        this.clock = clock;
        this.blobLimit = blobLimit;
        this.lfsObjects = lfsObjects;
        this.scanner = new PushScanner(blobLimit, pointer -> {
            boolean present = lfsObjects.sizeOf(repo, pointer.oid()).stream().anyMatch(size -> size == pointer.size());
            if (present) {
                pushedPointers.add(pointer.oid());
            }
            return present;
        });
    }

    @Override
    public void onPreReceive(ReceivePack rp, Collection<ReceiveCommand> commands) {
        if (commands.size() > 1) {
            // All or nothing: JGit then fails every other command when one is refused, and applies the rest as one
            // transaction on the ref database (RefDirectory supports it), so a multi-ref push never half-lands.
            rp.setAtomic(true);
        }
        Repository git = rp.getRepository();
        try {
            List<ObjectId> known = knownTips(git);
            String defaultBranch = defaultBranch(git);
            for (ReceiveCommand command : commands) {
                check(rp, git, command, known, defaultBranch);
            }
        } catch (IOException e) {
            LOG.error("pre-receive check of {} failed", repo.repoId(), e);
            for (ReceiveCommand command : commands) {
                if (command.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
                    command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, "internal error checking the push");
                }
            }
        }
    }

    private void check(ReceivePack rp, Repository git, ReceiveCommand command, List<ObjectId> known,
                       String defaultBranch) throws IOException {
        String ref = command.getRefName();
        if (ref.startsWith("refs/convert/")) {
            reject(command, "refs/convert/* is maintained by the hub and cannot be pushed to");
            return;
        }
        if (ref.startsWith("refs/pr/")) {
            // As on the Hub, commits can be pushed onto an open pull request; the hub makes and removes the refs.
            if (command.getType() == ReceiveCommand.Type.CREATE || command.getType() == ReceiveCommand.Type.DELETE
                    || !pullRequests.takesCommits(repo, pullRequestNumber(ref))) {
                reject(command, "only an open pull request's ref can be pushed to, and only updated");
                return;
            }
        } else if (!ref.startsWith(Constants.R_HEADS) && !ref.startsWith(Constants.R_TAGS)) {
            reject(command, "only branches (refs/heads/*), tags (refs/tags/*) and open pull requests (refs/pr/N) can"
                    + " be pushed");
            return;
        }
        if (command.getType() == ReceiveCommand.Type.DELETE) {
            if (ref.equals(defaultBranch)) {
                reject(command, "the default branch " + Repository.shortenRefName(ref) + " cannot be deleted");
            }
            return;
        }
        List<PushScanner.Violation> violations = scanner.scan(git, command.getNewId(), known, MAX_REPORTED);
        if (violations.isEmpty()) {
            if (ref.startsWith(Constants.R_HEADS) || ref.startsWith("refs/pr/")) {
                cardProblem(git, command.getNewId()).ifPresent(problem -> {
                    rp.sendError("README.md: " + problem);
                    reject(command, "invalid metadata in README.md: " + problem);
                });
            }
            return;
        }
        for (PushScanner.Violation violation : violations) {
            rp.sendError(explain(violation));
        }
        PushScanner.Violation first = violations.get(0);
        reject(command, first instanceof PushScanner.OversizedBlob
                ? "file " + first.path() + " is larger than " + size(blobLimit) + "; track it with git lfs"
                : "file " + first.path() + " points to an LFS object that was not uploaded");
    }

    private static int pullRequestNumber(String ref) {
        try {
            return Integer.parseInt(ref.substring("refs/pr/".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The Hub refuses a branch whose README.md metadata does not parse; the message names the line. */
    private static java.util.Optional<String> cardProblem(Repository git, ObjectId tip) throws IOException {
        try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(git)) {
            org.eclipse.jgit.revwalk.RevObject object = walk.parseAny(tip);
            if (!(object instanceof org.eclipse.jgit.revwalk.RevCommit commit)) {
                return java.util.Optional.empty();
            }
            try (org.eclipse.jgit.treewalk.TreeWalk tree = org.eclipse.jgit.treewalk.TreeWalk.forPath(git, "README.md",
                    commit.getTree())) {
                if (tree == null || (tree.getRawMode(0) & org.eclipse.jgit.lib.FileMode.TYPE_MASK)
                        != org.eclipse.jgit.lib.FileMode.TYPE_FILE) {
                    return java.util.Optional.empty();
                }
                org.eclipse.jgit.lib.ObjectLoader loader = git.open(tree.getObjectId(0), Constants.OBJ_BLOB);
                if (loader.getSize() > 2L * FrontMatter.MAX_BYTES) {
                    return java.util.Optional.empty();
                }
                String text = new String(loader.getCachedBytes(), java.nio.charset.StandardCharsets.UTF_8);
                FrontMatter.validate(text);
                return java.util.Optional.empty();
            }
        } catch (InvalidCardException e) {
            return java.util.Optional.of(e.getMessage());
        }
    }

    String explain(PushScanner.Violation violation) {
        if (violation instanceof PushScanner.OversizedBlob big) {
            return "File " + big.path() + " is " + size(big.size()) + "; files larger than " + size(blobLimit)
                    + " must be stored with Git LFS. Track it with `git lfs track \"" + big.path() + "\"`, then"
                    + " `git add .gitattributes`, and rewrite the commits that added it (for example with"
                    + " `git lfs migrate import --include=\"" + big.path() + "\"`) before pushing again.";
        }
        PushScanner.MissingLfsObject missing = (PushScanner.MissingLfsObject) violation;
        return "File " + missing.path() + " is a Git LFS pointer to object " + missing.pointer().oid() + " ("
                + missing.pointer().size() + " bytes), which was not uploaded to this repository. Install git-lfs"
                + " (`git lfs install`) and push again, or upload it with `git lfs push --all origin`.";
    }

    private static void reject(ReceiveCommand command, String reason) {
        command.setResult(ReceiveCommand.Result.REJECTED_OTHER_REASON, reason);
    }

    /** The tips of every ref: objects reachable from them are already in the repo and were checked when pushed. */
    private static List<ObjectId> knownTips(Repository git) throws IOException {
        List<ObjectId> tips = new ArrayList<>();
        for (Ref ref : git.getRefDatabase().getRefsByPrefix(RefDatabase.ALL)) {
            if (ref.getObjectId() != null) {
                tips.add(ref.getObjectId());
            }
        }
        return tips;
    }

    private static String defaultBranch(Repository git) throws IOException {
        Ref head = git.exactRef(Constants.HEAD);
        return head != null && head.isSymbolic() ? head.getTarget().getName() : Constants.R_HEADS + "main";
    }

    static String size(long bytes) {
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1 << 20));
    }

    @Override
    public void onPostReceive(ReceivePack rp, Collection<ReceiveCommand> commands) {
        if (!commands.isEmpty()) {
            repos.touch(repo, clock.millis(), commands.stream()
                    .filter(c -> c.getResult() == ReceiveCommand.Result.OK)
                    .map(c -> Repos.RefChange.of(c.getRefName(), c.getOldId(), c.getNewId())).toList());
            pushedPointers.forEach(oid -> lfsObjects.noteCommitted(repo, oid));
        }
    }
}
