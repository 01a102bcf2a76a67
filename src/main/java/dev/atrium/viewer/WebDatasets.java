package dev.atrium.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.http.Json;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.jspecify.annotations.Nullable;

/**
 * A split of WebDataset shards ({@code .tar} files), as the datasets library's webdataset builder reads them: the
 * members of a shard that share a key (the path up to the first dot of the file name) are one row, a column per
 * rest of the name ({@code jpg}, {@code seg.png}, {@code json}), then {@code __key__} and {@code __url__}; the columns
 * are those of the first row. A column's last extension says what it holds, as the builder decodes it: an image or a
 * sound, text ({@code txt}), a number ({@code cls}, {@code id}), JSON ({@code json}); anything else is bytes.
 *
 * <p>Nothing is copied: a shard's headers are read once ({@link TarIndex}, through a {@link Window}) and a page reads
 * its rows' members. Shards are read in path order up to the split limit (always the first), so a split of many
 * large shards shows the rows of its first ones ({@code partial}), as does one of more than {@link #MAX_ROWS}.
 */
final class WebDatasets {
    /** The rows read of one split at most. */
    static final int MAX_ROWS = 100_000;
    /** The members of the shards kept read at most, all together: a shard's rows are a few hundred bytes each. */
    private static final int MAX_KEPT_MEMBERS = 1_000_000;
    /** Text, numbers and JSON larger than this show as their size. */
    private static final int MAX_VALUE_BYTES = 1 << 20;
    private static final Pattern KEY = Pattern.compile("^((?:.*/|)[^./]+)[.]([^/]*)$");
    private static final List<String> TEXT = List.of("txt", "text", "transcript");
    private static final List<String> NUMBER = List.of("cls", "cls2", "index", "inx", "id");
    private static final List<String> JSON = List.of("json", "jsn");
    static final String KEY_COLUMN = "__key__";
    static final String URL_COLUMN = "__url__";

    private final LfsObjects lfs;
    /**
     * A shard's rows by its content (LFS oid or blob id): its headers are read once. The least recently used go while
     * the shards kept hold more than {@link #MAX_KEPT_MEMBERS} members.
     */
    private final LinkedHashMap<String, List<Row>> shards = new LinkedHashMap<>(16, 0.75f, true);
    private long keptMembers;

