package dev.atrium.viewer;

import dev.atrium.card.ReadmeMetadata;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.FileEntry;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.TreeReader;
import dev.atrium.viewer.DataFiles.Split;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jspecify.annotations.Nullable;

/**
 * The dataset viewer: the configs and splits of a dataset's default branch and pages of their rows, read by DuckDB
 * from local copies of the data files (Parquet, CSV, TSV, JSON Lines, text), or from folders of images or sounds.
 * Nothing is stored besides those copies and the Parquet export; the data files and configs of the last 64 commits
 * viewed and row counts per commit and split are remembered.
 */
public final class DatasetViewer implements AutoCloseable {
    /** The most rows one page holds, as on the Hub. */
    public static final int MAX_PAGE = 100;

    /** The largest image or sound served from a cell; held in memory while it is sent. */
    public static final int MAX_MEDIA_BYTES = 20 << 20;

    /**
     * A dataset at its default branch's head: the commit, its configs (the default one first) and their files
     * (metadata files included); and the labels of its folders of images or sounds ({@link MediaFolders#labels}).
     */
    public record Snapshot(String commit, List<DataConfigs.Config> configs, Map<String, FileEntry> files,
                           List<String> folderLabels) {
        public Optional<DataConfigs.Config> config(String name) {
            return DataConfigs.find(configs, name);
        }

        /** The bytes of these files of the snapshot, each counted once. */
        public long bytes(java.util.Collection<String> paths) {
            return paths.stream().distinct().mapToLong(p -> files.get(p).size()).sum();
        }
    }

    /**
     * Rows of a split: the page from {@code offset} of all its rows, or of its matches, which number {@code total};
     * {@code indexes} are the rows' own places in the split. {@code features} are the datasets library's features of
     * the columns, by name, when the files say (Parquet that datasets wrote keeps them); empty when they do not.
     * {@code partial} when they are the rows of the split's first files only ({@link #isPartial}).
     */
    public record Rows(Split split, List<DuckTables.Column> columns, List<List<Object>> rows, List<Long> indexes,
                       long offset, long total, Map<String, JsonNode> features, boolean partial) {}

    private final RepoService repoService;
    private final ViewerCache cache;
    private final MediaFolders folders;
    private final FolderMetadata described;
    private final Thumbnails thumbnails = new Thumbnails();
    private final WebDatasets webDatasets;
    private final Path cacheDir;
    /** Started at the first page asked for: loading DuckDB's 57 MB library is not for every start of the server. */
    private @Nullable DuckTables tables;
    private final long maxSplitBytes;
    private final Map<String, Long> counts = lru(10_000);
    private final Map<String, Map<String, JsonNode>> features = lru(1_000);
    private final Map<String, Snapshot> snapshots = lru(64);
    /** A commit's split never changes, so neither do its statistics, which cost two scans of it. */
    private final Map<String, SplitStatistics.Result> statistics = lru(256);

    public DatasetViewer(RepoService repoService, LfsObjects lfs, Path cacheDir, ViewerLimits limits)
            throws IOException {
        this.repoService = repoService;
        this.cache = new ViewerCache(cacheDir, lfs, limits.cacheBytes());
        this.folders = new MediaFolders(lfs);
        this.described = new FolderMetadata(lfs);
        this.webDatasets = new WebDatasets(lfs);
        this.maxSplitBytes = limits.splitBytes();
        this.cacheDir = cacheDir;
    }

    private synchronized DuckTables tables() throws IOException {
        if (tables == null) {
            try {
                tables = new DuckTables(cacheDir);
            } catch (SQLException e) {
                throw new IOException("could not start DuckDB for the dataset viewer", e);
            }
        }
        return tables;
    }

