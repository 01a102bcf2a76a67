package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowFilterTest {
    private static final Set<String> COLUMNS = Set.of("id", "text", "score", "flag", "we\"ird name");

    @Test
    void where_comparisonsOfColumnsAndValues_becomeSqlWithBoundValues() {
        RowFilter.Sql sql = RowFilter.where("\"id\" > 5 and text LIKE 'row 1%' OR score <= -0.5", COLUMNS);
        assertEquals("\"id\" > ? AND \"text\" LIKE ? OR \"score\" <= ?", sql.text());
        assertEquals(List.of(5L, "row 1%", new BigDecimal("-0.5")), sql.params());

        sql = RowFilter.where("NOT (text = 'it''s' OR flag IS NOT NULL) AND id NOT IN (1, 2) AND score BETWEEN 1e3 "
                + "AND 2 AND flag = true AND \"we\"\"ird name\" != 'x' AND id == score", COLUMNS);
        assertEquals("NOT ((\"text\" = ? OR \"flag\" IS NOT NULL)) AND \"id\" NOT IN (?, ?) AND \"score\" BETWEEN ? "
                + "AND ? AND \"flag\" = ? AND \"we\"\"ird name\" <> ? AND \"id\" = \"score\"", sql.text());
        assertEquals(List.of("it's", 1L, 2L, 1000.0, 2L, true, "x"), sql.params());
    }

    @Test
    void where_anythingButTheGrammar_refused() {
        for (String where : List.of("id = 1; DROP TABLE t", "id = 1 -- comment", "id = 1 /* c */",
                "read_csv('/etc/passwd') = 1", "id = (SELECT 1)", "id = other", "id = 'open", "id", "id = ",
                "id = 1 id = 2", "id IS 1", "id NOT = 1", "length(text) > 3", "id = 1 UNION SELECT 1",
                "\"id\" = $1", "(((((((((((((((((((((((((((((((((((id = 1)))))))))))))))))))))))))))))))))))",
                "text LIKE text", "id = 1.2.3", "")) {
            RowFilter.InvalidFilter e = assertThrows(RowFilter.InvalidFilter.class, () -> RowFilter.where(where, COLUMNS),
                    where);
            assertEquals(422, e.status());
            assertTrue(e.getMessage().startsWith("Parameter 'where'"), e.getMessage());
        }
        assertEquals("Parameter 'where': the split has no column 'other'",
                assertThrows(RowFilter.InvalidFilter.class, () -> RowFilter.where("other = 1", COLUMNS)).getMessage());
        assertEquals("Parameter 'where' is invalid: expected a comparison, found '1' at character 4",
                assertThrows(RowFilter.InvalidFilter.class, () -> RowFilter.where("id 1", COLUMNS)).getMessage());
        assertThrows(RowFilter.InvalidFilter.class, () -> RowFilter.where("id = 1 OR ".repeat(500) + "id = 1", COLUMNS),
                "longer than the limit");
    }

    @Test
    void orderBy_columnsWithDirections() {
        assertEquals("\"id\" DESC, \"text\", \"score\" ASC", RowFilter.orderBy("\"id\" desc, text, score ASC", COLUMNS));
        for (String orderBy : List.of("id; DROP TABLE t", "other", "id DESC DESC", "random()", "1", "id,")) {
            assertThrows(RowFilter.InvalidFilter.class, () -> RowFilter.orderBy(orderBy, COLUMNS), orderBy);
        }
    }
}