    /** The shards kept in git read last, whole. */
    private final Map<String, byte[]> blobs = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
            return size() > 4;
        }
    });

    WebDatasets(LfsObjects lfs) {
        this.lfs = lfs;
    }

    /** A row: its key, the shard it is in, and its members by column, in the order the shard holds them. */
    record Row(String key, String shard, Map<String, TarIndex.Member> fields) {}

    /** The rows of a split read so far, and whether some were left out. */
    record Read(List<Row> rows, boolean partial) {}

    /** The rows of the split's shards, in order, as far as the limits go. */
    Read read(Repository git, Repo repo, DatasetViewer.Snapshot snapshot, DataFiles.Split split, long maxSplitBytes)
            throws IOException {
        List<Row> rows = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < split.paths().size(); i++) {
            FileEntry shard = snapshot.files().get(split.paths().get(i));
            bytes += shard.size();
            if (i > 0 && bytes > maxSplitBytes || rows.size() >= MAX_ROWS) {
                return new Read(rows, true);
            }
            List<Row> of = rows(git, repo, shard);
            if (rows.size() + of.size() > MAX_ROWS) {
                rows.addAll(of.subList(0, MAX_ROWS - rows.size()));
                return new Read(rows, true);
            }
            rows.addAll(of);
        }
        return new Read(rows, false);
    }

    private List<Row> rows(Repository git, Repo repo, FileEntry shard) throws IOException {
        String id = shard.lfs() != null ? shard.lfs().oid().hex() : shard.oid();
        synchronized (shards) {
            List<Row> known = shards.get(id);
            if (known != null) {
                return known;
            }
        }
        List<TarIndex.Member> members;
        try {
            members = TarIndex.read(new Window(git, repo, shard), shard.size(), MAX_ROWS * 4);
        } catch (TarIndex.Malformed e) {
            throw new ViewerErrors.UnreadableSplit(shard.path(), e.getMessage());
        }
        // Members of one key are together in a shard, as WebDataset writes them; a key seen again is a new row.
        List<Row> rows = new ArrayList<>();
        Row current = null;
        for (TarIndex.Member member : members) {
            Matcher m = KEY.matcher(member.name());
            if (!m.matches()) {
                continue;
            }
            if (current == null || !current.key().equals(m.group(1))) {
                current = new Row(m.group(1), shard.path(), new LinkedHashMap<>());
                rows.add(current);
            }
            current.fields().put(m.group(2), member);
        }
        List<Row> kept = List.copyOf(rows);
        synchronized (shards) {
            if (shards.put(id, kept) == null) {
                keptMembers += kept.stream().mapToLong(r -> r.fields().size()).sum();
            }
            var eldest = shards.entrySet().iterator();
            while (keptMembers > MAX_KEPT_MEMBERS && eldest.hasNext()) {
                var entry = eldest.next();
                if (entry.getValue() != kept) {
                    keptMembers -= entry.getValue().stream().mapToLong(r -> r.fields().size()).sum();
                    eldest.remove();
                }
            }
        }
        return kept;
    }

    /**
     * A shard's bytes read a window at a time, so that the headers of many small members cost one read, not one each
     * (a read from Xet chunks costs about the same for 512 bytes as for a chunk's 64 KB).
     */
    private final class Window implements TarIndex.Ranges {
        private static final int SIZE = 256 * 1024;
        private final Repository git;
        private final Repo repo;
        private final FileEntry shard;
        private long start = -1;
        private byte[] bytes = new byte[0];

        Window(Repository git, Repo repo, FileEntry shard) {
            this.git = git;
            this.repo = repo;
            this.shard = shard;
        }

        @Override
        public byte[] read(long offset, int length) throws IOException {
            if (start < 0 || offset < start || offset + length > start + bytes.length) {
                bytes = range(git, repo, shard, offset, Math.max(length, SIZE));
                start = offset;
            }
            int from = (int) (offset - start);
            return java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + length));
        }
    }

    /** The split's columns: the first row's, then the key and the shard. */
    static List<DuckTables.Column> columns(List<Row> rows) {
        List<DuckTables.Column> columns = new ArrayList<>();
        if (!rows.isEmpty()) {
            for (String field : rows.get(0).fields().keySet()) {
                columns.add(new DuckTables.Column(field, kind(field).name()));
            }
        }
        columns.add(new DuckTables.Column(KEY_COLUMN, "VARCHAR"));
        columns.add(new DuckTables.Column(URL_COLUMN, "VARCHAR"));
        return columns;
    }

    /** What a column holds, by its last extension. */
    enum Kind { IMAGE, AUDIO, TEXT, NUMBER, JSON, BYTES }

    static Kind kind(String field) {
        String extension = field.substring(field.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        Optional<DataFiles.Format> format = DataFiles.Format.of("x." + extension);
        if (format.isPresent() && format.get() == DataFiles.Format.IMAGE) {
            return Kind.IMAGE;
        }
        if (format.isPresent() && format.get() == DataFiles.Format.AUDIO) {
            return Kind.AUDIO;
        }
        return TEXT.contains(extension) ? Kind.TEXT : NUMBER.contains(extension) ? Kind.NUMBER
                : JSON.contains(extension) ? Kind.JSON : Kind.BYTES;
    }

    /** Rows {@code [offset, offset + length)} of what {@link #read} gave, their cells as the builder decodes them. */
    DatasetViewer.Rows page(Repository git, Repo repo, DatasetViewer.Snapshot snapshot, DataFiles.Split split,
                            Read read, long offset, int length) throws IOException {
        List<DuckTables.Column> columns = columns(read.rows());
        List<List<Object>> rows = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        for (long i = offset; i < Math.min(read.rows().size(), offset + length); i++) {
            Row row = read.rows().get((int) i);
            List<Object> cells = new ArrayList<>();
            for (DuckTables.Column column : columns) {
                cells.add(switch (column.name()) {
                    case KEY_COLUMN -> row.key();
                    case URL_COLUMN -> row.shard();
                    default -> cell(git, repo, snapshot.files().get(row.shard()), column.name(),
                            row.fields().get(column.name()));
                });
            }
            rows.add(cells);
            indexes.add(i);
        }
        List<Object> first = rows.isEmpty() ? List.of() : rows.get(0);
        return new DatasetViewer.Rows(split, columns, rows, indexes, offset, read.rows().size(),
                features(columns, offset == 0 ? first : firstRow(git, repo, snapshot, read, columns)), read.partial());
    }

    private List<Object> firstRow(Repository git, Repo repo, DatasetViewer.Snapshot snapshot, Read read,
                                  List<DuckTables.Column> columns) throws IOException {
        if (read.rows().isEmpty()) {
            return List.of();
        }
        Row row = read.rows().get(0);
        List<Object> cells = new ArrayList<>();
        for (DuckTables.Column column : columns) {
            cells.add(column.name().startsWith("__") ? null
                    : cell(git, repo, snapshot.files().get(row.shard()), column.name(),
                            row.fields().get(column.name())));
        }
        return cells;
    }

    /** A member as a cell: its image or sound, text, number or JSON, else its size. */
    private @Nullable Object cell(Repository git, Repo repo, FileEntry shard, String field,
                                  TarIndex.@Nullable Member member) throws IOException {
        if (member == null) {
            return null;
        }
        Kind kind = kind(field);
        if (kind == Kind.IMAGE || kind == Kind.AUDIO) {
            byte[] head = range(git, repo, shard, member.offset(), (int) Math.min(member.size(), MediaHeader.PREFIX));
            Optional<MediaHeader> header = MediaHeader.of(head);
            return header.isPresent() && header.get().isImage() == (kind == Kind.IMAGE)
                    ? new DuckTables.MediaCell(header.get()) : "<" + member.size() + " bytes>";
        }
        if (kind == Kind.BYTES || member.size() > MAX_VALUE_BYTES) {
            return "<" + member.size() + " bytes>";
        }
        String text = new String(range(git, repo, shard, member.offset(), (int) member.size()), StandardCharsets.UTF_8);
        if (kind == Kind.NUMBER) {
            try {
                return Long.parseLong(text.strip());
            } catch (NumberFormatException e) {
                return text;
            }
        }
        if (kind == Kind.JSON) {
            try {
                return Json.MAPPER.readValue(text, Object.class);
            } catch (IOException e) {
                return text;
            }
        }
        return text;
    }

    /**
     * The datasets library's features of the columns: images and sounds, strings, whole numbers, binary; a JSON
     * column's from its first value, as the builder infers it from its first rows.
     */
    private static Map<String, JsonNode> features(List<DuckTables.Column> columns, List<Object> first) {
        Map<String, JsonNode> features = new LinkedHashMap<>();
        for (int c = 0; c < columns.size(); c++) {
            String name = columns.get(c).name();
            JsonNode feature = switch (name.startsWith("__") ? Kind.TEXT : kind(name)) {
                case IMAGE -> Json.MAPPER.createObjectNode().put("_type", "Image");
                case AUDIO -> Json.MAPPER.createObjectNode().put("_type", "Audio");
                case TEXT -> value("string");
                case NUMBER -> value("int64");
                case BYTES -> value("binary");
                case JSON -> inferred(c < first.size() ? first.get(c) : null);
            };
            features.put(name, feature);
        }
        return features;
    }

    private static ObjectNode value(String dtype) {
        return Json.MAPPER.createObjectNode().put("dtype", dtype).put("_type", "Value");
    }

    /** The feature Arrow would infer for a JSON value. */
    private static JsonNode inferred(@Nullable Object v) {
        if (v instanceof Map<?, ?> map) {
            ObjectNode struct = Json.MAPPER.createObjectNode();
            map.forEach((k, item) -> struct.set(String.valueOf(k), inferred(item)));
            return struct;
        }
        if (v instanceof List<?> list) {
            return Json.MAPPER.createObjectNode().<ObjectNode>set("feature", inferred(list.isEmpty() ? null
                    : list.get(0))).put("_type", "List");
        }
        return value(v instanceof Boolean ? "bool" : v instanceof Integer || v instanceof Long ? "int64"
                : v instanceof Number ? "float64" : v instanceof String ? "string" : "null");
    }

    /**
     * Writes the split as Parquet, as the Hub's converter stores what the webdataset builder loads: a column per
     * field, images and sounds as {@code {bytes, path}} structs ({@code path} the key and the field, as the builder
     * names them), text, whole numbers, JSON as the structure of its first value, other fields as bytes, then the key
     * and the shard; with the features the viewer gives in the files' metadata. In files of about
     * {@link MediaFolders#SHARD_BYTES} of members ({@link ExportShards}), the rows {@link #read} gives, up to the split
     * limit.
     *
     * @throws ViewerErrors.UnreadableSplit when the shards hold no rows, or a number that is none
     */
    DatasetViewer.Converted writeParquet(Repository git, Repo repo, DatasetViewer.Snapshot snapshot,
                                         DataFiles.Split split, DuckTables tables, java.nio.file.Path scratch,
                                         long maxSplitBytes) throws IOException, java.sql.SQLException {
        Read read = read(git, repo, snapshot, split, maxSplitBytes);
        if (read.rows().isEmpty()) {
            throw new ViewerErrors.UnreadableSplit(split.name(), "its shards hold no WebDataset rows");
        }
        List<DuckTables.Column> columns = columns(read.rows());
        List<Object> first = firstRow(git, repo, snapshot, read, columns);
        List<DuckTables.RowColumn> spec = new ArrayList<>();
        for (int c = 0; c < columns.size(); c++) {
            String name = columns.get(c).name();
            Kind kind = name.startsWith("__") ? Kind.TEXT : kind(name);
            spec.add(new DuckTables.RowColumn(name, switch (kind) {
                case IMAGE, AUDIO -> "MEDIA";
                case TEXT -> "VARCHAR";
                case NUMBER -> "BIGINT";
                case JSON -> "JSON";
                case BYTES -> "BLOB";
            }, kind == Kind.JSON ? Json.MAPPER.writeValueAsString(structure(first.get(c))) : null));
        }
        String features = Json.MAPPER.writeValueAsString(Map.of("info", Map.of("features", features(columns, first))));
        try (ExportShards<Row> shards = new ExportShards<>(split.name(), scratch, maxSplitBytes,
                (rows, target) -> tables.writeRows(spec, features,
                        ExportShards.reading(rows, row -> values(git, repo, snapshot, split, row, columns)), target))) {
            for (Row row : read.rows()) {
                List<String> names = new ArrayList<>();
                List<Long> sizes = new ArrayList<>();
                row.fields().forEach((field, member) -> {
                    names.add(row.shard() + ":" + member.name());
                    sizes.add(member.size());
                });
                if (!shards.add(row, names, sizes)) {
                    break;
                }
            }
            DatasetViewer.Converted converted = shards.finish();
            return new DatasetViewer.Converted(converted.files(), converted.partial() || read.partial());
        }
    }

    /** DuckDB's {@code json_structure} of a JSON value, as {@code from_json} takes it. */
    private static Object structure(@Nullable Object v) {
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> struct = new LinkedHashMap<>();
            map.forEach((k, item) -> struct.put(String.valueOf(k), structure(item)));
            return struct;
        }
        if (v instanceof List<?> list) {
            return List.of(structure(list.isEmpty() ? null : list.get(0)));
        }
        return v instanceof Boolean ? "BOOLEAN" : v instanceof Integer || v instanceof Long ? "BIGINT"
                : v instanceof Number ? "DOUBLE" : "VARCHAR";
    }

    /** A row's values for {@link DuckTables#writeRows}: its members read, then its key and shard. */
    private List<@Nullable Object> values(Repository git, Repo repo, DatasetViewer.Snapshot snapshot,
                                          DataFiles.Split split, Row row, List<DuckTables.Column> columns)
            throws IOException {
        FileEntry shard = snapshot.files().get(row.shard());
        List<@Nullable Object> values = new ArrayList<>();
        for (DuckTables.Column column : columns) {
            String field = column.name();
            TarIndex.Member member = row.fields().get(field);
            if (field.equals(KEY_COLUMN) || field.equals(URL_COLUMN)) {
                values.add(field.equals(KEY_COLUMN) ? row.key() : row.shard());
            } else if (member == null) {
                values.add(null);
            } else {
                values.add(value(range(git, repo, shard, member.offset(), (int) member.size()), row, field, split));
            }
        }
        return values;
    }

    /** A member's bytes as the value the export writes for its field. */
    private static Object value(byte[] bytes, Row row, String field, DataFiles.Split split) {
        return switch (kind(field)) {
            case IMAGE, AUDIO -> new DuckTables.MediaFile(bytes, row.key() + "." + field);
            case TEXT, JSON -> new String(bytes, StandardCharsets.UTF_8);
            case NUMBER -> {
                try {
                    yield Long.parseLong(new String(bytes, StandardCharsets.UTF_8).strip());
                } catch (NumberFormatException e) {
                    throw new ViewerErrors.UnreadableSplit(split.name(), "member " + row.key() + "." + field
                            + " of " + row.shard() + " is not a whole number");
                }
            }
            case BYTES -> bytes;
        };
    }

    /** The bytes of an image or sound cell, when it is one of at most {@code maxBytes}. */
    Optional<byte[]> bytes(Repository git, Repo repo, DatasetViewer.Snapshot snapshot, Read read, long index,
                           String column, int maxBytes) throws IOException {
        if (index < 0 || index >= read.rows().size()) {
            return Optional.empty();
        }
        Row row = read.rows().get((int) index);
        TarIndex.Member member = row.fields().get(column);
        Kind kind = member == null ? Kind.BYTES : kind(column);
        if ((kind != Kind.IMAGE && kind != Kind.AUDIO) || member.size() > maxBytes) {
            return Optional.empty();
        }
        return Optional.of(range(git, repo, snapshot.files().get(row.shard()), member.offset(), (int) member.size()));
    }

    /**
     * Bytes of a shard from {@code offset}: a ranged read of its large file, or of its git blob, which is small (under
     * the git blob limit) and kept whole for the reads that follow, as a blob cannot be read from the middle.
     */
    private byte[] range(Repository git, Repo repo, FileEntry shard, long offset, int length) throws IOException {
        if (shard.lfs() != null) {
            return lfs.readRange(repo, shard.lfs().oid(), offset, length);
        }
        byte[] blob = blobs.get(shard.oid());
        if (blob == null) {
            try (InputStream in = git.open(ObjectId.fromString(shard.oid()), Constants.OBJ_BLOB).openStream()) {
                blob = in.readAllBytes();
            }
            blobs.put(shard.oid(), blob);
        }
        int from = (int) Math.min(offset, blob.length);
        return java.util.Arrays.copyOfRange(blob, from, (int) Math.min(blob.length, from + (long) length));
    }
}