    /** The dataset's splits at its default branch; empty when the branch has no commit. */
    public Optional<Snapshot> snapshot(Repo repo) throws IOException {
        try (Repository git = repoService.openGit(repo); RevWalk walk = new RevWalk(git)) {
            ObjectId head = git.resolve(Constants.HEAD + "^{commit}");
            if (head == null) {
                return Optional.empty();
            }
            // A commit's files and card never change: list and parse them once per commit.
            String key = repo.id() + " " + head.name();
            Snapshot known = snapshots.get(key);
            if (known != null) {
                return Optional.of(known);
            }
            RevCommit commit = walk.parseCommit(head);
            Map<String, FileEntry> files = TreeReader.list(git, commit, "", true).stream()
                    .filter(e -> !e.isDirectory())
                    .collect(Collectors.toMap(FileEntry::path, Function.identity(), (a, b) -> a, LinkedHashMap::new));
            List<DataConfigs.Config> configs = DataConfigs.of(ReadmeMetadata.of(git, files.get("README.md")),
                    new ArrayList<>(files.keySet()));
            Map<String, FileEntry> data = new LinkedHashMap<>();
            configs.forEach(c -> c.splits().forEach(sp -> {
                sp.paths().forEach(p -> data.put(p, files.get(p)));
                sp.metadata().forEach(p -> data.put(p, files.get(p)));
            }));
            Snapshot snapshot = new Snapshot(commit.name(), configs, data, // only what the splits read is kept
                    MediaFolders.labels(configs));
            snapshots.put(key, snapshot);
            return Optional.of(snapshot);
        }
    }

    /**
     * Up to {@code length} (at most {@link #MAX_PAGE}) rows of split {@code splitName} of config {@code configName}
     * from {@code offset}.
     *
     * @throws ViewerErrors.SplitNotFound  when the snapshot has no such config or split
     * @throws ViewerErrors.SplitTooBig    when its first file alone is larger than the viewer reads (fewer files are
     *                                     read when they all are: {@link #isPartial})
     * @throws ViewerErrors.UnreadableSplit when DuckDB cannot read them as their format
     */
    public Rows rows(Repo repo, Snapshot snapshot, String configName, String splitName, long offset, int length)
            throws IOException {
        Split shards = shards(snapshot, configName, splitName);
        if (shards != null) {
            try (Repository git = repoService.openGit(repo)) {
                return webDatasets.page(git, repo, snapshot, shards,
                        webDatasets.read(git, repo, snapshot, shards, maxSplitBytes), Math.max(0, offset),
                        pageLength(length));
            }
        }
        Split folder = mediaFolder(snapshot, configName, splitName);
        if (folder != null) {
            try (Repository git = repoService.openGit(repo)) {
                return folders.rows(git, repo, snapshot, folder, snapshot.folderLabels(), Math.max(0, offset),
                        pageLength(length));
            }
        }
        try (Local local = local(repo, snapshot, configName, splitName)) {
            try {
                String key = snapshot.commit() + " " + configName + " " + splitName;
                Long total = counts.get(key);
                if (total == null) {
                    total = tables().count(local.format(), local.files());
                    counts.put(key, total);
                }
                return rowsOf(repo, snapshot, configName, local, tables().rows(local.format(), local.files(),
                        Math.max(0, offset), pageLength(length)), Math.max(0, offset), total);
            } catch (SQLException e) {
                throw unreadable(local, e);
            }
        }
    }

    /**
     * Like {@link #rows}, over the rows whose text columns contain {@code text} (any case); {@code total} counts the
     * matches.
     */
    public Rows search(Repo repo, Snapshot snapshot, String configName, String splitName, String text, long offset,
                       int length) throws IOException {
        requireTable(snapshot, configName, splitName);
        try (Local local = local(repo, snapshot, configName, splitName)) {
            try {
                DuckTables.Found found = tables().search(local.format(), local.files(), text,
                        Math.max(0, offset), pageLength(length));
                return rowsOf(repo, snapshot, configName, local, found.page(), Math.max(0, offset), found.total());
            } catch (SQLException e) {
                throw unreadable(local, e);
            }
        }
    }

