package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.viewer.DataFiles.Format;
import dev.atrium.viewer.DuckTables.Column;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckTablesTest {
    @TempDir
    Path dir;

    @Test
    void csvAndJsonLines_readInFileOrder_withTypes_andPages() throws Exception {
        Path a = Files.writeString(dir.resolve("a.csv"), "id,text\n1,hello\n2,\"with, comma\"\n");
        Path b = Files.writeString(dir.resolve("b.csv"), "id,text\n3,third\n");
        Path j = Files.writeString(dir.resolve("c.jsonl"),
                "{\"q\": \"why?\", \"tags\": [\"a\", \"b\"], \"meta\": {\"n\": 1}}\n{\"q\": null, \"tags\": [], \"meta\": {\"n\": 2}}\n");
        try (DuckTables tables = new DuckTables(dir)) {
            assertEquals(3, tables.count(Format.CSV, List.of(a, b)));
            DuckTables.Page page = tables.rows(Format.CSV, List.of(a, b), 1, 5);
            assertEquals(List.of(new Column("id", "BIGINT"), new Column("text", "VARCHAR")), page.columns());
            assertEquals(List.of(Arrays.asList(2L, "with, comma"), Arrays.asList(3L, "third")), page.rows());
            DuckTables.Page json = tables.rows(Format.JSON, List.of(j), 0, 10);
            assertEquals(List.of("q", "tags", "meta"), json.columns().stream().map(Column::name).toList());
            assertEquals(Arrays.asList("why?", List.of("a", "b"), Map.of("n", 1L)), json.rows().get(0));
            assertEquals(Arrays.asList(null, List.of(), Map.of("n", 2L)), json.rows().get(1));
        }
    }

    @Test
    void parquet_isRead_andTsvToo() throws Exception {
        Path parquet = dir.resolve("t.parquet");
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT i AS n, 'row ' || i AS label, i % 2 = 0 AS even FROM range(250) t(i)) TO '"
                    + parquet + "' (FORMAT parquet)");
        }
        Path tsv = Files.writeString(dir.resolve("t.tsv"), "a\tb\nx\t1.5\n");
        try (DuckTables tables = new DuckTables(dir)) {
            assertEquals(250, tables.count(Format.PARQUET, List.of(parquet)));
            DuckTables.Page page = tables.rows(Format.PARQUET, List.of(parquet), 200, 100);
            assertEquals(50, page.rows().size());
            assertEquals(Arrays.asList(201L, "row 201", false), page.rows().get(1));
            assertEquals(List.of(Arrays.asList("x", 1.5)), tables.rows(Format.TSV, List.of(tsv), 0, 10).rows());
        }
    }

    @Test
    void images_inTheDatasetsStructOrAsBareBytes_areCellsOfTheirOwn_servedByRow() throws Exception {
        byte[] png = TestImages.encoded("png", 12, 7, 0);
        byte[] jpeg = TestImages.encoded("jpg", 12, 7, 0);
        Path parquet = dir.resolve("images.parquet");
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (image STRUCT(bytes BLOB, path VARCHAR), raw BLOB, label VARCHAR)");
            try (var insert = c.prepareStatement("INSERT INTO t VALUES ({'bytes': ?, 'path': ?}, ?, ?)")) {
                Object[][] rows = {{png, "a.png", jpeg, "both"},
                        {"not an image".getBytes(StandardCharsets.UTF_8), "b.txt", new byte[] {1, 2}, "neither"}};
                for (Object[] row : rows) {
                    insert.setBytes(1, (byte[]) row[0]);
                    insert.setString(2, (String) row[1]);
                    insert.setBytes(3, (byte[]) row[2]);
                    insert.setString(4, (String) row[3]);
                    insert.execute();
                }
            }
            s.execute("COPY t TO '" + parquet + "' (FORMAT parquet)");
        }
        try (DuckTables tables = new DuckTables(dir)) {
            List<List<Object>> rows = tables.rows(Format.PARQUET, List.of(parquet), 0, 10).rows();
            assertEquals(new DuckTables.MediaCell(new MediaHeader("image/png", 12, 7)), rows.get(0).get(0));
            assertEquals(new DuckTables.MediaCell(new MediaHeader("image/jpeg", 12, 7)), rows.get(0).get(1));
            assertEquals(Map.of("bytes", "<12 bytes>", "path", "b.txt"), rows.get(1).get(0), "no image: as before");
            assertEquals("<2 bytes>", rows.get(1).get(1));

            List<Path> files = List.of(parquet);
            assertArrayEquals(png, tables.mediaBytes(Format.PARQUET, files, 0, "image", null, 1 << 20).orElseThrow());
            assertArrayEquals(jpeg, tables.mediaBytes(Format.PARQUET, files, 0, "raw", null, 1 << 20).orElseThrow());
            assertEquals(Optional.empty(), tables.mediaBytes(Format.PARQUET, files, 1, "image", null, 1 << 20));
            assertEquals(Optional.empty(), tables.mediaBytes(Format.PARQUET, files, 0, "label", null, 1 << 20));
            assertEquals(Optional.empty(), tables.mediaBytes(Format.PARQUET, files, 2, "image", null, 1 << 20),
                    "past the last row");
            assertEquals(Optional.empty(), tables.mediaBytes(Format.PARQUET, files, 0, "image", 0, 1 << 20),
                    "not a list");
            assertEquals(Optional.empty(), tables.mediaBytes(Format.PARQUET, List.of(parquet), 0, "image", null, 10),
                    "over the size allowed");
            assertThrows(java.sql.SQLException.class,
                    () -> tables.mediaBytes(Format.PARQUET, List.of(parquet), 0, "nope\" OR 1", null, 1 << 20));
        }
    }

    @Test
    void listsOfImages_areListsOfCells_servedByRowAndItem() throws Exception {
        byte[] png = TestImages.encoded("png", 3, 2, 0);
        byte[] jpeg = TestImages.encoded("jpg", 5, 4, 0);
        Path parquet = dir.resolve("lists.parquet");
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (images STRUCT(bytes BLOB, path VARCHAR)[], words VARCHAR[])");
            try (var insert = c.prepareStatement("INSERT INTO t VALUES ([{'bytes': ?, 'path': 'a.png'}, "
                    + "{'bytes': ?, 'path': 'b.txt'}, {'bytes': ?, 'path': 'c.jpg'}], ['x', 'y'])")) {
                insert.setBytes(1, png);
                insert.setBytes(2, "text".getBytes(StandardCharsets.UTF_8));
                insert.setBytes(3, jpeg);
                insert.execute();
            }
            s.execute("COPY t TO '" + parquet + "' (FORMAT parquet)");
        }
        try (DuckTables tables = new DuckTables(dir)) {
            List<Object> row = tables.rows(Format.PARQUET, List.of(parquet), 0, 10).rows().get(0);
            assertEquals(List.of(new DuckTables.MediaCell(new MediaHeader("image/png", 3, 2)),
                    Map.of("bytes", "<4 bytes>", "path", "b.txt"),
                    new DuckTables.MediaCell(new MediaHeader("image/jpeg", 5, 4))), row.get(0));
            assertEquals(List.of("x", "y"), row.get(1), "a list of words stays one");

            List<Path> files = List.of(parquet);
            assertArrayEquals(jpeg, tables.mediaBytes(Format.PARQUET, files, 0, "images", 2, 1 << 20).orElseThrow());
            assertEquals(Optional.empty(), tables.mediaBytes(Format.PARQUET, files, 0, "images", 1, 1 << 20),
                    "an item that is no image");
            assertEquals(Optional.empty(), tables.mediaBytes(Format.PARQUET, files, 0, "images", 3, 1 << 20),
                    "past the last item");
            assertEquals(Optional.empty(), tables.mediaBytes(Format.PARQUET, files, 0, "images", null, 1 << 20),
                    "the list itself is no image");
        }
    }

    @Test
    void text_isALineARow_inATextColumn_asTheDatasetsTextBuilderReadsIt() throws Exception {
        // Commas, quotes, tabs and backslashes are text like any other; an empty line is an empty row.
        Path txt = Files.writeString(dir.resolve("corpus.txt"), "first, line\n\n\"quoted\" \\ and\ttab\r\nlast");
        try (DuckTables tables = new DuckTables(dir)) {
            DuckTables.Page page = tables.rows(Format.TXT, List.of(txt), 0, 10);
            assertEquals(List.of(new DuckTables.Column("text", "VARCHAR")), page.columns());
            assertEquals(List.of(List.of("first, line"), List.of(""), List.of("\"quoted\" \\ and\ttab"), List.of("last")),
                    page.rows());
            assertEquals(4, tables.count(Format.TXT, List.of(txt)));
            assertEquals(List.of(2L), tables.search(Format.TXT, List.of(txt), "QUOTED", 0, 10).page().indexes());
            Path longLine = Files.writeString(dir.resolve("long.txt"), "y".repeat(3_000_000) + "\nshort\n");
            assertEquals(List.of(3_000_000, 5), tables.rows(Format.TXT, List.of(longLine), 0, 10).rows().stream()
                    .map(r -> ((String) r.get(0)).length()).toList(), "a line longer than DuckDB's default limit");
        }
    }

    @Test
    void writeRows_writesEachKindOfColumn_nullsKept_withTheFeatures() throws Exception {
        Path target = dir.resolve("rows.parquet");
        try (DuckTables tables = new DuckTables(dir)) {
            tables.writeRows(List.of(new DuckTables.RowColumn("img", "MEDIA", null),
                            new DuckTables.RowColumn("txt", "VARCHAR", null), new DuckTables.RowColumn("cls", "BIGINT", null),
                            new DuckTables.RowColumn("raw", "BLOB", null),
                            new DuckTables.RowColumn("json", "JSON", "{\"n\": \"BIGINT\", \"tags\": [\"VARCHAR\"]}")),
                    "{\"info\": {}}", List.<List<Object>>of(
                            List.of(new DuckTables.MediaFile(new byte[] {1, 2}, "k.png"), "a", 3L, new byte[] {9},
                                    "{\"n\": 1, \"tags\": [\"x\", \"y\"]}"),
                            java.util.Arrays.asList(null, null, null, null, null)).iterator(), target);
        }
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT img.path, octet_length(img.bytes), txt, cls, octet_length(raw), json.n, "
                     + "json.tags[2], img IS NULL FROM read_parquet('" + target + "')")) {
            assertTrue(rs.next());
            assertEquals(List.of("k.png", 2L, "a", 3L, 1L, 1L, "y", false), List.of(rs.getString(1), rs.getLong(2),
                    rs.getString(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getBoolean(8)));
            assertTrue(rs.next());
            assertTrue(rs.getBoolean(8), "a row without the member has none");
            assertEquals(null, rs.getObject(3));
        }
    }

    @Test
    void valueCounts_mostFrequentFirst_withoutNulls() throws Exception {
        Path csv = Files.writeString(dir.resolve("labels.csv"), "label\n2\n0\n2\n\n-1\n0\n2\n");
        try (DuckTables tables = new DuckTables(dir)) {
            assertEquals(List.of(Map.entry(2L, 3L), Map.entry(0L, 2L), Map.entry(-1L, 1L)),
                    List.copyOf(tables.valueCounts(Format.CSV, List.of(csv), "label").entrySet()));
        }
    }

    @Test
    void huggingfaceMetadata_isWhatTheParquetFileKeeps() throws Exception {
        Path with = dir.resolve("with.parquet");
        Path without = dir.resolve("without.parquet");
        String json = "{\"info\": {\"features\": {\"label\": {\"names\": [\"neg\", \"pos\"], "
                + "\"_type\": \"ClassLabel\"}}}}";
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT 1 AS label) TO '" + with + "' (FORMAT parquet, KV_METADATA {huggingface: '"
                    + json.replace("'", "''") + "', other: 'x'})");
            s.execute("COPY (SELECT 1 AS label) TO '" + without + "' (FORMAT parquet)");
        }
        try (DuckTables tables = new DuckTables(dir)) {
            assertEquals(Optional.of(json), tables.huggingfaceMetadata(with));
            assertEquals(Optional.empty(), tables.huggingfaceMetadata(without));
        }
    }

    @Test
    void search_findsTextInAnyTextColumn_anyCase_withWildcardsTakenLiterally() throws Exception {
        Path csv = Files.writeString(dir.resolve("s.csv"), "id,title,body\n1,Alpha,first row\n2,beta,100% sure\n"
                + "3,gamma,snake_case here\n4,ALPHABET,nothing\n5,delta,snakeXcase\n");
        try (DuckTables tables = new DuckTables(dir)) {
            DuckTables.Found alpha = tables.search(Format.CSV, List.of(csv), "alpha", 0, 10);
            assertEquals(2, alpha.total());
            assertEquals(List.of(1L, 4L), alpha.page().rows().stream().map(r -> r.get(0)).toList());
            assertEquals(List.of(0L, 3L), alpha.page().indexes(), "each match with its index in the file");
            assertEquals(List.of(2L), tables.search(Format.CSV, List.of(csv), "100%", 0, 10).page().rows().stream()
                    .map(r -> r.get(0)).toList());
            assertEquals(List.of(3L), tables.search(Format.CSV, List.of(csv), "snake_case", 0, 10).page().rows()
                    .stream().map(r -> r.get(0)).toList(), "_ is not a wildcard");
            assertEquals(1, tables.search(Format.CSV, List.of(csv), "%", 0, 10).total(), "a literal percent sign");
            assertEquals(0, tables.search(Format.CSV, List.of(csv), "' OR 1=1 --", 0, 10).total());
            DuckTables.Found paged = tables.search(Format.CSV, List.of(csv), "A", 1, 2);
            assertEquals(5, paged.total());
            assertEquals(List.of(2L, 3L), paged.page().rows().stream().map(r -> r.get(0)).toList());
        }
        Path numbers = Files.writeString(dir.resolve("n.csv"), "a,b\n1,2\n");
        try (DuckTables tables = new DuckTables(dir)) {
            DuckTables.Found none = tables.search(Format.CSV, List.of(numbers), "1", 0, 10);
            assertEquals(0, none.total(), "no text column, nothing to search");
            assertEquals(List.of(new Column("a", "BIGINT"), new Column("b", "BIGINT")), none.page().columns());
        }
    }

    @Test
    void filesOutsideTheFolder_cannotBeRead() throws Exception {
        Path inside = Files.createDirectories(dir.resolve("cache"));
        Path outside = Files.writeString(dir.resolve("secret.csv"), "password\nhunter2\n");
        try (DuckTables tables = new DuckTables(inside)) {
            assertThrows(SQLException.class, () -> tables.rows(Format.CSV, List.of(outside), 0, 10));
            assertThrows(SQLException.class, () -> tables.count(Format.CSV, List.of(Path.of("/etc/passwd"))));
        }
    }

    @Test
    void filter_conditionAndOrder_overTheFilesColumns_withCount() throws Exception {
        Path csv = Files.writeString(dir.resolve("f.csv"), "id,text,score\n1,Alpha,0.5\n2,beta,1.5\n3,gamma,2.5\n"
                + "4,delta,3.5\n");
        try (DuckTables tables = new DuckTables(dir)) {
            DuckTables.Found found = tables.filter(Format.CSV, List.of(csv), "score > 1 AND text <> 'gamma'", "id DESC",
                    0, 1);
            assertEquals(2, found.total());
            assertEquals(List.of(Arrays.asList(4L, "delta", 3.5)), found.page().rows());
            assertEquals(List.of(3L), found.page().indexes(), "a match keeps its index in the file");
            DuckTables.Page matches = tables.filter(Format.CSV, List.of(csv), "text ILIKE '%a' AND id IN (1, 3, 9)",
                    null, 0, 10).page();
            assertEquals(List.of(1L, 3L), matches.rows().stream().map(r -> r.get(0)).toList());
            assertEquals(List.of(0L, 2L), matches.indexes());
            assertEquals(List.of(2L, 3L), tables.filter(Format.CSV, List.of(csv), "text ILIKE '%a'", null, 2, 10)
                    .page().indexes(), "a later page of matches keeps their own indexes: gamma and delta");
            assertThrows(RowFilter.InvalidFilter.class,
                    () -> tables.filter(Format.CSV, List.of(csv), "nope = 1", null, 0, 10));
            assertThrows(SQLException.class, () -> tables.filter(Format.CSV, List.of(csv), "text > 5", null, 0, 10),
                    "a comparison DuckDB's types refuse");
        }
    }
}
