package dev.atrium.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.http.Json;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.eclipse.jgit.lib.Repository;
import org.jspecify.annotations.Nullable;

/**
 * A split that is a folder of images or sounds, as the datasets library's {@code imagefolder} and {@code audiofolder}
 * load them: one row per file, in path order, with an {@code image} (or {@code audio}) column and, when every such
 * file of the dataset sits at the same depth in folders of more than one name and no split has a metadata file (see
 * {@link FolderMetadata} for those), a {@code label} column whose class names are those folders' names, sorted.
 * Nothing is copied: a page reads the first bytes of its files (the type, and an image's size), and {@link #bytes}
 * one file; the Parquet export writes them as push_to_hub would ({@link #writeParquet}).
 */
final class MediaFolders {
    static final String LABEL = "label";
    /** The Parquet export writes a folder in files of about this many bytes of images or sounds. */
    static final long SHARD_BYTES = 128L << 20;
    /** A file the export holds in memory while it writes it: folders with larger ones are not exported. */
    static final int MAX_FILE_BYTES = 64 << 20;

    private final LfsObjects lfs;

    MediaFolders(LfsObjects lfs) {
        this.lfs = lfs;
    }

    /**
     * The class names of the folders in {@code configs}, sorted; none when a split has a metadata file, which gives
     * the rows columns of its own instead, as in the datasets library.
     */
    static List<String> labels(List<DataConfigs.Config> configs) {
        if (configs.stream().flatMap(c -> c.splits().stream()).anyMatch(s -> !s.metadata().isEmpty())) {
            return List.of();
        }
        TreeSet<String> names = new TreeSet<>();
        TreeSet<Integer> depths = new TreeSet<>();
        for (DataConfigs.Config config : configs) {
            for (DataFiles.Split split : config.splits()) {
                if (split.format().isFolder()) {
                    for (String path : split.paths()) {
                        names.add(parent(path));
                        depths.add(path.split("/", -1).length);
                    }
                }
            }
        }
        return names.size() > 1 && depths.size() == 1 ? List.copyOf(names) : List.of();
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(path.lastIndexOf('/', slash - 1) + 1, slash);
    }

    /** The column a folder's files are: {@code image} or {@code audio}, as the datasets library names it. */
    static String column(DataFiles.Format format) {
        return format == DataFiles.Format.AUDIO ? "audio" : "image";
    }

    /** The columns' features: an image or a sound, and the class label when there are labels. */
    static Map<String, JsonNode> features(DataFiles.Format format, List<String> labels) {
        Map<String, JsonNode> features = new LinkedHashMap<>();
        features.put(column(format), Json.MAPPER.createObjectNode()
                .put("_type", format == DataFiles.Format.AUDIO ? "Audio" : "Image"));
        if (!labels.isEmpty()) {
            ObjectNode label = Json.MAPPER.createObjectNode();
            labels.forEach(label.putArray("names")::add);
            features.put(LABEL, label.put("_type", "ClassLabel"));
        }
        return features;
    }

    /**
     * Rows {@code [offset, offset + length)} of the split: each file's image or sound (or its name, when its bytes are
     * neither) and label.
     */
    DatasetViewer.Rows rows(Repository git, Repo repo, DatasetViewer.Snapshot snapshot, DataFiles.Split split,
                            List<String> labels, long offset, int length) throws IOException {
        String media = column(split.format());
        List<DuckTables.Column> columns = new ArrayList<>(List.of(new DuckTables.Column(media, split.format().name())));
        if (!labels.isEmpty()) {
            columns.add(new DuckTables.Column(LABEL, "BIGINT"));
        }
        List<List<Object>> rows = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        long total = split.paths().size();
        for (long i = offset; i < Math.min(total, offset + length); i++) {
            String path = split.paths().get((int) i);
            byte[] head = lfs.readStart(git, repo, snapshot.files().get(path), MediaHeader.PREFIX);
            List<Object> row = new ArrayList<>();
            Optional<MediaHeader> header = MediaHeader.of(head);
            boolean shown = header.isPresent() && header.get().isImage() == (split.format() == DataFiles.Format.IMAGE);
            row.add(shown ? new DuckTables.MediaCell(header.get()) : path.substring(path.lastIndexOf('/') + 1));
            if (!labels.isEmpty()) {
                row.add((long) labels.indexOf(parent(path)));
            }
            rows.add(row);
            indexes.add(i);
        }
        return new DatasetViewer.Rows(split, columns, rows, indexes, offset, total, features(split.format(), labels),
                false);
    }

