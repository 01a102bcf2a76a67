package dev.atrium.mirror;

import dev.atrium.git.PushScanner;
import dev.atrium.http.HubException;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.lfs.LfsPointer;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Repos;
import dev.atrium.usage.Quotas;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jgit.lib.BatchRefUpdate;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sync of a mirror: the source's history is fetched out of sight, the large files its new commits point to are
 * downloaded and verified, and only then do the repo's branches and tags move to the source's, in one atomic update
 * that fails if anything moved them meanwhile. A sync that fails anywhere leaves the repo as it was. What a push
 * sets off (search index, scans, webhooks, the dataset viewer) follows, as for a push.
 */
public final class MirrorSync {
    private static final Logger LOG = LoggerFactory.getLogger(MirrorSync.class);
    /** How long a failed sync waits before the next try, at most (a shorter interval is kept). */
    private static final Duration RETRY = Duration.ofMinutes(30);

    private final Mirrors mirrors;
    private final Repos repos;
    private final RepoService repoService;
    private final LfsObjects lfsObjects;
    private final Quotas quotas;
    private final SourceHub source;
    private final Duration interval;
    private final Clock clock;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public MirrorSync(Mirrors mirrors, Repos repos, RepoService repoService, LfsObjects lfsObjects, Quotas quotas,
                      SourceHub source, Duration interval, Clock clock) {
        this.mirrors = mirrors;
        this.repos = repos;
        this.repoService = repoService;
        this.lfsObjects = lfsObjects;
        this.quotas = quotas;
        this.source = source;
        this.interval = interval;
        this.clock = clock;
    }

    /** Whether this node is syncing the repo now. */
    public boolean isRunning(String repoId) {
        return running.contains(repoId);
    }