    /**
     * Like {@link #rows}, over the rows that satisfy {@code where}, ordered by {@code orderBy} when given; {@code
     * total} counts the matches. Both follow {@link RowFilter}'s grammar.
     *
     * @throws RowFilter.InvalidFilter when either does not parse, or names a column the split lacks
     */
    public Rows filter(Repo repo, Snapshot snapshot, String configName, String splitName, String where,
                       @Nullable String orderBy, long offset, int length) throws IOException {
        requireTable(snapshot, configName, splitName);
        try (Local local = local(repo, snapshot, configName, splitName)) {
            try {
                DuckTables.Found found = tables().filter(local.format(), local.files(), where, orderBy,
                        Math.max(0, offset), pageLength(length));
                return rowsOf(repo, snapshot, configName, local, found.page(), Math.max(0, offset), found.total());
            } catch (SQLException e) {
                // The condition parsed, so DuckDB refusing it means a comparison its types do not allow.
                String reason = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
                throw new RowFilter.InvalidFilter("Parameter 'where' cannot be applied: " + reason);
            }
        }
    }

    /**
     * Per-column statistics of split {@code splitName} of config {@code configName}.
     *
     * @throws ViewerErrors.SplitNotFound  when the snapshot has no such config or split
     * @throws ViewerErrors.SplitTooBig    when its first file alone is larger than the viewer reads (fewer files are
     *                                     read when they all are: {@link #isPartial})
     * @throws ViewerErrors.UnreadableSplit when DuckDB cannot read them as their format
     */
    public SplitStatistics.Result statistics(Repo repo, Snapshot snapshot, String configName, String splitName)
            throws IOException {
        Split shards = shards(snapshot, configName, splitName);
        if (shards != null) { // their columns are images, sounds and JSON: no statistics, as on the Hub
            try (Repository git = repoService.openGit(repo)) {
                return new SplitStatistics.Result(webDatasets.read(git, repo, snapshot, shards, maxSplitBytes).rows()
                        .size(), List.of());
            }
        }
        Split folder = mediaFolder(snapshot, configName, splitName);
        if (folder != null) {
            return MediaFolders.statistics(folder, snapshot.folderLabels());
        }
        String key = snapshot.commit() + " " + configName + " " + splitName;
        SplitStatistics.Result known = statistics.get(key);
        if (known != null) {
            return known;
        }
        try (Local local = local(repo, snapshot, configName, splitName)) {
            try {
                SplitStatistics.Result result = classLabels(withoutFileNames(local,
                        tables().statistics(local.format(), local.files())), features(snapshot, configName, local),
                        local);
                statistics.put(key, result);
                return result;
            } catch (SQLException e) {
                throw unreadable(local, e);
            }
        }
    }

    /**
     * The columns the files declare {@code ClassLabel}s (push_to_hub's metadata) described as the public viewer
     * describes them: how often each class occurs, by name, most frequent first; not a histogram of the numbers.
     */
    private SplitStatistics.Result classLabels(SplitStatistics.Result result, Map<String, JsonNode> features,
                                               Local local) throws SQLException, IOException {
        List<SplitStatistics.Column> columns = new ArrayList<>();
        for (SplitStatistics.Column column : result.columns()) {
            JsonNode names = features.getOrDefault(column.name(), Json.MAPPER.nullNode()).path("names");
            if (!"ClassLabel".equals(features.getOrDefault(column.name(), Json.MAPPER.nullNode()).path("_type")
                    .asText()) || !names.isArray() || column.kind() != SplitStatistics.Kind.INT) {
                columns.add(column);
                continue;
            }
            Map<String, Long> frequencies = new LinkedHashMap<>();
            tables().valueCounts(local.format(), local.files(), column.name()).forEach((value, count) -> {
                if (value >= 0 && value < names.size()) {
                    frequencies.put(names.get(value.intValue()).asText(), count);
                }
            });
            columns.add(new SplitStatistics.Column(column.name(), SplitStatistics.Kind.CLASS_LABEL, column.nanCount(),
                    column.nanProportion(), null, frequencies));
        }
        return new SplitStatistics.Result(result.numExamples(), columns);
    }

    /**
     * The image or sound in column {@code column} of row {@code row} of a split (in item {@code item} of the list
     * there, when given), with its header; empty when that cell holds neither (see {@link DuckTables.MediaCell}), or
     * one over {@link #MAX_MEDIA_BYTES}, or there is no such row or item.
     */
    public Optional<Media> media(Repo repo, Snapshot snapshot, String configName, String splitName, long row,
                                 String column, @Nullable Integer item) throws IOException {
        return cellBytes(repo, snapshot, configName, splitName, row, column, item)
                .flatMap(bytes -> MediaHeader.of(bytes).map(header -> new Media(header, bytes)));
    }

