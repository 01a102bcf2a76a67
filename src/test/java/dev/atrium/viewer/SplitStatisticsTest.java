package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.viewer.DataFiles.Format;
import dev.atrium.viewer.SplitStatistics.Column;
import dev.atrium.viewer.SplitStatistics.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitStatisticsTest {
    @TempDir
    Path dir;

    /** 20 rows: i = 0..19; f = i / 2, missing where i = 5; two labels; 20 distinct texts of length i + 1; ... */
    private Path jsonLines() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            lines.append("{\"i\": ").append(i)
                    .append(", \"f\": ").append(i == 5 ? "null" : String.valueOf(i / 2.0))
                    .append(", \"label\": \"").append(i % 2 == 0 ? "even" : "odd").append('"')
                    .append(", \"text\": \"").append("x".repeat(i + 1)).append('"')
                    .append(", \"flag\": ").append(i % 3 == 0)
                    .append(", \"tokens\": ").append(List.of(1, 2, 3).subList(0, i % 4))
                    .append(", \"meta\": {\"n\": ").append(i).append("}}\n");
        }
        return Files.writeString(dir.resolve("s.jsonl"), lines);
    }

    @Test
    void everyKind_fromTheValuesThemselves() throws Exception {
        SplitStatistics.Result result;
        try (DuckTables tables = new DuckTables(dir)) {
            result = tables.statistics(Format.JSON, List.of(jsonLines()));
        }
        assertEquals(20, result.numExamples());
        Map<String, Column> byName = result.columns().stream()
                .collect(Collectors.toMap(Column::name, Function.identity()));
        assertFalse(byName.containsKey("meta"), "structs are left out");

        Column i = byName.get("i");
        assertEquals(Kind.INT, i.kind());
        assertEquals(0, i.nanCount());
        assertEquals(0L, i.numbers().min().longValue());
        assertEquals(19L, i.numbers().max().longValue());
        assertEquals(9.5, i.numbers().mean());
        assertEquals(9.5, i.numbers().median());
        assertEquals(SplitStatistics.round(Math.sqrt(35)), i.numbers().std(), "sample deviation of 0..19");
        assertEquals(List.of(0L, 2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L, 19L),
                i.numbers().binEdges().stream().map(Number::longValue).toList(), "whole bins of width 2");
        assertEquals(List.of(2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L), i.numbers().hist());

        Column f = byName.get("f");
        assertEquals(Kind.FLOAT, f.kind());
        assertEquals(1, f.nanCount());
        assertEquals(0.05, f.nanProportion());
        assertEquals(0.0, f.numbers().min().doubleValue());
        assertEquals(9.5, f.numbers().max().doubleValue());
        assertEquals(11, f.numbers().binEdges().size());
        assertEquals(0.95, f.numbers().binEdges().get(1).doubleValue());
        assertEquals(19, f.numbers().hist().stream().mapToLong(Long::longValue).sum(), "every present value once");
        assertEquals(2, f.numbers().hist().get(9), "9.0 and 9.5: the last bin holds the maximum");
        assertEquals(1, f.numbers().hist().get(2), "[1.9, 2.85) holds 2.0 alone: 2.5 (i = 5) is missing");

        Column label = byName.get("label");
        assertEquals(Kind.STRING_LABEL, label.kind());
        assertEquals(Map.of("even", 10L, "odd", 10L), label.frequencies());

        Column text = byName.get("text");
        assertEquals(Kind.STRING_TEXT, text.kind(), "20 distinct texts in 20 rows are not labels");
        assertEquals(1L, text.numbers().min().longValue());
        assertEquals(20L, text.numbers().max().longValue());
        assertEquals(List.of(2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L, 2L), text.numbers().hist());

        Column flag = byName.get("flag");
        assertEquals(Kind.BOOL, flag.kind());
        assertEquals(List.of("False", "True"), List.copyOf(flag.frequencies().keySet()));
        assertEquals(Map.of("False", 13L, "True", 7L), flag.frequencies());

        Column tokens = byName.get("tokens");
        assertEquals(Kind.LIST, tokens.kind());
        assertEquals(0L, tokens.numbers().min().longValue());
        assertEquals(3L, tokens.numbers().max().longValue());
        assertEquals(List.of(0L, 1L, 2L, 3L, 3L), tokens.numbers().binEdges().stream().map(Number::longValue).toList(),
                "a narrow whole range has fewer bins");
        assertEquals(List.of(5L, 5L, 5L, 5L), tokens.numbers().hist());
    }

    @Test
    void columnsWithNothingPresent_haveNoNumbers_andOneValueHasOneBin() throws Exception {
        Path parquet = dir.resolve("n.parquet");
        try (var c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT CAST(NULL AS DOUBLE) AS nothing, 7 AS same, CAST(NULL AS VARCHAR) AS empty, "
                    + "CAST('NaN' AS DOUBLE) AS nan FROM range(4)) TO '" + parquet + "' (FORMAT parquet)");
        }
        SplitStatistics.Result result;
        try (DuckTables tables = new DuckTables(dir)) {
            result = tables.statistics(Format.PARQUET, List.of(parquet));
        }
        Map<String, Column> byName = result.columns().stream()
                .collect(Collectors.toMap(Column::name, Function.identity()));
        assertNull(byName.get("nothing").numbers());
        assertEquals(1.0, byName.get("nothing").nanProportion());
        assertEquals(List.of(7L, 7L), byName.get("same").numbers().binEdges().stream().map(Number::longValue).toList());
        assertEquals(List.of(4L), byName.get("same").numbers().hist());
        assertEquals(Kind.STRING_LABEL, byName.get("empty").kind());
        assertTrue(byName.get("empty").frequencies().isEmpty());
        assertEquals(4, byName.get("nan").nanCount(), "NaN counts as missing");
    }

    @Test
    void labels_fewDistinctValues_orAFifthOfTheRowsUpToAThousand() {
        assertTrue(SplitStatistics.isLabel(10, 10));
        assertFalse(SplitStatistics.isLabel(11, 20));
        assertTrue(SplitStatistics.isLabel(200, 1000));
        assertFalse(SplitStatistics.isLabel(201, 1000));
        assertFalse(SplitStatistics.isLabel(1001, 1_000_000));
    }
}
