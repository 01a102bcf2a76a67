package dev.atrium.viewer;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Per-column statistics of a split, as the public dataset viewer's {@code /statistics} describes its columns: counts
 * of missing values, and either numbers with a 10-bin histogram (numbers themselves; the lengths of texts and lists)
 * or the frequencies of a text column with few distinct values, or of a boolean one. Two scans of the split, whatever
 * its width: one for counts, extremes, means, medians and deviations; one for the histograms and frequencies.
 * Columns of other types (dates, structs, binary data) are left out, as the public viewer leaves out what it does not
 * describe.
 */
public final class SplitStatistics {
    /** The public viewer's column types that Atrium computes. */
    public enum Kind {
        INT("int"), FLOAT("float"), BOOL("bool"), STRING_LABEL("string_label"), STRING_TEXT("string_text"),
        LIST("list"), CLASS_LABEL("class_label");

        private final String wireName;

        Kind(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }
    }

    /**
     * Numbers (for texts and lists, their lengths): {@code min} and {@code max} are whole for whole numbers; the rest
     * rounded to 5 decimals, as the public viewer rounds. Null when every value is missing.
     */
    public record Numbers(Number min, Number max, double mean, double median, double std, List<Number> binEdges,
                          List<Long> hist) {}

    /** One column: {@code numbers} or {@code frequencies}, by kind. */
    public record Column(String name, Kind kind, long nanCount, double nanProportion, @Nullable Numbers numbers,
                         @Nullable Map<String, Long> frequencies) {}

    public record Result(long numExamples, List<Column> columns) {}

    /** Histograms have this many bins, or fewer for whole numbers of a narrow range. */
    static final int BINS = 10;
    /** A text column is a label column with at most this many distinct values... */
    static final int MAX_LABELS = 1000;
    /** ...that are at most this share of its rows, or with at most {@link #BINS} distinct values whatever its size. */
    static final double MAX_LABEL_SHARE = 0.2;

    private static final Set<String> WHOLE = Set.of("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT",
            "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT");

    private SplitStatistics() {}

    /** What a column's values are measured as, and by which expression of the column. */
    private enum Measure { WHOLE, REAL, BOOL, TEXT, LIST }

    private record Target(String name, Measure measure, String quoted) {
        /** The numbers the first scan measures: the values, or the lengths of texts and lists. */
        String numbers() {
            return switch (measure) {
                case WHOLE -> quoted;
                case REAL -> "CASE WHEN isfinite(" + quoted + ") THEN CAST(" + quoted + " AS DOUBLE) END";
                case TEXT -> "length(" + quoted + ")";
                case LIST -> "len(" + quoted + ")";
                case BOOL -> throw new IllegalStateException("booleans are counted, not measured");
            };
        }

        /** Whether those numbers are whole (binned by whole steps, extremes shown whole). */
        boolean wholeNumbers() {
            return measure != Measure.REAL;
        }
    }

    /** What the first scan found for a column. */
    private sealed interface Finding permits Moments, Truths {}

    /** For a column measured by numbers: {@code distinct} is approximate, and counted for texts only. */
    private record Moments(long present, @Nullable Number min, @Nullable Number max, double mean, double median,
                           double std, long distinct) implements Finding {}

    /** For a boolean column. */
    private record Truths(long present, long trues, long falses) implements Finding {}