    /** Syncs {@code mirror} and records how it went; a repo deleted meanwhile is left alone. */
    public void sync(Mirrors.Mirror mirror) {
        Optional<Repo> repo = repos.findById(mirror.repoId());
        if (repo.isEmpty() || !running.add(mirror.repoId())) {
            return;
        }
        try {
            pull(repo.get(), mirror);
            mirrors.synced(mirror, interval);
            LOG.info("Synced {} from {}", repo.get().repoId(), mirror.source().pageUrl());
        } catch (MirrorFailure e) {
            LOG.warn("Syncing {} from {} failed: {}", repo.get().repoId(), mirror.source().pageUrl(), e.getMessage());
            mirrors.failed(mirror, e.getMessage(), min(RETRY, interval));
        } catch (IOException | RuntimeException e) {
            LOG.error("Syncing {} from {} failed", repo.get().repoId(), mirror.source().pageUrl(), e);
            mirrors.failed(mirror, "The hub failed while syncing (" + e.getClass().getSimpleName()
                    + "); its log has the details", min(RETRY, interval));
        } finally {
            running.remove(mirror.repoId());
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private void pull(Repo repo, Mirrors.Mirror mirror) throws MirrorFailure, IOException {
        String token = mirrors.token(mirror).orElse(null);
        try (Repository git = repoService.openGit(repo)) {
            SourceHub.Fetched fetched = source.fetch(git, mirror.source(), token);
            if (fetched.refs().isEmpty()) {
                throw new MirrorFailure("The source has no branches or tags");
            }
            Map<String, Ref> current = new LinkedHashMap<>();
            for (Ref ref : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_TAGS)) {
                current.put(ref.getName(), ref);
            }
            NewContent content = newContent(git, repo, fetched, current);
            long largest = content.missing.stream().mapToLong(LfsPointer::size).max().orElse(0);
            try {
                quotas.requireUpload(repo, largest, () -> content.missing.stream().mapToLong(LfsPointer::size).sum());
            } catch (HubException e) {
                throw new MirrorFailure(e.getMessage());
            }
            source.download(mirror.source(), token, content.missing,
                    (pointer, in) -> lfsObjects.store(repo, pointer.oid(), pointer.size(), in));
            List<Repos.RefChange> changes = moveRefs(git, fetched, current);
            if (!mirror.keepInSync()) {
                SourceHub.dropFetched(git); // imported once: an ordinary repo from now on
            }
            if (!changes.isEmpty()) {
                repos.touch(repo, clock.millis(), changes);
                content.pointers.forEach(p -> lfsObjects.noteCommitted(repo, p.oid()));
            }
        }
    }

    /** The LFS pointers in what the source has and the repo has not, and those whose objects the repo lacks. */
    private record NewContent(Set<LfsPointer> pointers, Set<LfsPointer> missing) {}

    private NewContent newContent(Repository git, Repo repo, SourceHub.Fetched fetched, Map<String, Ref> current)
            throws IOException {
        Set<LfsPointer> pointers = new LinkedHashSet<>();
        Set<LfsPointer> missing = new LinkedHashSet<>();
        PushScanner scanner = new PushScanner(Long.MAX_VALUE, pointer -> {
            pointers.add(pointer);
            if (lfsObjects.sizeOf(repo, pointer.oid()).stream().noneMatch(size -> size == pointer.size())) {
                missing.add(pointer);
            }
            return true;
        });
        List<ObjectId> known = new ArrayList<>();
        current.values().stream().map(Ref::getObjectId).forEach(known::add);
        for (ObjectId tip : new LinkedHashSet<>(fetched.refs().values())) {
            scanner.scan(git, tip, known, Integer.MAX_VALUE);
            known.add(tip);
        }
        return new NewContent(pointers, missing);
    }

    /**
     * Makes the repo's branches and tags the source's, all or none, each only if it still is what was read before:
     * a concurrent change (another node's sync) fails this one, which the next sync repeats. HEAD then names the
     * source's default branch.
     */
    private static List<Repos.RefChange> moveRefs(Repository git, SourceHub.Fetched fetched, Map<String, Ref> current)
            throws IOException, MirrorFailure {
        List<ReceiveCommand> commands = new ArrayList<>();
        fetched.refs().forEach((name, id) -> {
            Ref now = current.get(name);
            if (now == null) {
                commands.add(new ReceiveCommand(ObjectId.zeroId(), id, name));
            } else if (!now.getObjectId().equals(id)) {
                commands.add(new ReceiveCommand(now.getObjectId(), id, name, ReceiveCommand.Type.UPDATE_NONFASTFORWARD));
            }
        });
        current.forEach((name, ref) -> {
            if (!fetched.refs().containsKey(name)) {
                commands.add(new ReceiveCommand(ref.getObjectId(), ObjectId.zeroId(), name));
            }
        });
        if (!commands.isEmpty()) {
            BatchRefUpdate batch = git.getRefDatabase().newBatchUpdate().setAtomic(true)
                    .setAllowNonFastForwards(true).setRefLogMessage("mirror sync", false);
            batch.addCommand(commands);
            try (RevWalk walk = new RevWalk(git)) {
                batch.execute(walk, NullProgressMonitor.INSTANCE);
            }
            for (ReceiveCommand command : commands) {
                if (command.getResult() != ReceiveCommand.Result.OK) {
                    throw new MirrorFailure("The repo's refs changed during the sync (" + command.getRefName() + ": "
                            + command.getResult() + "); the next sync tries again");
                }
            }
        }
        String head = fetched.head() != null && fetched.refs().containsKey(fetched.head()) ? fetched.head() : null;
        Ref localHead = git.exactRef(Constants.HEAD);
        if (head != null && (localHead == null || !localHead.isSymbolic()
                || !localHead.getTarget().getName().equals(head))) {
            RefUpdate.Result linked = git.updateRef(Constants.HEAD).link(head);
            if (linked != RefUpdate.Result.NEW && linked != RefUpdate.Result.FORCED
                    && linked != RefUpdate.Result.NO_CHANGE) {
                throw new IOException("pointing HEAD at " + head + " failed: " + linked);
            }
        }
        return commands.stream().map(c -> Repos.RefChange.of(c.getRefName(), c.getOldId(), c.getNewId())).toList();
    }
}
