package dev.atrium.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.http.Json;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.Repository;
import org.jspecify.annotations.Nullable;

/**
 * A folder of images or sounds with metadata files ({@code metadata.csv}, {@code .jsonl} or {@code .parquet}), as the
 * datasets library's imagefolder and audiofolder load it: the rows are the metadata's rows, with its columns, read by
 * DuckDB like any table; a text column {@code file_name} names a file relative to its metadata file's folder and
 * becomes the {@code image} (or {@code audio}) column, and {@code {name}_file_name} becomes {@code {name}} (a second
 * image, such as a ControlNet dataset's conditioning image). Captioned images for text-to-image training are the
 * common case. A list of texts {@code file_names} (or {@code {name}_file_names}) becomes a list of them,
 * {@code images} (or {@code {name}}): several images to one row. The split's metadata files are read in path order;
 * {@code starts} says where each one's rows begin.
 */
final class FolderMetadata {
    private static final String FILE_NAME = "file_name";
    private static final String SUFFIX = "_" + FILE_NAME;
    private static final String FILE_NAMES = "file_names";
    private static final String LIST_SUFFIX = "_" + FILE_NAMES;

    private final LfsObjects lfs;

    FolderMetadata(LfsObjects lfs) {
        this.lfs = lfs;
    }

    /**
     * The metadata columns that name files: their place, the names of the image or sound columns (or lists of them)
     * they become, as the datasets library names them.
     */
    static List<DuckTables.MediaColumn> mediaColumns(List<DuckTables.Column> columns, DataFiles.Format format) {
        List<DuckTables.MediaColumn> media = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String name = columns.get(i).name();
            String type = columns.get(i).type();
            if (type.equals("VARCHAR") && name.equals(FILE_NAME)) {
                media.add(new DuckTables.MediaColumn(i, name, MediaFolders.column(format), false));
            } else if (type.equals("VARCHAR") && name.endsWith(SUFFIX) && name.length() > SUFFIX.length()) {
                media.add(new DuckTables.MediaColumn(i, name, name.substring(0, name.length() - SUFFIX.length()),
                        false));
            } else if (type.equals("VARCHAR[]") && name.equals(FILE_NAMES)) {
                media.add(new DuckTables.MediaColumn(i, name, MediaFolders.column(format) + "s", true));
            } else if (type.equals("VARCHAR[]") && name.endsWith(LIST_SUFFIX) && name.length() > LIST_SUFFIX.length()) {
                media.add(new DuckTables.MediaColumn(i, name,
                        name.substring(0, name.length() - LIST_SUFFIX.length()), true));
            }
        }
        return media;
    }

    /** The image or sound features of the columns named files: an {@code Image}, or a {@code List} of them. */
    static Map<String, JsonNode> features(List<DuckTables.MediaColumn> media, DataFiles.Format format) {
        Map<String, JsonNode> features = new LinkedHashMap<>();
        for (DuckTables.MediaColumn column : media) {
            JsonNode one = MediaFolders.features(format, List.of()).get(MediaFolders.column(format));
            features.put(column.name(), column.list() ? Json.MAPPER.createObjectNode().<ObjectNode>set("feature", one)
                    .put("_type", "List") : one);
        }
        return features;
    }

    /**
     * The repo path a metadata file's {@code file_name} names: relative to the metadata file's folder and never out
     * of it, as the datasets library requires (no absolute path, URL or {@code ..} above the folder); empty otherwise.
     */
    static Optional<String> resolve(String metadataPath, String fileName) {
        if (fileName.contains("://") || fileName.startsWith("/") || fileName.startsWith("\\")) {
            return Optional.empty();
        }
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : fileName.replace('\\', '/').split("/")) {
            if (segment.equals("..")) {
                if (segments.isEmpty()) {
                    return Optional.empty();
                }
                segments.removeLast();
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        if (segments.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(metadataPath.substring(0, metadataPath.lastIndexOf('/') + 1) + String.join("/", segments));
    }

    /** The metadata file that holds row {@code index} of the split. */
    static String metadataOf(DataFiles.Split split, long[] starts, long index) {
        int i = starts.length - 1;
        while (i > 0 && starts[i] > index) {
            i--;
        }
        return split.metadata().get(i);
    }

    /** The file a cell (or a list's item) names, when the split has it. */
    private static @Nullable FileEntry file(DatasetViewer.Snapshot snapshot, DataFiles.Split split, long[] starts,
                                            long index, @Nullable Object cell) {
        if (!(cell instanceof String name)) {
            return null;
        }
        return resolve(metadataOf(split, starts, index), name).map(snapshot.files()::get).orElse(null);
    }

    /**
     * The page with its file-name columns as images or sounds: each cell that names a file of the split whose header
     * is of the folder's kind, by its {@link MediaHeader}; others keep their text.
     */
    DuckTables.Page withMedia(Repository git, Repo repo, DatasetViewer.Snapshot snapshot, DataFiles.Split split,
                              long[] starts, DuckTables.Page page) throws IOException {
        List<DuckTables.MediaColumn> media = mediaColumns(page.columns(), split.format());
        List<DuckTables.Column> columns = new ArrayList<>(page.columns());
        for (DuckTables.MediaColumn column : media) {
            columns.set(column.index(), new DuckTables.Column(column.name(), split.format().name()));
        }
        List<List<@Nullable Object>> rows = new ArrayList<>();
        for (int r = 0; r < page.rows().size(); r++) {
            List<@Nullable Object> row = new ArrayList<>(page.rows().get(r));
            long index = page.indexes().get(r);
            for (DuckTables.MediaColumn column : media) {
                Object value = row.get(column.index());
                if (column.list() && value instanceof List<?> items) {
                    List<@Nullable Object> shown = new ArrayList<>();
                    for (Object item : items) {
                        shown.add(shown(git, repo, split, file(snapshot, split, starts, index, item), item));
                    }
                    row.set(column.index(), shown);
                } else if (!column.list()) {
                    row.set(column.index(), shown(git, repo, split, file(snapshot, split, starts, index, value),
                            value));
                }
            }
            rows.add(row);
        }
        return new DuckTables.Page(columns, rows, page.indexes());
    }

    /** A named file as a cell: its image or sound when its header is of the folder's kind, else the name. */
    private @Nullable Object shown(Repository git, Repo repo, DataFiles.Split split, @Nullable FileEntry file,
                                   @Nullable Object name) throws IOException {
        if (file == null) {
            return name;
        }
        Optional<MediaHeader> header = MediaHeader.of(lfs.readStart(git, repo, file, MediaHeader.PREFIX));
        return header.isPresent() && header.get().isImage() == (split.format() == DataFiles.Format.IMAGE)
                ? new DuckTables.MediaCell(header.get()) : name;
    }

    /**
     * The bytes of the file that column {@code column} (an image or sound column's name) names in {@code row}, a page
     * of the one row {@code index} (item {@code item} of a list column's); when it is one of the split's files of at
     * most {@code maxBytes}.
     */
    Optional<byte[]> bytes(Repository git, Repo repo, DatasetViewer.Snapshot snapshot, DataFiles.Split split,
                           long[] starts, DuckTables.Page row, long index, String column, @Nullable Integer item,
                           int maxBytes) throws IOException {
        if (row.rows().isEmpty()) {
            return Optional.empty();
        }
        for (DuckTables.MediaColumn media : mediaColumns(row.columns(), split.format())) {
            if (media.name().equals(column) && media.list() == (item != null)) {
                Object value = row.rows().get(0).get(media.index());
                if (item != null) {
                    value = value instanceof List<?> items && item >= 0 && item < items.size() ? items.get(item) : null;
                }
                FileEntry file = file(snapshot, split, starts, index, value);
                return file == null || file.size() > maxBytes ? Optional.empty()
                        : Optional.of(lfs.readStart(git, repo, file, maxBytes));
            }
        }
        return Optional.empty();
    }

    /**
     * A metadata row the export writes: its index, and the files it names, by media column: one, or a list's (null
     * for a null value).
     */
    private record Named(long index, List<@Nullable List<FileEntry>> files) {}

    /**
     * Writes the split as Parquet the way push_to_hub would store what imagefolder loads: the metadata's columns, each
     * file-name column replaced by a {@code {bytes, path}} struct under its image or sound name, with those features in
     * the files' metadata; in files of about {@link MediaFolders#SHARD_BYTES} of images or sounds (temp files in
     * {@code scratch}, in order), of its first rows only when their files hold more than {@code maxSplitBytes}
     * ({@link ExportShards}). The metadata is read as the files are written: one file's rows are held at a time.
     *
     * @throws ViewerErrors.UnreadableSplit when the metadata names no files, or a file the split does not have
     * @throws ViewerErrors.SplitTooBig     when the first row's files alone hold more than {@code maxSplitBytes}
     * @throws ViewerErrors.FileTooBig      when one of them holds more than {@link MediaFolders#MAX_FILE_BYTES}
     */
    DatasetViewer.Converted writeParquet(Repository git, Repo repo, DatasetViewer.Snapshot snapshot,
                                         DataFiles.Split split, long[] starts, DataFiles.Format metadataFormat,
                                         List<Path> metadataFiles, DuckTables tables, Path scratch,
                                         long maxSplitBytes) throws IOException, SQLException {
        List<DuckTables.MediaColumn> media = mediaColumns(tables.columns(metadataFormat, metadataFiles),
                split.format());
        if (media.isEmpty()) {
            throw new ViewerErrors.UnreadableSplit(split.name(), "its metadata has no text column '" + FILE_NAME
                    + "' or '{name}" + SUFFIX + "' naming its files");
        }
        String features = Json.MAPPER.writeValueAsString(Map.of("info",
                Map.of("features", features(media, split.format()))));
        try (ExportShards<Named> shards = new ExportShards<>(split.name(), scratch, maxSplitBytes,
                (rows, target) -> tables.writeDescribedParquet(metadataFormat, metadataFiles, media, features,
                        ExportShards.reading(rows, row -> read(git, repo, row)), target))) {
            tables.eachRow(metadataFormat, metadataFiles, media.stream().map(DuckTables.MediaColumn::fileColumn)
                    .toList(), (index, values) -> {
                List<@Nullable List<FileEntry>> files = new ArrayList<>();
                List<FileEntry> all = new ArrayList<>();
                for (Object value : values) {
                    if (value == null) {
                        files.add(null);
                        continue;
                    }
                    List<FileEntry> named = new ArrayList<>();
                    for (Object name : value instanceof List<?> list ? list : List.of(value)) {
                        FileEntry file = file(snapshot, split, starts, index, name);
                        if (file == null) {
                            throw new ViewerErrors.UnreadableSplit(split.name(), metadataOf(split, starts, index)
                                    + " names '" + name + "', which is not one of the split's files");
                        }
                        named.add(file);
                    }
                    files.add(named);
                    all.addAll(named);
                }
                return shards.add(new Named(index, files), all);
            });
            return shards.finish();
        }
    }

    /** A row's images or sounds, read when the writer comes to it. */
    private DuckTables.MediaRow read(Repository git, Repo repo, Named row) throws IOException {
        List<@Nullable List<DuckTables.MediaFile>> media = new ArrayList<>();
        for (List<FileEntry> named : row.files()) {
            if (named == null) {
                media.add(null);
                continue;
            }
            List<DuckTables.MediaFile> read = new ArrayList<>();
            for (FileEntry file : named) {
                read.add(new DuckTables.MediaFile(lfs.readStart(git, repo, file, MediaFolders.MAX_FILE_BYTES),
                        file.path().substring(file.path().lastIndexOf('/') + 1)));
            }
            media.add(read);
        }
        return new DuckTables.MediaRow(row.index(), media);
    }
}