    /** {@code source} is a table expression over the split's files, such as {@code read_parquet([...])}. */
    static Result compute(Connection db, String source) throws SQLException {
        List<Target> targets = new ArrayList<>();
        for (DuckTables.Column column : DuckTables.columns(db, source)) {
            Measure measure = measure(column.type());
            if (measure != null) {
                targets.add(new Target(column.name(), measure, DuckTables.identifier(column.name())));
            }
        }
        // First scan: per column, how many values are present, then its moments or its two boolean counts.
        StringBuilder first = new StringBuilder("SELECT count(*)");
        for (Target t : targets) {
            if (t.measure() == Measure.BOOL) {
                first.append(", count(").append(t.quoted()).append("), count_if(").append(t.quoted())
                        .append("), count_if(NOT ").append(t.quoted()).append(")");
            } else {
                String v = t.numbers();
                first.append(", count(").append(v).append("), min(").append(v).append("), max(").append(v)
                        .append("), avg(").append(v).append("), median(").append(v).append("), stddev_samp(")
                        .append(v).append("), ")
                        .append(t.measure() == Measure.TEXT ? "approx_count_distinct(" + t.quoted() + ")" : "0");
            }
        }
        long rows;
        List<Finding> found = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery(first + " FROM " + source)) {
            rs.next();
            rows = rs.getLong(1);
            int at = 2;
            for (Target t : targets) {
                if (t.measure() == Measure.BOOL) {
                    found.add(new Truths(rs.getLong(at), rs.getLong(at + 1), rs.getLong(at + 2)));
                    at += 3;
                } else {
                    found.add(new Moments(rs.getLong(at), (Number) rs.getObject(at + 1),
                            (Number) rs.getObject(at + 2), rs.getDouble(at + 3), rs.getDouble(at + 4), rs.getDouble(at + 5), rs.getLong(at + 6)));
                    at += 7;
                }
            }
        }
        // Second scan: the bin of every measured value, and the value counts of label columns.
        List<String> second = new ArrayList<>();
        List<@Nullable Bins> bins = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            Bins b = null;
            if (found.get(i) instanceof Moments m && m.present() > 0) {
                if (t.measure() == Measure.TEXT && isLabel(m.distinct(), rows)) {
                    second.add("histogram(" + t.quoted() + ")");
                } else {
                    b = Bins.of(m.min().doubleValue(), m.max().doubleValue(), t.wholeNumbers());
                    second.add("histogram(" + b.binOf(t.numbers()) + ")");
                }
            }
            bins.add(b);
        }
        List<@Nullable Map<?, ?>> counted = new ArrayList<>();
        if (!second.isEmpty()) {
            try (Statement s = db.createStatement();
                 ResultSet rs = s.executeQuery("SELECT " + String.join(", ", second) + " FROM " + source)) {
                rs.next();
                for (int i = 1; i <= second.size(); i++) {
                    counted.add((Map<?, ?>) rs.getObject(i));
                }
            }
        }
        List<Column> columns = new ArrayList<>();
        int next = 0;
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            if (found.get(i) instanceof Truths truths) {
                Map<String, Long> frequencies = new TreeMap<>(); // "False" before "True", as the public viewer sorts
                if (truths.falses() > 0) {
                    frequencies.put("False", truths.falses());
                }
                if (truths.trues() > 0) {
                    frequencies.put("True", truths.trues());
                }
                long missing = rows - truths.present();
                columns.add(new Column(t.name(), Kind.BOOL, missing, share(missing, rows), null, frequencies));
                continue;
            }
            Moments m = (Moments) found.get(i);
            long missing = rows - m.present();
            Map<?, ?> counts = m.present() > 0 ? counted.get(next++) : null;
            Bins b = bins.get(i);
            if (t.measure() == Measure.TEXT && (m.present() == 0 ? isLabel(0, rows) : b == null)) {
                columns.add(new Column(t.name(), Kind.STRING_LABEL, missing, share(missing, rows), null,
                        frequencies(counts)));
                continue;
            }
            Kind kind = switch (t.measure()) {
                case WHOLE -> Kind.INT;
                case REAL -> Kind.FLOAT;
                case TEXT -> Kind.STRING_TEXT;
                default -> Kind.LIST;
            };
            Numbers numbers = b == null ? null : new Numbers(
                    t.wholeNumbers() ? m.min() : round(m.min().doubleValue()),
                    t.wholeNumbers() ? m.max() : round(m.max().doubleValue()),
                    round(m.mean()), round(m.median()), m.present() > 1 ? round(m.std()) : 0.0,
                    b.edges(), b.hist(counts));
            columns.add(new Column(t.name(), kind, missing, share(missing, rows), numbers, null));
        }
        return new Result(rows, columns);
    }

    private static @Nullable Measure measure(String duckType) {
        if (WHOLE.contains(duckType)) {
            return Measure.WHOLE;
        }
        if (duckType.equals("FLOAT") || duckType.equals("DOUBLE") || duckType.startsWith("DECIMAL")) {
            return Measure.REAL;
        }
        if (duckType.equals("BOOLEAN")) {
            return Measure.BOOL;
        }
        if (duckType.equals("VARCHAR")) {
            return Measure.TEXT;
        }
        return duckType.endsWith("]") ? Measure.LIST : null;
    }

    /**
     * Whether a text column is a label column, by how many distinct values it has among how many rows. The count is
     * DuckDB's approximate one: an exact count would hold every distinct text of the split in memory.
     */
    static boolean isLabel(long distinct, long rows) {
        return distinct <= BINS || (distinct <= MAX_LABELS && distinct <= MAX_LABEL_SHARE * rows);
    }

    private static Map<String, Long> frequencies(@Nullable Map<?, ?> counts) {
        List<Map.Entry<?, ?>> entries = new ArrayList<>(counts == null ? Map.of().entrySet() : counts.entrySet());
        entries.sort((a, b) -> Long.compare(((Number) b.getValue()).longValue(), ((Number) a.getValue()).longValue()));
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : entries) {
            out.put(String.valueOf(e.getKey()), ((Number) e.getValue()).longValue());
        }
        return out;
    }

    private static double share(long part, long whole) {
        return part == 0 ? 0.0 : round((double) part / whole);
    }

    static double round(double value) {
        return BigDecimal.valueOf(value).setScale(5, RoundingMode.HALF_EVEN).doubleValue();
    }

    /**
     * Histogram bins from {@code min} to {@code max}: ten equal ones for real numbers (one when all are equal); for
     * whole numbers, bins of a whole width, {@code ceil((max - min + 1) / 10)}, so that fewer than ten result when the
     * range is narrow. Each bin holds its lower edge and not its upper one, except the last, which holds {@code max}.
     */
    record Bins(double min, double max, double width, int count, boolean whole) {
        static Bins of(double min, double max, boolean whole) {
            if (whole) {
                double width = Math.ceil((max - min + 1) / BINS);
                return new Bins(min, max, width, (int) Math.ceil((max - min + 1) / width), true);
            }
            return min == max ? new Bins(min, max, 1, 1, false) : new Bins(min, max, (max - min) / BINS, BINS, false);
        }

        /** The SQL for the bin of {@code value}, or NULL when it is missing. */
        String binOf(String value) {
            // least() skips NULLs, so a missing value would land in the last bin without the CASE.
            return "CASE WHEN " + value + " IS NOT NULL THEN least(CAST(floor((" + value + " - " + literal(min)
                    + ") / " + literal(width) + ") AS BIGINT), " + (count - 1) + ") END";
        }

        /** {@code count + 1} edges: the lower edge of every bin, then {@code max}. */
        List<Number> edges() {
            List<Number> edges = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                double edge = min + i * width;
                edges.add(whole ? (Number) (long) edge : round(edge));
            }
            edges.add(whole ? (Number) (long) max : round(max));
            return edges;
        }

        List<Long> hist(@Nullable Map<?, ?> counts) {
            long[] hist = new long[count];
            if (counts != null) {
                for (Map.Entry<?, ?> e : counts.entrySet()) {
                    if (e.getKey() != null) {
                        hist[((Number) e.getKey()).intValue()] += ((Number) e.getValue()).longValue();
                    }
                }
            }
            List<Long> out = new ArrayList<>(count);
            for (long n : hist) {
                out.add(n);
            }
            return out;
        }

        private static String literal(double d) {
            return "CAST(" + BigDecimal.valueOf(d).toPlainString() + " AS DOUBLE)";
        }
    }
}
