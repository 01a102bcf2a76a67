package dev.atrium.scan;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.lfs.LfsPointer;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Repos;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pickle scans of the large files people push, kept by content. Every commit or push that lands hands its moved refs
 * to {@link #contentChanged}; a background thread diffs them, and scans each new large file whose name says it may
 * hold a pickle (PyTorch's {@code .bin}, {@code .pt}, {@code .pkl}...). Files pushed before Atrium scanned, or dropped
 * when the queue was full, are asked for again when someone looks ({@link #request}). Scanning never runs inside a
 * request, and never unpickles anything.
 */
public final class PickleScans {
    private static final Logger LOG = LoggerFactory.getLogger(PickleScans.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int QUEUE = 10_000;
    /** Files are read in windows of this size, whatever stores them. */
    private static final int WINDOW = 8 << 20;
    private static final int LOOKUP_BATCH = 500;
    private static final int BACKFILL_PAGE = 100;
    /** Files stored in git itself are scanned up to this size; the upload rules send larger ones to LFS anyway. */
    private static final long MAX_GIT_BLOB = 64L << 20;

    /**
     * What a scan is kept under: a large file's SHA-256 (LFS or Xet), or {@code git:} and the blob id of a file stored
     * in git itself (a pickle pushed without git-lfs, or one the upload rules did not send to LFS).
     */
    public record ScanKey(String id) {
        public static ScanKey of(FileEntry file) {
            return file.lfs() != null ? new ScanKey(file.lfs().oid().hex()) : new ScanKey("git:" + file.oid());
        }

        boolean inGit() {
            return id.startsWith("git:");
        }
    }

    private final Jdbi jdbi;
    private final RepoService repoService;
    private final LfsObjects lfs;
    private final Clock clock;
    private final Set<ScanKey> queued = ConcurrentHashMap.newKeySet();
    /** Files whose scan failed (not a bad pickle: the bytes could not be read); tried again 10 minutes later. */
    private final RetryPauses<ScanKey> failures;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "pickle-scans");
                t.setDaemon(true);
                return t;
            });

    public PickleScans(Jdbi jdbi, RepoService repoService, LfsObjects lfs, Clock clock) {
        this.jdbi = jdbi;
        this.repoService = repoService;
        this.lfs = lfs;
        this.clock = clock;
        this.failures = new RetryPauses<>(clock, Duration.ofMinutes(10));
    }

    /** The stored results for these files; files not scanned (yet) are absent. */
    public Map<ScanKey, PickleScanner.Result> results(Collection<ScanKey> keys) {
        Map<ScanKey, PickleScanner.Result> out = new HashMap<>();
        List<String> ids = keys.stream().map(ScanKey::id).distinct().toList();
        // In batches: a revision can hold more files than PostgreSQL takes parameters in one statement (65,535).
        for (int from = 0; from < ids.size(); from += LOOKUP_BATCH) {
            List<String> batch = ids.subList(from, Math.min(ids.size(), from + LOOKUP_BATCH));
            jdbi.useHandle(h -> h.createQuery("""
                            SELECT content_key, highest, imports_json, problem FROM pickle_scans
                            WHERE content_key IN (<keys>)""")
                    .bindList("keys", batch)
                    .map((rs, ctx) -> Map.entry(new ScanKey(rs.getString(1)), new PickleScanner.Result(
                            ImportSafety.parse(rs.getString(2)), imports(rs.getString(3)), rs.getString(4))))
                    .forEach(e -> out.put(e.getKey(), e.getValue())));
        }
        return out;
    }

    /**
     * The scans of the files among {@code files} that may hold pickles, by path; a file not scanned yet maps to null,
     * and is asked for.
     */
    public Map<String, PickleScanner.Result> ofFiles(Repo repo, List<FileEntry> files) {
        List<FileEntry> wanted = files.stream().filter(e -> !e.isDirectory() && PickleScanner.wanted(e.path())
                && (e.lfs() != null || e.size() <= MAX_GIT_BLOB)).toList();
        Map<ScanKey, PickleScanner.Result> results = results(wanted.stream().map(ScanKey::of).toList());
        Map<String, PickleScanner.Result> out = new LinkedHashMap<>();
        for (FileEntry e : wanted) {
            PickleScanner.Result result = results.get(ScanKey.of(e));
            if (result == null) {
                request(repo, e.path(), ScanKey.of(e));
            }
            out.put(e.path(), result);
        }
        return out;
    }

    /** The Hub's {@code securityRepoStatus} of a revision's files: whether all are scanned, and which worry. */
    public ObjectNode repoStatus(Repo repo, List<FileEntry> files) {
        Map<String, PickleScanner.Result> scans = ofFiles(repo, files);
        ObjectNode status = JSON.createObjectNode();
        status.put("scansDone", !scans.containsValue(null));
        ArrayNode issues = status.putArray("filesWithIssues");
        scans.forEach((path, result) -> {
            if (result != null && result.highest() != ImportSafety.INNOCUOUS) {
                issues.addObject().put("path", path).put("level", SecurityStatus.of(result));
            }
        });
        return status;
    }

    /** Scans the file in the background unless it is scanned or waiting already. */
    public void request(Repo repo, String path, ScanKey key) {
        if (failures.paused(key)) {
            return; // every listing would otherwise read the file again and log the same failure
        }
        if (!queued.add(key)) {
            return;
        }
        try {
            worker.execute(() -> {
                try {
                    if (results(List.of(key)).isEmpty()) {
                        scanAndStore(repo, path, key);
                    }
                    failures.succeeded(key);
                } catch (IOException | RuntimeException e) {
                    failures.failed(key);
                    LOG.warn("Scanning {} ({}) of {} failed: {}", path, key.id(), repo.repoId(), e.toString());
                } finally {
                    queued.remove(key);
                }
            });
        } catch (RejectedExecutionException e) { // full: a later look asks again
            queued.remove(key);
        }
    }

    /**
     * Scans what was pushed before Atrium scanned: every branch of every repo not walked yet, on a thread of its own at
     * startup, one file at a time. A repo is walked once; after that its commits and pushes reach the scanner
     * themselves, so a restart reads nothing but the list of repos. {@code alone} runs the pass, or not when another
     * node of the hub is already doing it.
     */
    public void backfill(Repos repos, java.util.function.Consumer<Runnable> alone) {
        Thread thread = new Thread(() -> alone.accept(() -> {
            String after = "";
            int scanned = 0;
            for (List<Repo> page = repos.pageAfter(after, BACKFILL_PAGE); !page.isEmpty();
                 page = repos.pageAfter(after, BACKFILL_PAGE)) {
                Set<String> walked = walked(page);
                for (Repo repo : page) {
                    if (walked.contains(repo.id())) {
                        continue;
                    }
                    try {
                        scanned += backfill(repo);
                        jdbi.useHandle(h -> h.createUpdate("""
                                        INSERT INTO pickle_scan_walks (repo_id, walked_at) VALUES (:repo, :now)
                                        ON CONFLICT (repo_id) DO NOTHING""")
                                .bind("repo", repo.id()).bind("now", clock.millis()).execute());
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("Scanning the files of {} failed: {}", repo.repoId(), e.toString());
                    }
                }
                after = page.get(page.size() - 1).id();
            }
            if (scanned > 0) {
                LOG.info("Scanned {} files pushed before pickle scanning ran", scanned);
            }
        }), "pickle-backfill");
        thread.setDaemon(true);
        thread.start();
    }

    private Set<String> walked(List<Repo> repos) {
        return new HashSet<>(jdbi.withHandle(h -> h.createQuery(
                        "SELECT repo_id FROM pickle_scan_walks WHERE repo_id IN (<ids>)")
                .bindList("ids", repos.stream().map(Repo::id).toList()).mapTo(String.class).list()));
    }

    private int backfill(Repo repo) throws IOException {
        Map<ScanKey, String> files = new LinkedHashMap<>();
        try (Repository git = repoService.openGit(repo); ObjectReader reader = git.newObjectReader();
             RevWalk walk = new RevWalk(reader)) {
            for (Ref branch : git.getRefDatabase().getRefsByPrefix(Constants.R_HEADS)) {
                try (TreeWalk tree = new TreeWalk(reader)) {
                    tree.setRecursive(true);
                    tree.addTree(walk.parseCommit(branch.getObjectId()).getTree());
                    eachWantedFile(tree, reader, (path, key) -> files.putIfAbsent(key, path));
                }
            }
        }
        Map<ScanKey, PickleScanner.Result> known = results(files.keySet());
        int scanned = 0;
        for (Map.Entry<ScanKey, String> file : files.entrySet()) {
            if (!known.containsKey(file.getKey()) && queued.add(file.getKey())) {
                try {
                    scanAndStore(repo, file.getValue(), file.getKey());
                    scanned++;
                } finally {
                    queued.remove(file.getKey());
                }
            }
        }
        return scanned;
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
            LOG.warn("Pickle scan queue full; files of {} are scanned when next looked at", repo.repoId());
        }
    }

    /** Takes no more work at shutdown; a scan cut short stores nothing and runs again when next asked for. */
    public void close() {
        worker.shutdown();
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
                    eachWantedFile(tree, reader, (path, key) -> request(repo, path, key));
                }
            }
        }
    }

    /** {@code tree}'s regular files whose names may hold pickles: large files by content, others by blob. */
    private static void eachWantedFile(TreeWalk tree, ObjectReader reader,
                                       java.util.function.BiConsumer<String, ScanKey> each) throws IOException {
        while (tree.next()) {
            FileMode mode = tree.getFileMode(0);
            if (!(FileMode.REGULAR_FILE.equals(mode) || FileMode.EXECUTABLE_FILE.equals(mode))
                    || !PickleScanner.wanted(tree.getPathString())) {
                continue;
            }
            ObjectId blob = tree.getObjectId(0);
            long size = reader.getObjectSize(blob, Constants.OBJ_BLOB);
            Optional<LfsPointer> pointer = size <= LfsPointer.MAX_POINTER_SIZE
                    ? LfsPointer.parse(reader.open(blob, Constants.OBJ_BLOB).getBytes()) : Optional.empty();
            if (pointer.isPresent()) {
                each.accept(tree.getPathString(), new ScanKey(pointer.get().oid().hex()));
            } else if (size <= MAX_GIT_BLOB) {
                each.accept(tree.getPathString(), new ScanKey("git:" + blob.name()));
            }
        }
    }

    private void scanAndStore(Repo repo, String path, ScanKey key) throws IOException {
        long started = System.nanoTime();
        PickleScanner.Result result;
        if (key.inGit()) {
            try (Repository git = repoService.openGit(repo)) {
                ObjectId blob = ObjectId.fromString(key.id().substring(4));
                if (!git.getObjectDatabase().has(blob)) {
                    return; // not (or no longer) the repo's
                }
                result = PickleScanner.scan(path, gitSource(git, blob));
            }
        } else {
            Sha256 oid = new Sha256(key.id());
            OptionalLong size = lfs.sizeOf(repo, oid);
            if (size.isEmpty()) {
                return; // not (or no longer) the repo's: nothing to read
            }
            result = PickleScanner.scan(path, lfsSource(repo, oid, size.getAsLong()));
        }
        String importsJson = JSON.writeValueAsString(result.imports().stream().map(f -> Map.of("module", f.module(),
                "name", f.name(), "safety", f.safety().wireName())).toList());
        String problem = result.problem() == null ? null
                : result.problem().substring(0, Math.min(500, result.problem().length()));
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO pickle_scans (content_key, highest, imports_json, problem, scanned_at)
                        VALUES (:key, :highest, :imports, :problem, :now) ON CONFLICT (content_key) DO NOTHING""")
                .bind("key", key.id()).bind("highest", result.highest().wireName()).bind("imports", importsJson)
                .bind("problem", problem).bind("now", clock.millis()).execute());
        if (result.highest() != ImportSafety.INNOCUOUS) {
            LOG.info("Pickle scan of {} in {}: {} ({} imports{}) in {} ms", path, repo.repoId(),
                    result.highest().wireName(), result.imports().size(),
                    problem == null ? "" : "; " + problem, (System.nanoTime() - started) / 1_000_000);
        }
    }

    /** A git blob's bytes (at most {@link #MAX_GIT_BLOB}): a window is read by skipping to it. */
    private static ByteSource gitSource(Repository git, ObjectId blob) throws IOException {
        ObjectLoader loader = git.open(blob, Constants.OBJ_BLOB);
        return new WindowedSource(loader.getSize(), WINDOW, (offset, length) -> {
            try (InputStream in = loader.openStream()) {
                in.skipNBytes(offset);
                return in.readNBytes(length);
            }
        });
    }

    /** A large file's bytes, from its blob or rebuilt from its Xet chunks, as {@code resolve} reads them. */
    private ByteSource lfsSource(Repo repo, Sha256 oid, long size) {
        return new WindowedSource(size, WINDOW, (offset, length) -> lfs.readRange(repo, oid, offset, length));
    }

    private static List<PickleScanner.Found> imports(String json) {
        try {
            List<Map<String, String>> list = JSON.readValue(json, new TypeReference<>() {});
            return list.stream().map(m -> new PickleScanner.Found(m.get("module"), m.get("name"),
                    ImportSafety.parse(m.get("safety")))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable scan result", e);
        }
    }
}
