package dev.atrium.viewer;

import dev.atrium.DaemonThreads;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RefMovedException;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import dev.atrium.repo.Revisions;
import dev.atrium.repo.TreeReader;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each dataset's Parquet export ({@code refs/convert/parquet}, see {@link ParquetExport}) following its default
 * branch: after every commit or push that moves the branch, and, should a node have stopped before it was done (or
 * the change have landed on another node), when someone asks for the export, and in a pass over every dataset at
 * start. One background thread; a dataset waits in the queue once however often it changes meanwhile.
 */
public final class ParquetExports implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ParquetExports.class);
    private static final String DEFAULT_BRANCH = Constants.R_HEADS + Revisions.DEFAULT_BRANCH;
    private static final int PASS_PAGE = 500;

    /** One file of an export: its config, split, path on the export's ref and size. */
    public record ExportedFile(String config, String split, String path, long size) {
        /** Whether it holds the first rows of its split only (in a {@code partial-{split}} folder). */
        public boolean partial() {
            return path.startsWith(config + "/" + ParquetExport.PARTIAL);
        }
    }

    /** A split an export leaves out, and why: too big, unreadable, or named so that it cannot be a folder. */
    public record Skipped(String config, String split, String reason) {}

    /** Where a dataset's export stands against its default branch's head ({@code source}). */
    public sealed interface Status {
        String source();
    }

    /** The export of {@code source} is on the ref, as commit {@code commit}. */
    public record Ready(String source, String commit, List<ExportedFile> files, List<Skipped> skipped)
            implements Status {
        /** The bytes of the exported files of a config, or of one of its splits. */
        public long bytes(String config, @Nullable String split) {
            return files.stream().filter(f -> f.config().equals(config) && (split == null || f.split().equals(split)))
                    .mapToLong(ExportedFile::size).sum();
        }
    }

    /** The export of {@code source} is being made, or waits to be. */
    public record Pending(String source) implements Status {}

    /** {@code source} has no data files the viewer reads, so there is nothing to export. */
    public record NothingToExport(String source) implements Status {}

    /** Making the export of {@code source} failed on this node; it is tried again when the branch moves. */
    public record Failed(String source, String reason) implements Status {}

    private final ParquetExport export;
    private final RepoService repoService;
    private final DatasetViewer viewer;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(10_000), DaemonThreads.named("parquet-export"));
    private final ThreadPoolExecutor passes = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(1), DaemonThreads.named("parquet-export-pass"));
    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    /** By repo id: the export that failed last on this node, until the branch moves or the node restarts. */
    private final Map<String, Failed> failures = new ConcurrentHashMap<>();

    /** Off ({@code --parquet-export off}): no export is made; one made before is still served while current. */
    private final boolean enabled;

    public ParquetExports(RepoService repoService, DatasetViewer viewer, LfsObjects lfs, Clock clock,
                          boolean enabled) {
        this.export = new ParquetExport(repoService, viewer, lfs, clock);
        this.repoService = repoService;
        this.viewer = viewer;
        this.enabled = enabled;
    }

    /** For {@link Repos#onContentChange}: a dataset whose default branch moved (or may have) is exported anew. */
    public void contentChanged(Repo repo, List<Repos.RefChange> refs) {
        if (repo.type() == RepoType.DATASET
                && (refs.isEmpty() || refs.stream().anyMatch(r -> r.ref().equals(DEFAULT_BRANCH)))) {
            schedule(repo);
        }
    }

    /**
     * Where the export of the dataset's default branch stands; empty when the branch has no commit. An export that is
     * neither made nor failed is asked for here.
     */
    public Optional<Status> status(Repo repo) throws IOException {
        return status(repo, true);
    }

    private Optional<Status> status(Repo repo, boolean ask) throws IOException {
        try (Repository git = repoService.openGit(repo); RevWalk walk = new RevWalk(git)) {
            var head = git.resolve(Constants.HEAD + "^{commit}");
            if (head == null) {
                return Optional.empty();
            }
            String source = head.name();
            Optional<RevCommit> made = ParquetExport.current(git, walk, source, !enabled);
            if (made.isPresent()) {
                return Optional.of(ready(git, source, made.get()));
            }
            if (viewer.snapshot(repo).map(snapshot -> snapshot.configs().isEmpty()).orElse(true)) {
                return Optional.of(new NothingToExport(source));
            }
            if (!enabled) {
                return Optional.of(new Failed(source, "Parquet exports are turned off on this server"));
            }
            Failed failed = failures.get(repo.id());
            if (failed != null && failed.source().equals(source)) {
                return Optional.of(failed);
            }
            if (ask) {
                schedule(repo);
            }
            return Optional.of(new Pending(source));
        }
    }

    private static Ready ready(Repository git, String source, RevCommit commit) throws IOException {
        List<ExportedFile> files = new ArrayList<>();
        for (FileEntry file : TreeReader.list(git, commit, "", true)) {
            String[] parts = file.path().split("/");
            if (!file.isDirectory() && parts.length == 3 && parts[2].matches("[0-9]{4}\\.parquet")) {
                files.add(new ExportedFile(parts[0], parts[1].startsWith(ParquetExport.PARTIAL)
                        ? parts[1].substring(ParquetExport.PARTIAL.length()) : parts[1], file.path(), file.size()));
            }
        }
        return new Ready(source, commit.name(), files, ParquetExport.skippedOf(commit));
    }

    /**
     * Exports the datasets whose export is missing or behind their default branch (made before exports existed, or
     * left by a stop), one at a time on a thread of its own; {@code alone} runs the pass, or not when another node of
     * the hub already is. A dataset that is up to date costs reading two refs; one without data files, a listing of
     * its head's files (it has no export to say so).
     */
    public void backfill(Repos repos, Consumer<Runnable> alone) {
        if (!enabled) {
            return;
        }
        passes.execute(() -> alone.accept(() -> {
            int exported = 0;
            String after = "";
            for (List<Repo> page = repos.pageAfter(after, PASS_PAGE); !page.isEmpty() && !passes.isShutdown();
                 page = repos.pageAfter(after, PASS_PAGE)) {
                for (Repo repo : page) {
                    if (repo.type() == RepoType.DATASET && !passes.isShutdown() && behind(repo)) {
                        run(repo);
                        exported++;
                    }
                }
                after = page.get(page.size() - 1).id();
            }
            if (exported > 0) {
                LOG.info("Exported {} datasets to Parquet whose export was missing or behind", exported);
            }
        }));
    }

    /** Whether the dataset has data files on its default branch but no export made from its head. */
    private boolean behind(Repo repo) {
        try {
            Optional<Status> status = status(repo, false);
            return status.isPresent() && status.get() instanceof Pending;
        } catch (IOException | RuntimeException e) {
            LOG.warn("Reading the Parquet export of {} failed: {}", repo.repoId(), e.toString());
            return false;
        }
    }

    private void schedule(Repo repo) {
        if (!enabled || !queued.add(repo.id())) {
            return;
        }
        try {
            worker.execute(() -> {
                // Out of the queue before the work starts: a change landing meanwhile queues the dataset again.
                queued.remove(repo.id());
                run(repo);
            });
        } catch (RejectedExecutionException e) {
            queued.remove(repo.id());
            LOG.warn("Parquet export queue full; {} is exported when next asked for", repo.repoId());
        }
    }

    private void run(Repo repo) {
        try {
            failures.remove(repo.id());
            export.run(repo).ifPresent(made -> LOG.info("Exported {} at {} to Parquet ({}{})", repo.repoId(),
                    made.source().substring(0, 12), made.commit().substring(0, 12),
                    made.skipped().isEmpty() ? "" : ", " + made.skipped().size() + " splits left out"));
        } catch (RefMovedException e) {
            schedule(repo); // another node exported meanwhile, perhaps an older head: this one looks again
        } catch (IOException | RuntimeException e) {
            String source = currentSource(repo);
            if (source != null) {
                failures.put(repo.id(), new Failed(source, e.getMessage() == null ? e.toString() : e.getMessage()));
            }
            LOG.warn("Parquet export of {} failed: {}", repo.repoId(), e.toString());
        }
    }

    private @Nullable String currentSource(Repo repo) {
        try (Repository git = repoService.openGit(repo)) {
            var head = git.resolve(Constants.HEAD + "^{commit}");
            return head == null ? null : head.name();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Takes no more work; an export cut short leaves the ref as it was, and is made again when next asked for. */
    @Override
    public void close() {
        passes.shutdownNow();
        worker.shutdownNow();
    }
}