    /**
     * Like {@link #media}, as a page shows it: a large image as a small JPEG ({@link Thumbnails}); anything else as
     * it is.
     */
    public Optional<Media> thumbnail(Repo repo, Snapshot snapshot, String configName, String splitName, long row,
                                     String column, @Nullable Integer item) throws IOException {
        String key = repo.id() + " " + snapshot.commit() + " " + configName + " " + splitName + " " + row + " "
                + column + " " + item;
        Optional<byte[]> known = thumbnails.known(key);
        if (known.isPresent()) {
            return Optional.of(new Media(MediaHeader.of(known.get()).orElseThrow(), known.get()));
        }
        Optional<Media> media = media(repo, snapshot, configName, splitName, row, column, item);
        if (media.isEmpty()) {
            return media;
        }
        return Optional.of(thumbnails.of(key, media.get().header(), media.get().bytes())
                .map(jpeg -> new Media(MediaHeader.of(jpeg).orElseThrow(), jpeg)).orElse(media.get()));
    }

    /** The bytes of one cell's image or sound: a folder's file, or a table's cell read by DuckDB. */
    private Optional<byte[]> cellBytes(Repo repo, Snapshot snapshot, String configName, String splitName, long row,
                                       String column, @Nullable Integer item) throws IOException {
        Split shards = shards(snapshot, configName, splitName);
        if (shards != null) {
            if (item != null) {
                return Optional.empty(); // a shard's cells are single members, never lists
            }
            try (Repository git = repoService.openGit(repo)) {
                return webDatasets.bytes(git, repo, snapshot, webDatasets.read(git, repo, snapshot, shards,
                        maxSplitBytes), row, column, MAX_MEDIA_BYTES);
            }
        }
        Split folder = mediaFolder(snapshot, configName, splitName);
        if (folder != null) {
            if (item != null) {
                return Optional.empty(); // a folder's cells are single files, never lists
            }
            try (Repository git = repoService.openGit(repo)) {
                return folders.bytes(git, repo, snapshot, folder, row, column, MAX_MEDIA_BYTES);
            }
        }
        try (Local local = local(repo, snapshot, configName, splitName)) {
            try {
                if (local.split().format().isFolder()) {
                    DuckTables.Page page = tables().rows(local.format(), local.files(), row, 1);
                    try (Repository git = repoService.openGit(repo)) {
                        return described.bytes(git, repo, snapshot, local.split(), starts(snapshot, configName, local),
                                page, row, column, item, MAX_MEDIA_BYTES);
                    }
                }
                return tables().mediaBytes(local.format(), local.files(), row, column, item, MAX_MEDIA_BYTES);
            } catch (SQLException e) {
                throw unreadable(local, e); // also a column the split does not have
            }
        }
    }

    /** An image or sound read from a cell: what its header says, and its bytes. */
    public record Media(MediaHeader header, byte[] bytes) {}

    /**
     * A split written as Parquet ({@link #writeParquet}): its files, in order, and whether they hold its first rows
     * only ({@code partial}: the split holds more than the viewer reads).
     */
    public record Converted(List<Path> files, boolean partial) {}