    /**
     * The split's statistics: how often each class label occurs, most frequent first (as the public viewer describes
     * a {@code ClassLabel} column); the images or sounds themselves have none.
     */
    static SplitStatistics.Result statistics(DataFiles.Split split, List<String> labels) {
        if (labels.isEmpty()) {
            return new SplitStatistics.Result(split.paths().size(), List.of());
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        labels.forEach(label -> counts.put(label, 0L));
        split.paths().forEach(path -> counts.merge(parent(path), 1L, Long::sum));
        Map<String, Long> frequencies = new LinkedHashMap<>();
        counts.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> frequencies.put(e.getKey(), e.getValue()));
        return new SplitStatistics.Result(split.paths().size(), List.of(new SplitStatistics.Column(LABEL,
                SplitStatistics.Kind.CLASS_LABEL, 0, 0.0, null, frequencies)));
    }

    /**
     * Writes the split as Parquet the way push_to_hub would store it, in files of about {@link #SHARD_BYTES} of
     * images or sounds each (temp files in {@code scratch}, in order), with its features in their metadata; its first
     * files only, as many as {@code maxSplitBytes} holds ({@link ExportShards}).
     *
     * @throws ViewerErrors.SplitTooBig when its first file alone holds more than {@code maxSplitBytes}
     * @throws ViewerErrors.FileTooBig  when one holds more than {@link #MAX_FILE_BYTES} (each is held in memory while
     *                                  it is written)
     */
    DatasetViewer.Converted writeParquet(Repository git, Repo repo, DatasetViewer.Snapshot snapshot,
                                         DataFiles.Split split, List<String> labels, DuckTables tables, Path scratch,
                                         long maxSplitBytes) throws IOException, SQLException {
        String features = Json.MAPPER.writeValueAsString(Map.of("info",
                Map.of("features", features(split.format(), labels))));
        List<DuckTables.RowColumn> columns = new ArrayList<>(List.of(new DuckTables.RowColumn(column(split.format()),
                "MEDIA", null)));
        if (!labels.isEmpty()) {
            columns.add(new DuckTables.RowColumn(LABEL, "BIGINT", null));
        }
        try (ExportShards<String> shards = new ExportShards<>(split.name(), scratch, maxSplitBytes,
                (paths, target) -> tables.writeRows(columns, features, ExportShards.reading(paths, path -> {
                    List<@Nullable Object> row = new ArrayList<>(List.of(new DuckTables.MediaFile(
                            lfs.readStart(git, repo, snapshot.files().get(path), MAX_FILE_BYTES),
                            path.substring(path.lastIndexOf('/') + 1))));
                    if (!labels.isEmpty()) {
                        row.add((long) labels.indexOf(parent(path)));
                    }
                    return row;
                }), target))) {
            for (String path : split.paths()) {
                if (!shards.add(path, List.of(snapshot.files().get(path)))) {
                    break;
                }
            }
            return shards.finish();
        }
    }

    /** The bytes of the file in row {@code row}, when it is one of at most {@code maxBytes}. */
    Optional<byte[]> bytes(Repository git, Repo repo, DatasetViewer.Snapshot snapshot, DataFiles.Split split,
                           long row, String column, int maxBytes) throws IOException {
        if (!column.equals(column(split.format())) || row < 0 || row >= split.paths().size()) {
            return Optional.empty();
        }
        FileEntry file = snapshot.files().get(split.paths().get((int) row));
        if (file.size() > maxBytes) {
            return Optional.empty();
        }
        return Optional.of(lfs.readStart(git, repo, file, maxBytes));
    }
}
