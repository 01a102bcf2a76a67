package dev.atrium.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.DaemonThreads;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.lfs.LfsPointer;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Repos;
import dev.atrium.storage.RangeInputStream;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scans of the files people push: pickle imports always, viruses when a clamd is configured. Every commit or push
 * that lands hands its moved refs to {@link #contentChanged}; a background thread diffs them and runs each scan a new
 * file wants and does not have yet. Files pushed before a scan existed, or dropped when the queue was full, are asked
 * for again when someone looks ({@link #ofFiles}) and by the start-up pass ({@link #backfill}). Scanning never runs
 * inside a request.
 */
public final class FileScans {
    private static final Logger LOG = LoggerFactory.getLogger(FileScans.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUEUE = 10_000;
    /** Files are read in windows of this size, whatever stores them. */
    private static final int WINDOW = 8 << 20;
    private static final int BACKFILL_PAGE = 100;

    /**
     * Whether the bytes {@code repo} holds under an LFS pointer's SHA-256, when they are not a blob stored under it,
     * really hash to it: a Xet upload's SHA-256 is its client's claim until checked, and a verdict kept by SHA-256 is
     * shown for every file with that SHA-256.
     */
    @FunctionalInterface
    public interface ContentCheck {
        boolean holds(Repo repo, Sha256 oid) throws IOException;
    }

    /** A regular file of a tree, as the scans decide whether they want it. */
    private record Candidate(String path, ScanKey key, long size) {}

    private final Jdbi jdbi;
    private final RepoService repoService;
    private final LfsObjects lfs;
    private final ContentCheck xetContent;
    private final PickleScans pickles;
    private final @Nullable VirusScans viruses;
    private final List<FileScan> kinds;
    private final Clock clock;
    /**
     * Scans waiting or running, by content and kind: the same bytes under two paths ({@code a.txt} and
     * {@code model.bin}) may want different scans, each decided by the path that asked for it.
     */
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    /** Files whose scan failed (not a bad file: the bytes or the scanner could not be reached); tried 10 min later. */
    private final RetryPauses<ScanKey> failures;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), DaemonThreads.named("file-scans"));
    /** Passes over every repo: one runs, one more may wait (it covers every later request too). */
    private final ThreadPoolExecutor passes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1), DaemonThreads.named("scan-backfill"), new ThreadPoolExecutor.DiscardPolicy());
    private volatile Repos passRepos;
    private volatile java.util.function.Consumer<Runnable> passAlone;

    public FileScans(Jdbi jdbi, RepoService repoService, LfsObjects lfs, ContentCheck xetContent, PickleScans pickles,
                     @Nullable VirusScans viruses, Clock clock) {
        this.jdbi = jdbi;
        this.repoService = repoService;
        this.lfs = lfs;
        this.xetContent = xetContent;
        this.pickles = pickles;
        this.viruses = viruses;
        this.kinds = viruses == null ? List.of(pickles) : List.of(pickles, viruses);
        this.clock = clock;
        this.failures = new RetryPauses<>(clock, Duration.ofMinutes(10));
    }

    /**
     * The scans of the files among {@code files} that get any, by path; a file missing one of its scans is asked for.
     */
    public Map<String, FileSecurity> ofFiles(Repo repo, List<FileEntry> files) {
        List<FileEntry> wanted = files.stream().filter(e -> !e.isDirectory() && !wantedBy(e).isEmpty()).toList();
        List<ScanKey> keys = wanted.stream().map(ScanKey::of).toList();
        Verdicts<PickleScanner.Result> pickleResults = pickles.results(keys);
        Verdicts<VirusScans.Result> virusResults = viruses == null ? new Verdicts<>(Map.of(), Set.of())
                : viruses.results(keys);
        Map<String, FileSecurity> out = new LinkedHashMap<>();
        for (FileEntry e : wanted) {
            ScanKey key = ScanKey.of(e);
            boolean pickleWanted = pickles.wants(e.path(), e.size(), e.lfs() == null);
            boolean virusWanted = viruses != null && viruses.wants(e.path(), e.size(), e.lfs() == null);
            FileSecurity security = new FileSecurity(pickleWanted, pickleResults.byKey().get(key), virusWanted,
                    virusResults.byKey().get(key));
            // A verdict marked for a rescan is shown until replaced, and asked for again.
            if ((pickleWanted && !pickleResults.current(key)) || (virusWanted && !virusResults.current(key))) {
                request(repo, new Candidate(e.path(), key, e.size()));
            }
            out.put(e.path(), security);
        }
        return out;
    }

    /** The Hub's {@code securityRepoStatus} of a revision's files: whether all are scanned, and which worry. */
    public ObjectNode repoStatus(Repo repo, List<FileEntry> files) {
        Map<String, FileSecurity> scans = ofFiles(repo, files);
        ObjectNode status = JSON.createObjectNode();
        status.put("scansDone", scans.values().stream().noneMatch(s -> s.status().equals("queued")));
        ArrayNode issues = status.putArray("filesWithIssues");
        scans.forEach((path, security) -> {
            if (security.worrying()) {
                issues.addObject().put("path", path).put("level", security.status());
            }
        });
        return status;
    }

    /**
     * Scans what was pushed before a scan existed: every branch of every repo not walked yet for every scan, on a
     * thread of its own, one file at a time. A repo is walked once per kind of scan; after that its commits and pushes
     * reach the scans themselves, so a pass reads little but the list of repos. {@code alone} runs a pass, or not
     * when another node of the hub is already doing it. The first pass runs now, at start; {@link #walkAgain} runs
     * more.
     */
    public void backfill(Repos repos, java.util.function.Consumer<Runnable> alone) {
        this.passRepos = repos;
        this.passAlone = alone;
        walkAgain();
    }

    /**
     * Runs a pass again, after the one running if any: for repos whose scans failed (clamd was down), and after
     * verdicts were marked for a rescan, which forgets the walks. One pass waits at most: it will see every change
     * made before it starts.
     */
    public void walkAgain() {
        if (passRepos == null || closing) {
            return;
        }
        passes.execute(() -> passAlone.accept(this::pass));
    }

    private void pass() {
        String after = "";
        int scanned = 0;
        Repos repos = passRepos;
        List<FileScan> answering = new ArrayList<>();
        for (FileScan kind : kinds) {
            if (kind.answers()) {
                answering.add(kind);
            } else {
                LOG.info("The {} scanner does not answer; files wait for it until a later pass", kind.kind());
            }
        }
        for (List<Repo> page = repos.pageAfter(after, BACKFILL_PAGE); !page.isEmpty() && !closing;
             page = repos.pageAfter(after, BACKFILL_PAGE)) {
            Map<String, Set<String>> walked = walked(page);
            for (Repo repo : page) {
                List<FileScan> due = answering.stream()
                        .filter(k -> !walked.getOrDefault(repo.id(), Set.of()).contains(k.kind())).toList();
                if (due.isEmpty() || closing) {
                    continue;
                }
                try {
                    Set<FileScan> failed = new HashSet<>();
                    scanned += backfill(repo, due, failed);
                    List<FileScan> done = due.stream().filter(k -> !failed.contains(k)).toList();
                    jdbi.useTransaction(h -> {
                        for (FileScan kind : done) {
                            h.createUpdate("""
                                            INSERT INTO scan_walks (kind, repo_id, walked_at) VALUES (:kind, :repo, :now)
                                            ON CONFLICT (kind, repo_id) DO NOTHING""")
                                    .bind("kind", kind.kind()).bind("repo", repo.id()).bind("now", clock.millis())
                                    .execute();
                        }
                    });
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Scanning the files of {} failed: {}", repo.repoId(), e.toString());
                }
            }
            after = page.get(page.size() - 1).id();
        }
        if (scanned > 0) {
            LOG.info("Scanned {} files that lacked a current verdict in a pass over every repo", scanned);
        }
    }

    /** For {@link Repos#onContentChange}: the refs a commit or push moved, diffed on the scanning thread. */
    public void contentChanged(Repo repo, List<Repos.RefChange> refs) {
        try {
            worker.execute(() -> {
                try {
                    requestChanged(repo, refs);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Finding files to scan in {} failed: {}", repo.repoId(), e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.warn("Scan queue full; files of {} are scanned when next looked at", repo.repoId());
        }
    }

    /** Takes no more work at shutdown; a scan cut short stores nothing and runs again when next asked for. */
    public void close() {
        closing = true;
        worker.shutdown();
        passes.shutdown();
    }

    private List<FileScan> wantedBy(FileEntry e) {
        return wantedBy(e.path(), e.size(), e.lfs() == null);
    }

    private List<FileScan> wantedBy(String path, long size, boolean inGit) {
        List<FileScan> out = new ArrayList<>(kinds.size());
        for (FileScan kind : kinds) {
            if (kind.wants(path, size, inGit)) {
                out.add(kind);
            }
        }
        return out;
    }

    /** Runs the scans the file wants in the background, unless they are waiting already or failed a moment ago. */
    private void request(Repo repo, Candidate file) {
        if (failures.paused(file.key())) {
            return; // every listing would otherwise read the file again and log the same failure
        }
        Map<FileScan, String> mine = claim(file.key(),
                wantedBy(file.path(), file.size(), file.key().inGit()), file.path());
        if (mine.isEmpty()) {
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    scanMissing(repo, file.key(), mine);
                    failures.succeeded(file.key());
                } catch (IOException | RuntimeException e) {
                    failures.failed(file.key());
                    LOG.warn("Scanning {} ({}) of {} failed: {}", file.path(), file.key().id(), repo.repoId(),
                            e.toString());
                } finally {
                    release(file.key(), mine.keySet());
                }
            });
        } catch (RejectedExecutionException e) { // full: a later look asks again
            release(file.key(), mine.keySet());
        }
    }

    /** The kinds among {@code wanted} nobody has queued for this content yet, now queued here, with their path. */
    private Map<FileScan, String> claim(ScanKey key, Collection<FileScan> wanted, String path) {
        Map<FileScan, String> mine = new LinkedHashMap<>();
        for (FileScan kind : wanted) {
            if (queued.add(key.id() + " " + kind.kind())) {
                mine.put(kind, path);
            }
        }
        return mine;
    }

    private void release(ScanKey key, Collection<FileScan> kinds) {
        kinds.forEach(kind -> queued.remove(key.id() + " " + kind.kind()));
    }

    /** Runs each scan (with the path that wants it) the content has no result of; true when any ran. */
    private boolean scanMissing(Repo repo, ScanKey key, Map<FileScan, String> wanted) throws IOException {
        List<FileScan> missing = wanted.keySet().stream().filter(k -> k.scanned(List.of(key)).isEmpty()).toList();
        if (missing.isEmpty()) {
            return false;
        }
        if (key.inGit()) {
            try (Repository git = repoService.openGit(repo)) {
                ObjectId blob = ObjectId.fromString(key.id().substring(4));
                if (!git.getObjectDatabase().has(blob)) {
                    return false; // not (or no longer) the repo's
                }
                ByteSource bytes = gitSource(git, blob);
                for (FileScan kind : missing) {
                    kind.scanAndStore(key, wanted.get(kind), bytes);
                }
            }
        } else {
            Sha256 oid = new Sha256(key.id());
            OptionalLong size = lfs.sizeOf(repo, oid);
            if (size.isEmpty() || (!lfs.isBlob(oid) && !xetContent.holds(repo, oid))) {
                return false; // not (or no longer) the repo's, or not what its pointer says: nothing to keep
            }
            ByteSource bytes = lfsSource(repo, oid, size.getAsLong());
            for (FileScan kind : missing) {
                kind.scanAndStore(key, wanted.get(kind), bytes);
            }
        }
        return true;
    }

    /** Which kinds of scan have walked each of these repos. */
    private Map<String, Set<String>> walked(List<Repo> repos) {
        Map<String, Set<String>> out = new java.util.HashMap<>();
        jdbi.useHandle(h -> h.createQuery("SELECT repo_id, kind FROM scan_walks WHERE repo_id IN (<ids>)")
                .bindList("ids", repos.stream().map(Repo::id).toList())
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> out.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(e.getValue())));
        return out;
    }

    /**
     * Runs the {@code due} scans on every file of the repo's branches that lacks them; a file that fails does not
     * stop the other kinds, and its kinds land in {@code failed}, so the repo is walked again for them at the next
     * start.
     */
    private int backfill(Repo repo, List<FileScan> due, Set<FileScan> failed) throws IOException {
        Map<ScanKey, Map<FileScan, String>> files = new LinkedHashMap<>();
        try (Repository git = repoService.openGit(repo); ObjectReader reader = git.newObjectReader();
             RevWalk walk = new RevWalk(reader)) {
            for (Ref branch : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                try (TreeWalk tree = new TreeWalk(reader)) {
                    tree.setRecursive(true);
                    tree.addTree(walk.parseCommit(branch.getObjectId()).getTree());
                    eachFile(tree, reader, file -> {
                        for (FileScan kind : due) {
                            if (kind.wants(file.path(), file.size(), file.key().inGit())) {
                                files.computeIfAbsent(file.key(), k -> new LinkedHashMap<>())
                                        .putIfAbsent(kind, file.path());
                            }
                        }
                    });
                }
            }
        }
        int scanned = 0;
        for (Map.Entry<ScanKey, Map<FileScan, String>> file : files.entrySet()) {
            if (closing) {
                failed.addAll(due);
                break;
            }
            ScanKey key = file.getKey();
            Map<FileScan, String> mine = new LinkedHashMap<>();
            // A kind that failed once here (clamd not answering) is not tried on the repo's other files.
            file.getValue().forEach((kind, path) -> {
                if (!failed.contains(kind)) {
                    mine.putAll(claim(key, List.of(kind), path));
                }
            });
            boolean ran = false;
            try {
                for (Map.Entry<FileScan, String> kind : mine.entrySet()) {
                    try {
                        ran |= scanMissing(repo, key, Map.of(kind.getKey(), kind.getValue()));
                    } catch (IOException | RuntimeException e) {
                        failed.add(kind.getKey());
                        LOG.warn("Scanning {} ({}) of {} failed: {}", kind.getValue(), key.id(), repo.repoId(),
                                e.toString());
                    }
                }
            } finally {
                release(key, mine.keySet());
            }
            scanned += ran ? 1 : 0;
        }
        return scanned;
    }

    private void requestChanged(Repo repo, List<Repos.RefChange> refs) throws IOException {
        try (Repository git = repoService.openGit(repo); ObjectReader reader = git.newObjectReader();
             RevWalk walk = new RevWalk(reader)) {
            for (Repos.RefChange change : refs) {
                if (change.newSha() == null) {
                    continue;
                }
                try (TreeWalk tree = new TreeWalk(reader)) {
                    tree.setRecursive(true);
                    tree.addTree(walk.parseCommit(ObjectId.fromString(change.newSha())).getTree());
                    if (change.oldSha() != null) {
                        tree.addTree(walk.parseCommit(ObjectId.fromString(change.oldSha())).getTree());
                        tree.setFilter(TreeFilter.ANY_DIFF);
                    }
                    eachFile(tree, reader, file -> request(repo, file));
                }
            }
        }
    }

    /** {@code tree}'s regular files that any scan wants: large files by content, others by blob. */
    private void eachFile(TreeWalk tree, ObjectReader reader, java.util.function.Consumer<Candidate> each)
            throws IOException {
        while (tree.next()) {
            FileMode mode = tree.getFileMode(0);
            if (!(FileMode.REGULAR_FILE.equals(mode) || FileMode.EXECUTABLE_FILE.equals(mode))) {
                continue;
            }
            String path = tree.getPathString();
            ObjectId blob = tree.getObjectId(0);
            long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
            Optional<LfsPointer> pointer = size <= LfsPointer.MAX_POINTER_SIZE
                    ? LfsPointer.parse(reader.open(blob, Constants.OBJ_BLOB).getBytes()) : Optional.empty();
            Candidate file = pointer.map(p -> new Candidate(path, new ScanKey(p.oid().hex()), p.size()))
                    .orElseGet(() -> new Candidate(path, new ScanKey("git:" + blob.name()), size));
            if (!wantedBy(file.path(), file.size(), file.key().inGit()).isEmpty()) {
                each.accept(file);
            }
        }
    }

    /** A git blob's bytes: a range is read by skipping to it (a blob is one zlib stream), from there to its end. */
    private static ByteSource gitSource(Repository git, ObjectId blob) throws IOException {
        ObjectLoader loader = git.open(blob, Constants.OBJ_BLOB);
        return new ByteSource() {
            @Override
            public long size() {
                return loader.getSize();
            }

            @Override
            public InputStream open(long offset, long length) throws IOException {
                InputStream in = loader.openStream();
                try {
                    in.skipNBytes(offset);
                } catch (IOException e) {
                    in.close();
                    throw e;
                }
                return new RangeInputStream(in, length);
            }
        };
    }

    /** A large file's bytes, from its blob or rebuilt from its Xet chunks, as {@code resolve} reads them. */
    private ByteSource lfsSource(Repo repo, Sha256 oid, long size) {
        return new WindowedSource(size, WINDOW, (offset, length) -> lfs.readRange(repo, oid, offset, length));
    }
}