    /**
     * Writes the rows of split {@code splitName} of config {@code configName} as Parquet: a table to one file (its
     * first rows only when it {@link #isPartial}), a folder of images or sounds to files of about
     * {@link MediaFolders#SHARD_BYTES} each. The files are {@code .part} temp files in {@link #scratchFolder}, in
     * order, for the caller to delete.
     *
     * @throws ViewerErrors.SplitNotFound  when the snapshot has no such config or split
     * @throws ViewerErrors.SplitTooBig    when its first file alone is larger than the viewer reads (fewer files are
     *                                     read when they all are: {@link #isPartial})
     * @throws ViewerErrors.FileTooBig     when a folder holds a file too large to write in one piece
     * @throws ViewerErrors.UnreadableSplit when DuckDB cannot read them as their format
     */
    public Converted writeParquet(Repo repo, Snapshot snapshot, String configName, String splitName)
            throws IOException {
        Split shards = shards(snapshot, configName, splitName);
        if (shards != null) {
            try (Repository git = repoService.openGit(repo)) {
                return webDatasets.writeParquet(git, repo, snapshot, shards, tables(), cacheDir, maxSplitBytes);
            } catch (SQLException e) {
                throw new ViewerErrors.UnreadableSplit(splitName, e.getMessage() == null ? e.toString()
                        : e.getMessage().lines().findFirst().orElse(""));
            }
        }
        Split folder = mediaFolder(snapshot, configName, splitName);
        if (folder != null) {
            try (Repository git = repoService.openGit(repo)) {
                return folders.writeParquet(git, repo, snapshot, folder, snapshot.folderLabels(), tables(), cacheDir,
                        maxSplitBytes);
            } catch (SQLException e) {
                throw new ViewerErrors.UnreadableSplit(splitName, e.getMessage() == null ? e.toString()
                        : e.getMessage().lines().findFirst().orElse(""));
            }
        }
        try (Local local = local(repo, snapshot, configName, splitName)) {
            if (local.split().format().isFolder()) {
                try (Repository git = repoService.openGit(repo)) {
                    Converted written = described.writeParquet(git, repo, snapshot, local.split(),
                            starts(snapshot, configName, local), local.format(), local.files(), tables(), cacheDir,
                            maxSplitBytes);
                    return new Converted(written.files(), written.partial() || local.partial());
                } catch (SQLException e) {
                    throw unreadable(local, e);
                }
            }
            Path target = Files.createTempFile(cacheDir, "export-", ".part");
            boolean written = false;
            try {
                tables().writeParquet(local.format(), local.files(), target);
                written = true;
                return new Converted(List.of(target), local.partial());
            } catch (SQLException e) {
                throw unreadable(local, e);
            } finally {
                if (!written) {
                    Files.deleteIfExists(target);
                }
            }
        }
    }

    /**
     * Where {@link #writeParquet} may write: the folder of the local copies, the only one DuckDB may touch, whose
     * {@code .part} files are neither evicted nor kept over a restart.
     */
    public Path scratchFolder() {
        return cacheDir;
    }

    /**
     * The features the split's first Parquet file keeps in its metadata (what {@code push_to_hub} declared: class
     * names, images, exact types), once per commit and split; empty for other formats, or files without them.
     */
    private Map<String, JsonNode> features(Snapshot snapshot, String configName, Local local)
            throws SQLException, IOException {
        if (local.format() != DataFiles.Format.PARQUET || local.files().isEmpty()) {
            return Map.of();
        }
        String key = snapshot.commit() + " " + configName + " " + local.split().name();
        Map<String, JsonNode> known = features.get(key);
        if (known != null) {
            return known;
        }
        Map<String, JsonNode> found = new LinkedHashMap<>();
        Optional<String> metadata = tables().huggingfaceMetadata(local.files().get(0));
        if (metadata.isPresent()) {
            try {
                JsonNode declared = Json.MAPPER.readTree(metadata.get()).path("info").path("features");
                declared.fields().forEachRemaining(f -> {
                    if (f.getValue().isObject()) {
                        found.put(f.getKey(), f.getValue());
                    }
                });
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                // Not the library's JSON after all: the columns' own types stand.
            }
        }
        Map<String, JsonNode> result = Map.copyOf(found);
        features.put(key, result);
        return result;
    }

    /**
     * The split when it is a folder of images or sounds without metadata, which DuckDB does not read; null for a
     * table or none.
     */
    private static @Nullable Split mediaFolder(Snapshot snapshot, String configName, String splitName) {
        return snapshot.config(configName).flatMap(c -> c.splits().stream()
                        .filter(s -> s.name().equals(splitName) && s.format().isFolder() && s.metadata().isEmpty())
                        .findFirst())
                .orElse(null);
    }

