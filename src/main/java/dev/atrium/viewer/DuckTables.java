package dev.atrium.viewer;

import dev.atrium.viewer.DataFiles.Format;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBStruct;
import org.jspecify.annotations.Nullable;

/**
 * Reads tables out of local data files with an in-process DuckDB. The database can read nothing but the viewer's
 * cache folder (no other file, no network, no extension downloads), and its settings are locked, so a query can not
 * widen that. The SQL is Atrium's own: file paths it chose, never text from a request.
 */
public final class DuckTables implements AutoCloseable {
    /** A column: its name and DuckDB type (such as {@code BIGINT} or {@code VARCHAR[]}). */
    public record Column(String name, String type) {}

    /**
     * Rows of a table, with each row's index in it (its place in file order, from 0): consecutive for a page of
     * {@link #rows}, the matches' own for {@link #search} and {@link #filter}. Values are JSON-ready (see
     * {@link #value}).
     */
    public record Page(List<Column> columns, List<List<@Nullable Object>> rows, List<Long> indexes) {}

    /** The column a matching query numbers the rows in before filtering them; read by position, never shown. */
    private static final String ROW_INDEX = "\"__atrium_row_index\"";

    private final DuckDBConnection database;

    public DuckTables(Path readable) throws SQLException {
        this.database = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
        try (Statement s = database.createStatement()) {
            s.execute("SET allowed_directories = [" + literal(readable.toAbsolutePath().toString()) + "]");
            s.execute("SET autoinstall_known_extensions = false");
            s.execute("SET autoload_known_extensions = false");
            s.execute("SET memory_limit = '512MB'");
            s.execute("SET threads = 2");
            s.execute("SET enable_external_access = false");
            s.execute("SET lock_configuration = true");
        }
    }

