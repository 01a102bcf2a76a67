package dev.atrium.search;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.db.LikePatterns;
import dev.atrium.repo.RepoType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The query behind {@code /api/models}, {@code /api/datasets} and {@code /api/spaces}: filters, a sort on an indexed
 * column and keyset pagination (the cursor is the last row's sort value and id), so a deep page costs what the first
 * does.
 */
public final class RepoListing {
    /** Sort orders the Hub offers, and the column each uses. */
    public enum Sort {
        DOWNLOADS("m.downloads", "m.repo_id"), LIKES("m.likes", "m.repo_id"), TRENDING("m.trending_score", "m.repo_id"),
        LAST_MODIFIED("m.last_modified", "m.repo_id"), CREATED_AT("r.created_at", "r.id");

        final String column;
        /** The second column of the sort's index, which orders ties and makes the cursor exact. */
        final String tiebreak;

        Sort(String column, String tiebreak) {
            this.column = column;
            this.tiebreak = tiebreak;
        }

        public static Optional<Sort> parse(String value) {
            return Optional.ofNullable(switch (value) {
                case "downloads" -> DOWNLOADS;
                case "likes" -> LIKES;
                case "trendingScore", "trending" -> TRENDING;
                case "lastModified", "last_modified", "modified" -> LAST_MODIFIED;
                case "createdAt", "created_at" -> CREATED_AT;
                default -> null;
            });
        }
    }

    /** Where the previous page ended. */
    public record Cursor(long value, String repoId) {}

    public record Query(RepoType type, AccessPolicy.SqlCondition readable, List<String> search,
                        Optional<String> author, List<String> tags, Optional<String> pipelineTag, Sort sort,
                        boolean descending, int limit, Optional<Cursor> after) {}

    /** One listed repo: the repos row and its discovery row. */
    public record Row(String id, String namespace, String name, boolean isPrivate, String sdk, long createdAt,
                      String sha, long lastModified, String pipelineTag, String libraryName, String cardJson,
                      String tagsJson, String extraJson, long likes, long downloads, long downloadsAllTime,
                      long trendingScore, long sortValue) {}

    private static final String COLUMNS = """
            r.id, r.namespace, r.name, r.private, r.sdk, r.created_at, m.sha, m.last_modified, m.pipeline_tag,
            m.library_name, m.card_json, m.tags_json, m.extra_json, m.likes, m.downloads, m.downloads_all_time,
            m.trending_score""";
    private static final org.jdbi.v3.core.mapper.RowMapper<Row> ROW = (rs, ctx) -> new Row(rs.getString("id"),
            rs.getString("namespace"), rs.getString("name"), rs.getBoolean("private"), rs.getString("sdk"),
            rs.getLong("created_at"), rs.getString("sha"), rs.getLong("last_modified"), rs.getString("pipeline_tag"),
            rs.getString("library_name"), rs.getString("card_json"), rs.getString("tags_json"),
            rs.getString("extra_json"), rs.getLong("likes"), rs.getLong("downloads"), rs.getLong("downloads_all_time"),
            rs.getLong("trending_score"), rs.getLong("sort_value"));

    /**
     * How ids are searched by substring. Both forms return keys of the {@code repos} rows whose id contains the
     * text; the main query still applies the exact, escaped {@code LIKE}, so a search may return a superset.
     */
    public enum IdSearch {
        /**
         * SQLite: a phrase query on the FTS5 trigram table of migration V5 ({@code db/migration/sqlite}), which
         * matches the same rows as {@code LIKE '%text%'} several times faster, in rowid order.
         */
        SQLITE_FTS5("r.rowid IN (<driverKeys>)", false, false, 50_000, 2_000, 1.0, 1.0) {
            @Override
            Probe probe(org.jdbi.v3.core.Handle h, String text, int cap, long maxRowid) {
                List<Object> keys = h.createQuery("SELECT rowid FROM repo_search WHERE repo_search MATCH :phrase"
                                + " ORDER BY rowid LIMIT " + cap)
                        .bind("phrase", '"' + text.replace("\"", "\"\"") + '"')
                        .map((rs, ctx) -> rs.getObject(1)).list();
                if (keys.size() < cap) {
                    return new Probe(keys, keys.size());
                }
                // Matches spread evenly over rowids (the order repos were created in): if the first `cap` of them
                // reach rowid R, about cap * maxRowid / R rows match in all.
                long last = ((Number) keys.get(keys.size() - 1)).longValue();
                return new Probe(keys, (double) cap * Math.max(maxRowid, last) / Math.max(1, last));
            }
        },
        /**
         * PostgreSQL: the pg_trgm GIN index of migration V5 ({@code db/migration/postgresql}) on the expression the
         * listing filters on. Its bitmap scan returns rows in table order, so the block of the cap-th match
         * extrapolates the total as the rowid does for SQLite.
         */
        POSTGRESQL_TRGM("r.id = ANY(:driverKeys)", true, true, 10_000, 500, 1.0, 0.02) {
            @Override
            Probe probe(org.jdbi.v3.core.Handle h, String text, int cap, long tablePages) {
                String pattern = LikePatterns.containing(text);
                // pg_trgm's own estimate costs a plan (~1 ms) where the index scan costs ~10: a term too common to
                // start from is judged on the estimate alone.
                long estimate = h.createQuery("EXPLAIN (FORMAT JSON) SELECT 1 FROM repos r"
                                + " WHERE LOWER(r.namespace || '/' || r.name) LIKE :pattern"
                                + " " + LikePatterns.ESCAPE)
                        .bind("pattern", pattern)
                        .map((rs, ctx) -> rs.getString(1)).findOne()
                        .map(json -> {
                            try {
                                return dev.atrium.http.Json.MAPPER.readTree(json).path(0).path("Plan")
                                        .path("Plan Rows").asLong(0);
                            } catch (java.io.IOException e) {
                                return 0L;
                            }
                        }).orElse(0L);
                if (estimate > ESTIMATE_ONLY_ABOVE) {
                    return new Probe(null, estimate);
                }
                List<Object> keys = new java.util.ArrayList<>();
                long[] lastBlock = {0};
                h.createQuery("SELECT r.id, (r.ctid::text::point)[0] AS block FROM repos r"
                                + " WHERE LOWER(r.namespace || '/' || r.name) LIKE :pattern"
                                + " " + LikePatterns.ESCAPE + " LIMIT " + cap)
                        .bind("pattern", pattern)
                        .map((rs, ctx) -> {
                            keys.add(rs.getString(1));
                            lastBlock[0] = Math.max(lastBlock[0], (long) rs.getDouble(2));
                            return null;
                        }).list();
                if (keys.size() < cap) {
                    return new Probe(keys, keys.size());
                }
                return new Probe(keys, (double) cap * Math.max(tablePages, lastBlock[0] + 1) / (lastBlock[0] + 1));
            }
        };

        /**
         * The condition on {@code r} that keeps the rows whose keys it found: a list bound value by value for
         * SQLite, one array for PostgreSQL (thousands of separate parameters slow its planning down).
         */
        final String keysCondition;
        /** Whether {@link #keysCondition} takes its keys as one array rather than a list of values. */
        final boolean keysAsArray;
        /**
         * How this database walks the sort's index (see {@link #walk}): SQLite keeps a CROSS JOIN's order, so one
         * query streams down the index and stops at a page; PostgreSQL reorders joins and, misjudging a substring
         * filter, would sort the whole table, so it is walked in windows.
         */
        final boolean walkInWindows;
        /**
         * The most keys a search that starts the query passes as a bound list: SQLite takes tens of thousands
         * cheaply, PostgreSQL slows down well before; beyond this many, walking is cheaper.
         */
        final int maxKeys;
        /**
         * How many matches a search's first probe reads before it extrapolates the total: enough for an estimate.
         * PostgreSQL's probe costs about 4 µs a match, SQLite's far less.
         */
        final int countCap;
        /**
         * What walking the sort's index costs per row, relative to fetching, filtering and sorting one of a starting
         * filter's rows. Measured with a million repos: on SQLite both cost about 2.5 to 3 µs a row.
         */
        final double scanRowCost;
        /**
         * The same for a walk that a search prefilters: on PostgreSQL such a walk reads the sort's index alone (it
         * carries the id, migration V9), about 0.25 µs a row, where a search that starts the query costs about 14 µs
         * a matching row (its keys are fetched, then each row is looked up in three indexes).
         */
        final double prefilteredScanRowCost;

        IdSearch(String keysCondition, boolean keysAsArray, boolean walkInWindows, int maxKeys, int countCap,
                 double scanRowCost, double prefilteredScanRowCost) {
            this.keysCondition = keysCondition;
            this.keysAsArray = keysAsArray;
            this.walkInWindows = walkInWindows;
            this.maxKeys = maxKeys;
            this.countCap = countCap;
            this.scanRowCost = scanRowCost;
            this.prefilteredScanRowCost = prefilteredScanRowCost;
        }

        /**
         * Up to {@code cap} keys of rows whose id contains {@code text} (lower case), and how many match in all.
         * {@code sizeHint} is the table's extent in the unit the search extrapolates with (SQLite: the largest rowid;
         * PostgreSQL: the table's pages).
         */
        abstract Probe probe(org.jdbi.v3.core.Handle h, String text, int cap, long sizeHint);
    }

    /**
     * What an id search found: up to its cap of keys (null when it only estimated, for a term too common to start
     * from), and its estimate of how many rows match in all.
     */
    record Probe(@org.jspecify.annotations.Nullable List<Object> keys, double estimatedRows) {}

    /** PostgreSQL: a search term estimated to match more rows than this is not fetched to start from. */
    static final long ESTIMATE_ONLY_ABOVE = 20_000;

    /**
     * Counting a filter's rows stops here: enough to tell a selective filter from a common one, cheap on an index
     * (the id search, which reads a trigram index, stops sooner).
     */
    static final int COUNT_CAP = 50_000;
    /**
     * Rows of the sort's index a walk reads in its first step: half again what the planner expects to need, within
     * these bounds; each further step reads twice as many.
     */
    static final int MIN_WALK_WINDOW = 200;
    static final int MAX_WALK_WINDOW = 8000;
    /** A prefiltered window costs little per row: fewer, larger steps save round trips. */
    static final int MAX_PREFILTERED_WALK_WINDOW = 50_000;
    /** The parameter holding the keys an id search found, bound as a list. */
    private static final String DRIVER_KEYS = "driverKeys";

    private final Jdbi jdbi;
    private final IdSearch idSearch;
    private final boolean walkInWindows;
    private volatile long totalRepos = -1;
    /** The table extent IdSearch.probe extrapolates with (see its sizeHint). */
    private volatile long sizeHint;
    private volatile long totalCountedAt;

    public RepoListing(Jdbi jdbi, IdSearch idSearch) {
        this(jdbi, idSearch, idSearch.walkInWindows);
    }

    /** With the walk chosen explicitly: tests run both on SQLite. */
    RepoListing(Jdbi jdbi, IdSearch idSearch, boolean walkInWindows) {
        this.jdbi = jdbi;
        this.idSearch = idSearch;
        this.walkInWindows = walkInWindows;
    }

    /** Up to {@code limit + 1} rows: one more than the page, so the caller knows whether a next page exists. */
    /**
     * How many repos of {@code type} that the reader may see carry each of {@code tags}: the branches of a model
     * tree ({@code base_model:finetune:alice/base}...). Tags no readable repo carries are absent.
     */
    public Map<String, Long> countTagged(RepoType type, AccessPolicy.SqlCondition readable,
                                         java.util.Collection<String> tags) {
        if (tags.isEmpty()) {
            return Map.of();
        }
        return jdbi.withHandle(h -> {
            Map<String, Object> params = new HashMap<>(readable.parameters());
            params.put("type", type.name());
            return h.createQuery("SELECT t.tag, COUNT(*) FROM repo_tags t JOIN repos r ON r.id = t.repo_id"
                            + " WHERE t.tag IN (<tags>) AND r.type = :type AND " + readable.sql() + " GROUP BY t.tag")
                    .bindList("tags", List.copyOf(tags)).bindMap(params)
                    .map((rs, c) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        });
    }

    public List<Row> find(Query q) {
        return jdbi.withHandle(h -> {
            Map<String, Object> driverParams = new HashMap<>();
            double[] walkRows = {q.limit() + 1};
            Optional<String> driver = selectiveDriver(h, q, driverParams, walkRows);
            if (driver.isPresent()) {
                // A selective filter: the database starts from its few rows, then filters and sorts them.
                return filtered(h, q, driver.get(), driverParams, q.after(), q.limit() + 1);
            }
            if (!walkInWindows) {
                return filtered(h, q, "", q.sort().column.startsWith("m.") ? "repo_meta m CROSS JOIN repos r"
                        : "repos r CROSS JOIN repo_meta m", "1 = 1", Map.of(), q.after(), q.limit() + 1);
            }
            return walk(h, q, (int) Math.min(maxWindow(q), Math.max(MIN_WALK_WINDOW, 1.5 * walkRows[0])));
        });
    }

    /**
     * Walks the sort's index a window at a time and filters each window, until a page is full or the index ends.
     * Done here rather than left to the database, because neither plans it reliably: SQLite's planner does not know
     * how common a filter is, and PostgreSQL's guesses a substring filter matches a handful of rows and sorts the
     * whole table instead.
     */
    private List<Row> walk(org.jdbi.v3.core.Handle h, Query q, int firstWindow) {
        boolean onMeta = q.sort().column.startsWith("m.");
        String column = q.sort().column.substring(2);
        String key = onMeta ? "repo_id" : "id";
        String direction = q.descending() ? " DESC" : " ASC";
        // A search is first checked against repo_meta's copy of the id, which PostgreSQL's sort indexes carry
        // (migration V9): only the window's matching rows are then looked up, not all of them.
        boolean prefilter = prefiltered(q);
        List<Row> out = new java.util.ArrayList<>();
        Optional<Cursor> after = q.after();
        int size = firstWindow;
        while (true) {
            // The next `size` keys of the sort's index after the cursor.
            StringBuilder window = new StringBuilder("SELECT w." + column + ", w." + key
                    + (prefilter ? ", w.search_key" : "") + " FROM " + (onMeta ? "repo_meta" : "repos") + " w");
            Map<String, Object> params = new HashMap<>();
            after.ifPresent(c -> {
                window.append(" WHERE (w.").append(column).append(", w.").append(key).append(") ")
                        .append(q.descending() ? "<" : ">").append(" (:afterValue, :afterId)");
                params.put("afterValue", c.value());
                params.put("afterId", c.repoId());
            });
            window.append(" ORDER BY w.").append(column).append(direction).append(", w.").append(key)
                    .append(direction);
            // Its last key, where the next step starts; none when the index ends within the window.
            Optional<Cursor> end = h.createQuery(window + " LIMIT 1 OFFSET " + (size - 1)).bindMap(params)
                    .map((rs, ctx) -> new Cursor(rs.getLong(1), rs.getString(2))).findOne();
            String rows = window + " LIMIT " + size;
            if (prefilter) {
                StringBuilder matching = new StringBuilder("SELECT p." + column + ", p." + key + " FROM (" + rows
                        + ") p WHERE 1 = 1");
                for (int i = 0; i < q.search().size(); i++) {
                    // A row not indexed since V8 has no copy yet: it is left to the exact filter below.
                    matching.append(" AND (p.search_key IS NULL OR p.search_key LIKE :windowSearch").append(i)
                            .append(" " + LikePatterns.ESCAPE + ")");
                    params.put("windowSearch" + i, LikePatterns.containing(lower(q.search().get(i))));
                }
                rows = matching.toString();
            }
            // The window's rows are read first and kept apart (MATERIALIZED: SQLite 3.35+, PostgreSQL 12+), so the
            // database looks each one up rather than planning the filters over the whole table.
            out.addAll(filtered(h, q, "WITH win AS MATERIALIZED (" + rows + ") ",
                    "win w0 JOIN repos r ON r.id = w0." + key, "1 = 1", params, Optional.empty(),
                    q.limit() + 1 - out.size()));
            if (out.size() > q.limit() || end.isEmpty()) {
                return out;
            }
            after = end;
            size = Math.min(maxWindow(q), size * 2); // the estimate was short: read further each step
        }
    }

    /** Whether a walk for {@code q} checks its search on the sort index's copy of the id first. */
    private static boolean prefiltered(Query q) {
        return q.sort().column.startsWith("m.") && !q.search().isEmpty();
    }

    private static int maxWindow(Query q) {
        return prefiltered(q) ? MAX_PREFILTERED_WALK_WINDOW : MAX_WALK_WINDOW;
    }

    /** The rows that pass every filter of {@code q} and {@code condition}, in the sort's order, at most {@code limit}. */
    private List<Row> filtered(org.jdbi.v3.core.Handle h, Query q, String condition, Map<String, Object> extra,
                               Optional<Cursor> after, int limit) {
        return filtered(h, q, "", "repos r", condition, extra, after, limit);
    }

    /** {@link #filtered} with a {@code WITH} clause before the query and {@code from} joined to {@code repo_meta m}. */
    private List<Row> filtered(org.jdbi.v3.core.Handle h, Query q, String with, String from, String condition,
                               Map<String, Object> extra, Optional<Cursor> after, int limit) {
        Map<String, Object> params = new HashMap<>(q.readable().parameters());
        params.putAll(extra);
        // A CROSS JOIN names both tables and joins them in WHERE (PostgreSQL allows no ON after CROSS JOIN).
        String tables = from.contains("CROSS JOIN") ? from + " WHERE m.repo_id = r.id AND"
                : from + " JOIN repo_meta m ON m.repo_id = r.id WHERE";
        StringBuilder sql = new StringBuilder(with + "SELECT " + COLUMNS + ", " + q.sort().column + " AS sort_value"
                + " FROM " + tables + " r.type = :type AND ")
                .append(q.readable().sql()).append(" AND ").append(condition);
        params.put("type", q.type().name());
        q.author().ifPresent(a -> {
            sql.append(" AND r.namespace = :author");
            params.put("author", a);
        });
        for (int i = 0; i < q.search().size(); i++) {
            // A substring of the id, case-insensitively; LIKE wildcards in the search text are taken literally. The
            // appended '' keeps PostgreSQL from its trigram index here: the rows to start from are decided above.
            sql.append(" AND (LOWER(r.namespace || '/' || r.name) || '') LIKE :search").append(i)
                    .append(" " + LikePatterns.ESCAPE);
            params.put("search" + i, LikePatterns.containing(lower(q.search().get(i))));
        }
        q.pipelineTag().ifPresent(p -> {
            sql.append(" AND m.pipeline_tag = :pipeline");
            params.put("pipeline", p);
        });
        for (int i = 0; i < q.tags().size(); i++) {
            sql.append(" AND EXISTS (SELECT 1 FROM repo_tags t WHERE t.repo_id = r.id AND t.tag = :tag").append(i)
                    .append(')');
            params.put("tag" + i, q.tags().get(i));
        }
        after.ifPresent(c -> {
            // A row-value comparison, which SQLite and PostgreSQL both turn into one seek on the sort's index.
            sql.append(" AND (").append(q.sort().column).append(", ").append(q.sort().tiebreak).append(") ")
                    .append(q.descending() ? "<" : ">").append(" (:afterValue, :afterId)");
            params.put("afterValue", c.value());
            params.put("afterId", c.repoId());
        });
        String direction = q.descending() ? " DESC" : " ASC";
        sql.append(" ORDER BY ").append(q.sort().column).append(direction).append(", ").append(q.sort().tiebreak)
                .append(direction).append(" LIMIT :limit");
        params.put("limit", limit);
        var query = h.createQuery(sql.toString());
        Object keys = params.remove(DRIVER_KEYS);
        if (keys != null && idSearch.keysAsArray) {
            query.bindArray(DRIVER_KEYS, String.class, (List<?>) keys);
        } else if (keys != null) {
            query.bindList(DRIVER_KEYS, (List<?>) keys);
        }
        return query.bindMap(params).map(ROW).list();
    }

    /**
     * A filter that could drive the query, and how many rows it matches, counted up to {@code cap}. The id search's
     * candidate carries the keys it found ({@code value} is then a list), so that search runs once.
     */
    private record Candidate(String condition, Object value, long rows, long cap, double estimatedRows) {
        Candidate(String condition, Object value, long rows, long cap) {
            this(condition, value, rows, cap, rows);
        }

        /** Whether the count stopped at the cap: the filter matches at least that many rows, maybe far more. */
        boolean capped() {
            return rows >= cap;
        }
    }

    /**
     * The filter to start from, as a condition on {@code r}, or empty to walk the sort's index instead. Walking
     * finds a page after about {@code limit / selectivity} rows, where the selectivity of several filters is taken as
     * the product of each one's; starting from a filter costs its row count. Each filter is counted up to a cap.
     */
    private Optional<String> selectiveDriver(org.jdbi.v3.core.Handle h, Query q, Map<String, Object> params,
                                             double[] walkRows) {
        List<Candidate> candidates = new java.util.ArrayList<>();
        List<String> searchTexts = new java.util.ArrayList<>();
        for (String term : q.search()) {
            if (term.strip().length() >= 3) {
                Probe probe = idSearch.probe(h, lower(term.strip()), idSearch.countCap, sizeHint(h));
                candidates.add(new Candidate(idSearch.keysCondition, probe.keys(),
                        probe.keys() == null ? idSearch.countCap : probe.keys().size(), idSearch.countCap,
                        probe.estimatedRows()));
                searchTexts.add(lower(term.strip()));
            }
        }
        for (String tag : q.tags()) {
            long rows = h.createQuery("SELECT repos FROM tag_counts WHERE tag = :tag").bind("tag", tag)
                    .mapTo(Long.class).findOne().orElse(0L);
            candidates.add(new Candidate("r.id IN (SELECT repo_id FROM repo_tags WHERE tag = :driver)", tag,
                    Math.min(rows, COUNT_CAP), COUNT_CAP, rows));
        }
        q.author().ifPresent(author -> candidates.add(new Candidate("r.namespace = :driver", author,
                countCapped(h, "SELECT 1 FROM repos WHERE namespace = :driver", author, COUNT_CAP), COUNT_CAP)));
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        double total = Math.max(1, totalRepos(h));
        double selectivity = 1;
        Candidate best = null;
        for (Candidate c : candidates) {
            // A capped count without an estimate makes the selectivity a lower bound, the walk's cost an upper one.
            selectivity *= Math.min(1, Math.max(1, c.estimatedRows()) / total);
            // A filter counted to its cap may still be the cheapest start if its estimate says so (an id search
            // then fetches its keys again, beyond the cap); a tag or author at its cap is too broad to start from.
            boolean drivable = !c.capped() || c.value() instanceof List<?>;
            if (drivable && (best == null || c.estimatedRows() < best.estimatedRows())) {
                best = c;
            }
        }
        walkRows[0] = (q.limit() + 1) / selectivity;
        double walk = walkRows[0] * (prefiltered(q) ? idSearch.prefilteredScanRowCost : idSearch.scanRowCost);
        if (best == null || best.estimatedRows() >= walk) {
            return Optional.empty();
        }
        if (best.value() instanceof List<?> keys) {
            List<?> all = keys;
            if (best.capped()) {
                all = idSearch.probe(h, searchTexts.get(candidates.indexOf(best)), idSearch.maxKeys, sizeHint(h))
                        .keys();
                if (all.size() >= idSearch.maxKeys) {
                    return Optional.empty(); // broader than estimated: walking is the safer plan
                }
            }
            if (all.isEmpty()) {
                return Optional.of("1 = 0");
            }
            params.put(DRIVER_KEYS, all);
        } else {
            params.put("driver", best.value());
        }
        return Optional.of(best.condition());
    }

    /** The number of repos, re-counted at most once a minute: it only scales the planner's estimates. */
    private long totalRepos(org.jdbi.v3.core.Handle h) {
        refreshTotals(h);
        return totalRepos;
    }

    private long sizeHint(org.jdbi.v3.core.Handle h) {
        refreshTotals(h);
        return sizeHint;
    }

    private void refreshTotals(org.jdbi.v3.core.Handle h) {
        long now = System.nanoTime();
        if (now - totalCountedAt > 60_000_000_000L || totalRepos < 0) {
            totalRepos = h.createQuery("SELECT COUNT(*) FROM repos").mapTo(Long.class).one();
            sizeHint = idSearch == IdSearch.SQLITE_FTS5
                    ? h.createQuery("SELECT COALESCE(MAX(rowid), 0) FROM repos").mapTo(Long.class).one()
                    : h.createQuery("SELECT relpages FROM pg_class WHERE relname = 'repos'").mapTo(Long.class)
                            .findOne().orElse(0L);
            totalCountedAt = now;
        }
    }

    private static long countCapped(org.jdbi.v3.core.Handle h, String rows, Object value, int cap) {
        return h.createQuery("SELECT COUNT(*) FROM (" + rows + " LIMIT " + cap + ") capped")
                .bind("driver", value).mapTo(Long.class).one();
    }

    private static String lower(String text) {
        return text.toLowerCase(java.util.Locale.ROOT);
    }

}