    private static void requireTable(Snapshot snapshot, String configName, String splitName) {
        if (snapshot.config(configName).stream().flatMap(c -> c.splits().stream())
                .anyMatch(s -> s.name().equals(splitName) && !s.isTable())) {
            throw new ViewerErrors.NotATable(splitName);
        }
    }

    /** The split when it is WebDataset shards, which {@link WebDatasets} reads; null for others or none. */
    private static @Nullable Split shards(Snapshot snapshot, String configName, String splitName) {
        return snapshot.config(configName).flatMap(c -> c.splits().stream()
                        .filter(s -> s.name().equals(splitName) && s.format() == DataFiles.Format.WEBDATASET)
                        .findFirst())
                .orElse(null);
    }

    /**
     * A split and the local copies of the files DuckDB reads, kept while it is open: its data files, or a folder's
     * metadata files ({@code paths}, of {@code format}); when the split is {@link #isPartial}, its first files only,
     * or the first records of its first file ({@code cut}).
     */
    private record Local(Split split, DataFiles.Format format, List<String> paths, boolean cut,
                         ViewerCache.Lease lease) implements AutoCloseable {
        boolean partial() {
            return cut || paths.size() < tableFiles(split).size();
        }

        List<Path> files() {
            return lease.files();
        }

        @Override
        public void close() {
            lease.close();
        }
    }

    private Local local(Repo repo, Snapshot snapshot, String configName, String splitName) throws IOException {
        DataConfigs.Config config = snapshot.config(configName)
                .orElseThrow(() -> new ViewerErrors.SplitNotFound(configName, splitName));
        Split split = config.splits().stream().filter(s -> s.name().equals(splitName)).findFirst()
                .orElseThrow(() -> new ViewerErrors.SplitNotFound(configName, splitName));
        List<String> all = tableFiles(split);
        DataFiles.Format format = DataFiles.Format.of(all.get(0)).orElseThrow();
        if (all.stream().anyMatch(p -> DataFiles.Format.of(p).orElseThrow() != format)) {
            throw new ViewerErrors.UnreadableSplit(split.name(), "its metadata files are of different formats");
        }
        List<String> paths = readable(snapshot, all);
        try (Repository git = repoService.openGit(repo)) {
            if (paths.isEmpty() && cuttable(all.get(0))) {
                ViewerCache.Lease start = cache.leaseStart(git, repo, snapshot.files().get(all.get(0)),
                        maxSplitBytes, format == DataFiles.Format.CSV || format == DataFiles.Format.TSV);
                if (!start.files().isEmpty()) {
                    return new Local(split, format, List.of(all.get(0)), true, start);
                }
            }
            if (paths.isEmpty()) {
                throw new ViewerErrors.SplitTooBig(split.name(), snapshot.bytes(all), maxSplitBytes);
            }
            return new Local(split, format, paths, false,
                    cache.lease(git, repo, paths.stream().map(snapshot.files()::get).toList()));
        }
    }

    /**
     * A page of DuckDB's as rows of the split: a folder's file-name columns become its images or sounds
     * ({@link FolderMetadata}).
     */
    private Rows rowsOf(Repo repo, Snapshot snapshot, String configName, Local local, DuckTables.Page page,
                        long offset, long total) throws SQLException, IOException {
        Map<String, JsonNode> features = new LinkedHashMap<>(features(snapshot, configName, local));
        if (local.split().format().isFolder()) {
            features.putAll(FolderMetadata.features(FolderMetadata.mediaColumns(page.columns(),
                    local.split().format()), local.split().format()));
            try (Repository git = repoService.openGit(repo)) {
                page = described.withMedia(git, repo, snapshot, local.split(), starts(snapshot, configName, local),
                        page);
            }
        }
        return new Rows(local.split(), page.columns(), page.rows(), page.indexes(), offset, total, features,
                local.partial());
    }