    /** How many rows the files hold. */
    public long count(Format format, List<Path> files) throws SQLException {
        try (Connection c = database.duplicate(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + source(format, files))) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Writes the files' rows, in file order, to one Parquet file at {@code target} (inside the folder DuckDB may read
     * and write), and says how many rows it holds.
     */
    public long writeParquet(Format format, List<Path> files, Path target) throws SQLException {
        String file = literal(target.toAbsolutePath().toString());
        try (Connection c = database.duplicate(); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM " + source(format, files) + ") TO " + file + " (FORMAT parquet)");
            // From the file's footer, not a scan.
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM read_parquet(" + file + ")")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The {@code huggingface} entry of a Parquet file's key-value metadata: the JSON the datasets library writes its
     * features in ({@code {"info": {"features": ...}}}); empty when the file has none.
     */
    public Optional<String> huggingfaceMetadata(Path parquet) throws SQLException {
        try (Connection c = database.duplicate(); PreparedStatement s = c.prepareStatement(
                "SELECT value FROM parquet_kv_metadata(?) WHERE decode(key) = 'huggingface'")) {
            s.setString(1, parquet.toAbsolutePath().toString());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Object value = rs.getObject(1);
                byte[] bytes = value instanceof java.sql.Blob blob ? blob.getBytes(1, (int) blob.length())
                        : value instanceof byte[] b ? b : null;
                return bytes == null ? Optional.empty()
                        : Optional.of(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * A text column of metadata that names files ({@link FolderMetadata}), or a list of them ({@code list}): its place,
     * and the column it becomes.
     */
    public record MediaColumn(int index, String fileColumn, String name, boolean list) {}

    /** An image's or sound's bytes and file name. */
    public record MediaFile(byte[] bytes, String path) {}

    /**
     * The files one metadata row names, by {@link MediaColumn}: one for a column of names, several for a list; null
     * where the value is null.
     */
    public record MediaRow(long index, List<@Nullable List<MediaFile>> files) {}

    /**
     * Writes the metadata rows that {@code rows} gives files for to one Parquet file at {@code target}, in order, as
     * the datasets library stores a folder described by metadata: each {@code media} column replaced by a
     * {@code {bytes, path}} struct of its file (a list of them for a list of names) under its image or sound name, the
     * others as they are; with {@code features} (datasets' JSON) in the file's metadata.
     */
    public void writeDescribedParquet(Format format, List<Path> files, List<MediaColumn> media, String features,
                                      Iterator<MediaRow> rows, Path target) throws SQLException {
        String source = source(format, files);
        try (Connection c = database.duplicate(); Statement s = c.createStatement()) {
            // Each row's count of files by column (null for a null value), and the files themselves.
            StringBuilder table = new StringBuilder("CREATE TEMP TABLE described_rows (" + ROW_INDEX + " BIGINT");
            StringBuilder values = new StringBuilder("INSERT INTO described_rows VALUES (?");
            for (int k = 0; k < media.size(); k++) {
                table.append(", n").append(k).append(" INTEGER");
                values.append(", ?");
            }
            s.execute(table.append(")").toString());
            s.execute("CREATE TEMP TABLE described_files (" + ROW_INDEX + " BIGINT, k INTEGER, pos INTEGER, "
                    + "b BLOB, p VARCHAR)");
            try (PreparedStatement counts = c.prepareStatement(values.append(")").toString());
                 PreparedStatement items = c.prepareStatement("INSERT INTO described_files VALUES (?, ?, ?, ?, ?)")) {
                while (rows.hasNext()) {
                    MediaRow row = rows.next();
                    counts.setLong(1, row.index());
                    for (int k = 0; k < media.size(); k++) {
                        List<MediaFile> named = row.files().get(k);
                        counts.setObject(2 + k, named == null ? null : named.size());
                        for (int pos = 0; named != null && pos < named.size(); pos++) {
                            items.setLong(1, row.index());
                            items.setInt(2, k);
                            items.setInt(3, pos);
                            items.setBytes(4, named.get(pos).bytes());
                            items.setString(5, named.get(pos).path());
                            items.execute();
                        }
                    }
                    counts.execute();
                }
            }
            List<String> select = new ArrayList<>();
            for (Column column : columns(c, source)) {
                int k = media.stream().map(MediaColumn::fileColumn).toList().indexOf(column.name());
                if (k < 0) {
                    select.add("s." + identifier(column.name()));
                    continue;
                }
                String of = " FROM described_files f WHERE f." + ROW_INDEX + " = s." + ROW_INDEX + " AND f.k = " + k;
                select.add("CASE WHEN m.n" + k + " IS NULL THEN NULL ELSE " + (media.get(k).list()
                        ? "coalesce((SELECT list({'bytes': f.b, 'path': f.p} ORDER BY f.pos)" + of
                        + "), []::STRUCT(bytes BLOB, path VARCHAR)[])"
                        : "(SELECT {'bytes': f.b, 'path': f.p}" + of + ")")
                        + " END AS " + identifier(media.get(k).name()));
            }
            s.execute("COPY (SELECT " + String.join(", ", select) + " FROM (SELECT row_number() OVER () - 1 AS "
                    + ROW_INDEX + ", * FROM " + source + ") s JOIN described_rows m ON s." + ROW_INDEX + " = m."
                    + ROW_INDEX + " ORDER BY s." + ROW_INDEX + ") TO " + literal(target.toAbsolutePath().toString())
                    + " (FORMAT parquet, KV_METADATA {huggingface: " + literal(features) + "})");
        }
    }

    /**
     * A column of rows written by {@link #writeRows}: its name, and what it holds: {@code MEDIA} (an image's or
     * sound's {@code {bytes, path}}, given as a {@link MediaFile}), {@code VARCHAR}, {@code BIGINT}, {@code BLOB}, or
     * {@code JSON} (text parsed into DuckDB's type for {@code structure}, a {@code json_structure} as {@code
     * from_json} takes it).
     */
    public record RowColumn(String name, String kind, @Nullable String structure) {}

    /**
     * Writes {@code rows} (each a value per column, null for none) to one Parquet file at {@code target}, in order,
     * with {@code features} (datasets' JSON) in its metadata. Rows are inserted one at a time as {@code rows} gives
     * them.
     */
    public void writeRows(List<RowColumn> columns, String features, Iterator<List<@Nullable Object>> rows,
                          Path target) throws SQLException {
        try (Connection c = database.duplicate(); Statement s = c.createStatement()) {
            List<String> table = new ArrayList<>();
            List<String> select = new ArrayList<>();
            for (int k = 0; k < columns.size(); k++) {
                RowColumn column = columns.get(k);
                String as = " AS " + identifier(column.name());
                switch (column.kind()) {
                    case "MEDIA" -> {
                        table.add("b" + k + " BLOB, p" + k + " VARCHAR");
                        select.add("CASE WHEN p" + k + " IS NULL THEN NULL ELSE {'bytes': b" + k + ", 'path': p" + k
                                + "} END" + as);
                    }
                    case "JSON" -> {
                        table.add("c" + k + " VARCHAR");
                        select.add("from_json(c" + k + ", " + literal(column.structure()) + ")" + as);
                    }
                    default -> {
                        table.add("c" + k + " " + column.kind());
                        select.add("c" + k + as);
                    }
                }
            }
            s.execute("CREATE TEMP TABLE written_rows (" + ROW_INDEX + " BIGINT, " + String.join(", ", table) + ")");
            int parameters = 1 + columns.stream().mapToInt(col -> col.kind().equals("MEDIA") ? 2 : 1).sum();
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO written_rows VALUES ("
                    + String.join(", ", java.util.Collections.nCopies(parameters, "?")) + ")")) {
                for (long index = 0; rows.hasNext(); index++) {
                    List<@Nullable Object> row = rows.next();
                    int p = 1;
                    insert.setLong(p++, index);
                    for (int k = 0; k < columns.size(); k++) {
                        Object value = row.get(k);
                        if (columns.get(k).kind().equals("MEDIA")) {
                            MediaFile file = (MediaFile) value;
                            insert.setBytes(p++, file == null ? null : file.bytes());
                            insert.setString(p++, file == null ? null : file.path());
                        } else {
                            insert.setObject(p++, value);
                        }
                    }
                    insert.execute();
                }
            }
            s.execute("COPY (SELECT " + String.join(", ", select) + " FROM written_rows ORDER BY " + ROW_INDEX
                    + ") TO " + literal(target.toAbsolutePath().toString()) + " (FORMAT parquet, KV_METADATA "
                    + "{huggingface: " + literal(features) + "})");
        }
    }

    /** The files' columns, in order. */
    public List<Column> columns(Format format, List<Path> files) throws SQLException {
        try (Connection c = database.duplicate()) {
            return columns(c, source(format, files));
        }
    }

    /** Sees the rows of {@link #eachRow} one at a time. */
    public interface RowVisitor {
        /** Row {@code index}'s values (text, or a list of texts); false stops the scan. */
        boolean visit(long index, List<@Nullable Object> values) throws IOException, SQLException;
    }

    /**
     * Hands the values of columns {@code columns} (text, or lists of text) of each row, in file order, to {@code
     * visitor} as the scan reads them, until it says stop: nothing is held but the row at hand.
     */
    public void eachRow(Format format, List<Path> files, List<String> columns, RowVisitor visitor)
            throws SQLException, IOException {
        try (Connection c = database.duplicate(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + columns.stream().map(DuckTables::identifier)
                     .collect(Collectors.joining(", ")) + " FROM " + source(format, files))) {
            for (long index = 0; rs.next(); index++) {
                List<@Nullable Object> row = new ArrayList<>(columns.size());
                for (int i = 1; i <= columns.size(); i++) {
                    Object v = rs.getObject(i);
                    row.add(v instanceof Array array ? Arrays.stream((Object[]) array.getArray())
                            .map(item -> item == null ? null : item.toString()).toList() : v == null ? null
                            : v.toString());
                }
                if (!visitor.visit(index, row)) {
                    return;
                }
            }
        }
    }

    /** How often each value of a whole-number column occurs, most often first (ties by value); nulls left out. */
    public Map<Long, Long> valueCounts(Format format, List<Path> files, String column) throws SQLException {
        Map<Long, Long> counts = new LinkedHashMap<>();
        try (Connection c = database.duplicate(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + identifier(column) + ", count(*) AS n FROM "
                     + source(format, files) + " WHERE " + identifier(column) + " IS NOT NULL GROUP BY 1 "
                     + "ORDER BY n DESC, 1")) {
            while (rs.next()) {
                counts.put(rs.getLong(1), rs.getLong(2));
            }
        }
        return counts;
    }

    /** Up to {@code length} rows from {@code offset}, in file order. */
    public Page rows(Format format, List<Path> files, long offset, int length) throws SQLException {
        try (Connection c = database.duplicate(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + source(format, files) + " LIMIT " + length
                     + " OFFSET " + offset)) {
            return page(rs, offset);
        }
    }

    /** Per-column statistics of the files' rows; two scans of them. */
    public SplitStatistics.Result statistics(Format format, List<Path> files) throws SQLException {
        try (Connection c = database.duplicate()) {
            return SplitStatistics.compute(c, source(format, files));
        }
    }

    /**
     * The rows of a result, numbered from {@code firstIndex}; with a negative {@code firstIndex}, the result's first
     * column holds each row's index ({@link #ROW_INDEX}) and the table's columns follow it.
     */
    private static Page page(ResultSet rs, long firstIndex) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int first = firstIndex < 0 ? 2 : 1;
        List<Column> columns = new ArrayList<>();
        for (int i = first; i <= meta.getColumnCount(); i++) {
            columns.add(new Column(meta.getColumnName(i), meta.getColumnTypeName(i)));
        }
        List<List<@Nullable Object>> rows = new ArrayList<>();
        List<Long> indexes = new ArrayList<>();
        while (rs.next()) {
            List<@Nullable Object> row = new ArrayList<>(columns.size());
            for (int i = first; i <= meta.getColumnCount(); i++) {
                row.add(cell(rs.getObject(i)));
            }
            indexes.add(firstIndex < 0 ? rs.getLong(1) : firstIndex + rows.size());
            rows.add(row);
        }
        return new Page(columns, rows, indexes);
    }

    /**
     * Rows whose text columns contain {@code text} (any case), as {@link #rows} pages them, and how many match in all.
     * The text is bound as a parameter, never spliced into the SQL.
     */
    public Found search(Format format, List<Path> files, String text, long offset, int length) throws SQLException {
        String source = source(format, files);
        try (Connection c = database.duplicate()) {
            List<String> textColumns = new ArrayList<>();
            for (Column column : columns(c, source)) {
                if (column.type().equals("VARCHAR")) {
                    textColumns.add(identifier(column.name()));
                }
            }
            if (textColumns.isEmpty()) {
                return new Found(rows(format, files, 0, 0), 0);
            }
            String where = textColumns.stream().map(col -> col + " ILIKE ? ESCAPE '\\'")
                    .collect(Collectors.joining(" OR "));
            String pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            return matching(c, source, new RowFilter.Sql(where, java.util.Collections.nCopies(textColumns.size(),
                    pattern)), "", offset, length);
        }
    }

    /**
     * Rows that satisfy {@code where}, in the order of {@code orderBy} (file order when null), paged as {@link #rows}
     * pages them, and how many match in all; both parsed by {@link RowFilter} against the files' columns.
     *
     * @throws RowFilter.InvalidFilter when either does not parse or names another column
     */
    public Found filter(Format format, List<Path> files, String where, @Nullable String orderBy, long offset,
                        int length) throws SQLException {
        String source = source(format, files);
        try (Connection c = database.duplicate()) {
            java.util.Set<String> names = columns(c, source).stream().map(Column::name)
                    .collect(Collectors.toSet());
            RowFilter.Sql condition = RowFilter.where(where, names);
            String order = orderBy == null || orderBy.isBlank() ? "" : " ORDER BY " + RowFilter.orderBy(orderBy, names);
            return matching(c, source, condition, order, offset, length);
        }
    }

    /** The columns of {@code source}, a table expression over data files, in order. */
    static List<Column> columns(Connection c, String source) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM " + source)) {
            while (rs.next()) {
                columns.add(new Column(rs.getString("column_name"), rs.getString("column_type")));
            }
        }
        return columns;
    }

