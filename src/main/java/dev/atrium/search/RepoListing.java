package dev.atrium.search;

import dev.atrium.auth.AccessPolicy;
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
        DOWNLOADS("m.downloads"), LIKES("m.likes"), TRENDING("m.trending_score"), LAST_MODIFIED("m.last_modified"),
        CREATED_AT("r.created_at");

        final String column;

        Sort(String column) {
            this.column = column;
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

    private final Jdbi jdbi;

    public RepoListing(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** Up to {@code limit + 1} rows: one more than the page, so the caller knows whether a next page exists. */
    public List<Row> find(Query q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + ", " + q.sort().column + " AS sort_value"
                + " FROM repos r JOIN repo_meta m ON m.repo_id = r.id WHERE r.type = :type AND ");
        Map<String, Object> params = new HashMap<>(q.readable().parameters());
        params.put("type", q.type().name());
        sql.append(q.readable().sql());
        q.author().ifPresent(a -> {
            sql.append(" AND r.namespace = :author");
            params.put("author", a);
        });
        for (int i = 0; i < q.search().size(); i++) {
            // A substring of the id, case-insensitively; LIKE wildcards in the search text are taken literally.
            sql.append(" AND LOWER(r.namespace || '/' || r.name) LIKE :search").append(i).append(" ESCAPE '\\'");
            params.put("search" + i, "%" + q.search().get(i).toLowerCase(java.util.Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
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
        String cmp = q.descending() ? "<" : ">";
        q.after().ifPresent(c -> {
            sql.append(" AND (").append(q.sort().column).append(' ').append(cmp).append(" :afterValue OR (")
                    .append(q.sort().column).append(" = :afterValue AND r.id ").append(cmp).append(" :afterId))");
            params.put("afterValue", c.value());
            params.put("afterId", c.repoId());
        });
        String direction = q.descending() ? " DESC" : " ASC";
        sql.append(" ORDER BY ").append(q.sort().column).append(direction).append(", r.id").append(direction)
                .append(" LIMIT :limit");
        params.put("limit", q.limit() + 1);
        return jdbi.withHandle(h -> h.createQuery(sql.toString()).bindMap(params)
                .map(ROW)
                .list());
    }

    /** The discovery row of one repo, for its info endpoint; empty before it was first indexed. */
    public Optional<Row> one(String repoId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + ", 0 AS sort_value"
                        + " FROM repos r JOIN repo_meta m ON m.repo_id = r.id WHERE r.id = :id")
                .bind("id", repoId)
                .map(ROW)
                .findOne());
    }
}