    /**
     * Where each metadata file's rows begin in a folder's rows (in path order), counted once per commit and split; a
     * single file's at 0 without counting.
     */
    private long[] starts(Snapshot snapshot, String configName, Local local) throws SQLException, IOException {
        long[] starts = new long[local.files().size()];
        for (int i = 1; i < starts.length; i++) {
            String key = snapshot.commit() + " " + configName + " " + local.split().name() + " "
                    + local.paths().get(i - 1);
            Long count = counts.get(key);
            if (count == null) {
                count = tables().count(local.format(), List.of(local.files().get(i - 1)));
                counts.put(key, count);
            }
            starts[i] = starts[i - 1] + count;
        }
        return starts;
    }

    /** A folder's statistics without its file-name columns, which are images or sounds (the Hub has none for them). */
    private SplitStatistics.Result withoutFileNames(Local local, SplitStatistics.Result result)
            throws SQLException, IOException {
        if (!local.split().format().isFolder()) {
            return result;
        }
        List<String> names = FolderMetadata.mediaColumns(tables().columns(local.format(), local.files()),
                local.split().format()).stream().map(DuckTables.MediaColumn::fileColumn).toList();
        return new SplitStatistics.Result(result.numExamples(), result.columns().stream()
                .filter(c -> !names.contains(c.name())).toList());
    }

    /**
     * Whether the viewer reads only the first files of a split, as many as fit in the split limit, or when the first
     * alone is over it and is lines ({@link #cuttable}), the whole records of its first bytes up to the limit; as the
     * Hub's shows the first rows of a split too large to convert whole ({@code partial}). The rows' count and
     * statistics are then those rows'. False for a split read whole, and for one refused (a first file over the limit
     * in another format). WebDataset shards are read as far as {@link WebDatasets} goes.
     */
    public boolean isPartial(Repo repo, Snapshot snapshot, String configName, String splitName) throws IOException {
        Split shards = shards(snapshot, configName, splitName);
        if (shards != null) {
            try (Repository git = repoService.openGit(repo)) {
                return webDatasets.read(git, repo, snapshot, shards, maxSplitBytes).partial();
            }
        }
        Split split = snapshot.config(configName).flatMap(c -> c.splits().stream()
                .filter(s -> s.name().equals(splitName) && s.isTable()).findFirst()).orElse(null);
        if (split == null) {
            return false;
        }
        List<String> all = tableFiles(split);
        int read = readable(snapshot, all).size();
        return read == 0 ? cuttable(all.get(0)) : read < all.size();
    }

    /**
     * Whether a file is records one per line, whose first ones can be read without the rest: CSV, TSV, text, JSON
     * Lines (a {@code .json} file may be one array). Parquet keeps its rows' layout in a footer at the end.
     */
    private static boolean cuttable(String path) {
        String name = path.toLowerCase(java.util.Locale.ROOT);
        return name.endsWith(".csv") || name.endsWith(".tsv") || name.endsWith(".txt") || name.endsWith(".jsonl")
                || name.endsWith(".ndjson");
    }

    /** The files DuckDB reads for a table split: its data files, or a folder's metadata files. */
    private static List<String> tableFiles(Split split) {
        return split.format().isFolder() ? split.metadata() : split.paths();
    }

    /** The longest run of {@code paths} from the first whose sizes fit in the split limit. */
    private List<String> readable(Snapshot snapshot, List<String> paths) {
        long bytes = 0;
        for (int i = 0; i < paths.size(); i++) {
            bytes += snapshot.files().get(paths.get(i)).size();
            if (bytes > maxSplitBytes) {
                return paths.subList(0, i);
            }
        }
        return paths;
    }

    private static int pageLength(int length) {
        return Math.max(0, Math.min(length, MAX_PAGE));
    }

    /** DuckDB's reason, with the files named by their paths in the repo, not where this server keeps copies. */
    private static ViewerErrors.UnreadableSplit unreadable(Local local, SQLException e) {
        String reason = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
        for (int i = 0; i < local.files().size(); i++) {
            reason = reason.replace(local.files().get(i).toAbsolutePath().toString(), local.paths().get(i));
        }
        return new ViewerErrors.UnreadableSplit(local.split().name(), reason);
    }

    /** A map that keeps its {@code max} most recently used entries. */
    private static <V> Map<String, V> lru(int max) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        });
    }

    @Override
    public synchronized void close() throws SQLException {
        if (tables != null) {
            tables.close();
        }
    }
}