    private static Found matching(Connection c, String source, RowFilter.Sql where, String orderBy, long offset,
                                  int length) throws SQLException {
        long total;
        try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM " + source + " WHERE "
                + where.text())) {
            bind(count, where.params());
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        // Numbered before the condition, so each match keeps its index in the split, as the Hub's viewer gives it.
        // DuckDB streams row_number() over an empty window in scan order, and cannot push the condition below it.
        try (PreparedStatement page = c.prepareStatement("SELECT * FROM (SELECT row_number() OVER () - 1 AS "
                + ROW_INDEX + ", * FROM " + source + ") WHERE " + where.text() + orderBy + " LIMIT " + length
                + " OFFSET " + offset)) {
            bind(page, where.params());
            try (ResultSet rs = page.executeQuery()) {
                return new Found(page(rs, -1), total);
            }
        }
    }

    /** A page of matching rows, and how many rows match in all. */
    public record Found(Page page, long total) {}

    private static void bind(PreparedStatement statement, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            statement.setObject(i + 1, params.get(i));
        }
    }

    /** A column name as a quoted SQL identifier, whatever characters it holds. */
    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A table function over the files, which are read in the order given. */
    private static String source(Format format, List<Path> files) {
        String list = files.stream().map(p -> literal(p.toAbsolutePath().toString()))
                .collect(Collectors.joining(", ", "[", "]"));
        return switch (format) {
            case PARQUET -> "read_parquet(" + list + ", union_by_name = true)";
            case CSV -> "read_csv(" + list + ", union_by_name = true)";
            case TSV -> "read_csv(" + list + ", delim = '\\t', union_by_name = true)";
            case JSON -> "read_json(" + list + ", format = 'auto', union_by_name = true)";
            // Each line whole (a delimiter and no quotes no text holds), ended by \n or \r\n (this newline setting
            // takes both), an empty one as "" as datasets gives it.
            case TXT -> "(SELECT coalesce(\"text\", '') AS \"text\" FROM read_csv(" + list + ", header = false, "
                    + "columns = {'text': 'VARCHAR'}, delim = chr(31), quote = '', escape = '', new_line = '\\r\\n', "
                    + "strict_mode = false, max_line_size = 8388608, auto_detect = false))";
            case IMAGE, AUDIO, WEBDATASET -> throw new IllegalArgumentException("not a table DuckDB reads");
        };
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /**
     * An image or a sound in a cell of its own: the {@code {bytes, path}} struct the datasets library stores an
     * {@code Image} or {@code Audio} feature as, or bare bytes, that begin one of {@link MediaHeader}'s formats. Shown
     * by a URL to its bytes ({@link #mediaBytes}), not in the page or the JSON.
     */
    public record MediaCell(MediaHeader media) {}

    /**
     * A cell of a page: a {@link MediaCell}; a list whose items are each a {@link MediaCell} or a {@link #value} (a
     * {@code List(Image)} column, say several images of one conversation); or else its {@link #value}.
     */
    static @Nullable Object cell(@Nullable Object v) throws SQLException {
        if (v instanceof Array array) {
            List<@Nullable Object> items = new ArrayList<>();
            for (Object item : (Object[]) array.getArray()) {
                MediaCell media = media(item);
                items.add(media != null ? media : value(item));
            }
            return items;
        }
        MediaCell media = media(v);
        return media != null ? media : value(v);
    }

    /** The value as an image or sound, when it is one. */
    private static @Nullable MediaCell media(@Nullable Object v) throws SQLException {
        byte[] head = null;
        if (v instanceof DuckDBStruct struct) {
            Map<String, Object> fields = struct.getMap();
            if (fields.size() == 2 && fields.containsKey("bytes") && fields.containsKey("path")) {
                head = prefix(fields.get("bytes"));
            }
        } else {
            head = prefix(v);
        }
        if (head != null) {
            Optional<MediaHeader> media = MediaHeader.of(head);
            if (media.isPresent()) {
                return new MediaCell(media.get());
            }
        }
        return null;
    }

    private static byte @Nullable [] prefix(@Nullable Object bytes) throws SQLException {
        if (bytes instanceof byte[] all) {
            return all.length <= MediaHeader.PREFIX ? all : Arrays.copyOf(all, MediaHeader.PREFIX);
        }
        if (bytes instanceof java.sql.Blob blob) {
            return blob.getBytes(1, (int) Math.min(blob.length(), MediaHeader.PREFIX));
        }
        return null;
    }

    /**
     * The bytes of the image or sound in column {@code column} of row {@code row} (in file order), or in item {@code
     * item} of the list there, when that cell holds one (see {@link MediaCell}) of at most {@code maxBytes}.
     */
    public Optional<byte[]> mediaBytes(Format format, List<Path> files, long row, String column,
                                       @Nullable Integer item, long maxBytes) throws SQLException {
        try (Connection c = database.duplicate(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + identifier(column) + " FROM " + source(format, files)
                     + " LIMIT 1 OFFSET " + row)) {
            if (!rs.next()) {
                return Optional.empty();
            }
            Object v = rs.getObject(1);
            if (item != null) {
                Object[] items = v instanceof Array array ? (Object[]) array.getArray() : new Object[0];
                if (item < 0 || item >= items.length) {
                    return Optional.empty();
                }
                v = items[item];
            }
            Object bytes = v instanceof DuckDBStruct struct ? struct.getMap().get("bytes") : v;
            byte[] all = bytes instanceof byte[] b ? b : bytes instanceof java.sql.Blob blob
                    && blob.length() <= maxBytes ? blob.getBytes(1, (int) blob.length()) : null;
            if (all == null || all.length > maxBytes || media(v) == null) {
                return Optional.empty();
            }
            return Optional.of(all);
        }
    }

    /**
     * A value as JSON shows it: numbers, text and booleans as they are, lists and structs as arrays and objects, binary
     * data as its size, anything else (dates, times, UUIDs) as DuckDB prints it.
     */
    static @Nullable Object value(@Nullable Object v) throws SQLException {
        if (v == null || v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v;
        }
        if (v instanceof Array array) {
            List<@Nullable Object> out = new ArrayList<>();
            for (Object item : (Object[]) array.getArray()) {
                out.add(value(item));
            }
            return out;
        }
        if (v instanceof DuckDBStruct struct) {
            return object(struct.getMap());
        }
        if (v instanceof Map<?, ?> map) {
            return object(map);
        }
        if (v instanceof byte[] bytes) {
            return "<" + bytes.length + " bytes>";
        }
        if (v instanceof java.sql.Blob blob) {
            return "<" + blob.length() + " bytes>";
        }
        return v.toString();
    }

    private static Map<String, @Nullable Object> object(Map<?, ?> map) throws SQLException {
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.put(String.valueOf(e.getKey()), value(e.getValue()));
        }
        return out;
    }

    @Override
    public void close() throws SQLException {
        database.close();
    }
}
