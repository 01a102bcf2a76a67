package dev.atrium.viewer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import dev.atrium.viewer.DataFiles.Split;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dataset viewer's API in the shapes of the Hub's public dataset viewer ({@code datasets-server}, hub-api.md
 * §12.2), under {@code /datasets-server/}: {@code is-valid}, {@code splits}, {@code first-rows}, {@code rows},
 * {@code search}, {@code filter} and {@code statistics}; and {@code asset}, the image or sound in a cell.
 * Reading rows needs what downloading the files needs (a gated dataset's are for those let in); {@code X-Revision}
 * names the commit read.
 */
public final class ViewerApi {
    private static final Map<String, String> DTYPES = Map.ofEntries(
            Map.entry("BOOLEAN", "bool"), Map.entry("TINYINT", "int8"), Map.entry("SMALLINT", "int16"),
            Map.entry("INTEGER", "int32"), Map.entry("BIGINT", "int64"), Map.entry("UTINYINT", "uint8"),
            Map.entry("USMALLINT", "uint16"), Map.entry("UINTEGER", "uint32"), Map.entry("UBIGINT", "uint64"),
            Map.entry("FLOAT", "float32"), Map.entry("DOUBLE", "float64"), Map.entry("VARCHAR", "string"),
            Map.entry("BLOB", "binary"), Map.entry("DATE", "date32"), Map.entry("TIME", "time64[us]"),
            Map.entry("TIMESTAMP", "timestamp[us]"), Map.entry("TIMESTAMP WITH TIME ZONE", "timestamp[us, tz=UTC]"));

    private final RepoLookup lookup;
    private final DatasetViewer viewer;
    private final BaseUrl baseUrl;

    public ViewerApi(RepoLookup lookup, DatasetViewer viewer, BaseUrl baseUrl) {
        this.lookup = lookup;
        this.viewer = viewer;
        this.baseUrl = baseUrl;
    }

    public void register(RoutesConfig routes) {
        routes.get("/datasets-server/is-valid", this::isValid);
        routes.get("/datasets-server/splits", this::splits);
        routes.get("/datasets-server/first-rows", ctx -> rows(ctx, true));
        routes.get("/datasets-server/rows", ctx -> rows(ctx, false));
        routes.get("/datasets-server/search", this::search);
        routes.get("/datasets-server/statistics", this::statistics);
        routes.get("/datasets-server/filter", this::filter);
        routes.get("/datasets-server/asset", this::asset);
    }

    private Repo dataset(Context ctx, AccessPolicy.Action action) {
        return dataset(lookup, ctx, action);
    }

    /** The dataset named by the {@code dataset} parameter, as the viewer's endpoints all take it. */
    static Repo dataset(RepoLookup lookup, Context ctx, AccessPolicy.Action action) {
        String id = required(ctx, "dataset");
        int slash = id.indexOf('/');
        if (slash <= 0 || slash != id.lastIndexOf('/')) {
            throw new Errors.NotFound("Not found: dataset '" + id + "'");
        }
        return lookup.load(ctx, RepoType.DATASET, id.substring(0, slash), id.substring(slash + 1), action);
    }

    private static String required(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            throw new Errors.Unprocessable("Parameter '" + name + "' is required");
        }
        return value;
    }

    private DatasetViewer.Snapshot snapshot(Context ctx, Repo repo) throws IOException {
        DatasetViewer.Snapshot snapshot = viewer.snapshot(repo)
                .orElseThrow(() -> new Errors.NotFound("The dataset has no commit yet"));
        ctx.header("X-Revision", snapshot.commit());
        return snapshot;
    }

    private void isValid(Context ctx) throws IOException {
        Repo repo = dataset(ctx, AccessPolicy.Action.READ);
        boolean viewable = viewer.snapshot(repo).map(s -> !s.configs().isEmpty()).orElse(false);
        Json.send(ctx, Map.of("preview", viewable, "viewer", viewable, "search", viewable, "filter", viewable,
                "statistics", viewable));
    }

    private void splits(Context ctx) throws IOException {
        Repo repo = dataset(ctx, AccessPolicy.Action.DOWNLOAD);
        DatasetViewer.Snapshot snapshot = snapshot(ctx, repo);
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode splits = out.putArray("splits");
        for (DataConfigs.Config config : snapshot.configs()) {
            for (Split split : config.splits()) {
                splits.addObject().put("dataset", repo.repoId().toString()).put("config", config.name())
                        .put("split", split.name());
            }
        }
        out.putArray("pending");
        out.putArray("failed");
        Json.send(ctx, out);
    }

    private void rows(Context ctx, boolean first) throws IOException {
        Repo repo = dataset(ctx, AccessPolicy.Action.DOWNLOAD);
        String config = required(ctx, "config");
        String split = required(ctx, "split");
        long offset = first ? 0 : number(ctx, "offset", 0);
        long length = first ? DatasetViewer.MAX_PAGE : pageLength(ctx);
        DatasetViewer.Rows rows = viewer.rows(repo, snapshot(ctx, repo), config, split, offset, (int) length);
        send(ctx, repo, config, split, rows, first);
    }

    /** Rows whose text columns contain {@code query}, paged as {@code rows} pages. */
    private void search(Context ctx) throws IOException {
        Repo repo = dataset(ctx, AccessPolicy.Action.DOWNLOAD);
        String config = required(ctx, "config");
        String split = required(ctx, "split");
        String query = required(ctx, "query");
        if (query.length() > 200) {
            throw new Errors.Unprocessable("Parameter 'query' has at most 200 characters");
        }
        long offset = number(ctx, "offset", 0);
        long length = pageLength(ctx);
        send(ctx, repo, config, split, viewer.search(repo, snapshot(ctx, repo), config, split, query, offset,
                (int) length), false);
    }

    /** Rows that satisfy {@code where}, optionally in the order of {@code orderby}, paged as {@code rows} pages. */
    private void filter(Context ctx) throws IOException {
        Repo repo = dataset(ctx, AccessPolicy.Action.DOWNLOAD);
        String config = required(ctx, "config");
        String split = required(ctx, "split");
        String where = required(ctx, "where");
        long offset = number(ctx, "offset", 0);
        long length = pageLength(ctx);
        send(ctx, repo, config, split, viewer.filter(repo, snapshot(ctx, repo), config, split, where,
                ctx.queryParam("orderby"), offset, (int) length), false);
    }

    private void statistics(Context ctx) throws IOException {
        Repo repo = dataset(ctx, AccessPolicy.Action.DOWNLOAD);
        String config = required(ctx, "config");
        String split = required(ctx, "split");
        DatasetViewer.Snapshot snapshot = snapshot(ctx, repo);
        SplitStatistics.Result result = viewer.statistics(repo, snapshot, config, split);
        ObjectNode out = Json.MAPPER.createObjectNode().put("num_examples", result.numExamples());
        ArrayNode columns = out.putArray("statistics");
        for (SplitStatistics.Column column : result.columns()) {
            ObjectNode stats = Json.MAPPER.createObjectNode().put("nan_count", column.nanCount())
                    .put("nan_proportion", column.nanProportion());
            if (column.frequencies() != null) {
                if (column.kind() == SplitStatistics.Kind.STRING_LABEL
                        || column.kind() == SplitStatistics.Kind.CLASS_LABEL) {
                    // Values present but no class (ClassLabel's -1): what the frequencies do not count.
                    long labelled = column.frequencies().values().stream().mapToLong(Long::longValue).sum();
                    long noLabel = result.numExamples() - column.nanCount() - labelled;
                    stats.put("no_label_count", noLabel).put("no_label_proportion", result.numExamples() == 0 ? 0.0
                                    : Math.round(noLabel * 1e5 / result.numExamples()) / 1e5)
                            .put("n_unique", column.frequencies().size());
                }
                stats.set("frequencies", Json.MAPPER.valueToTree(column.frequencies()));
            } else {
                SplitStatistics.Numbers n = column.numbers();
                Map<String, Object> numbers = new java.util.LinkedHashMap<>(); // all null when nothing is present
                numbers.put("min", n == null ? null : n.min());
                numbers.put("max", n == null ? null : n.max());
                numbers.put("mean", n == null ? null : n.mean());
                numbers.put("median", n == null ? null : n.median());
                numbers.put("std", n == null ? null : n.std());
                numbers.put("histogram", n == null ? null : Json.MAPPER.createObjectNode()
                        .<ObjectNode>set("hist", Json.MAPPER.valueToTree(n.hist()))
                        .set("bin_edges", Json.MAPPER.valueToTree(n.binEdges())));
                stats.setAll((ObjectNode) Json.MAPPER.valueToTree(numbers));
            }
            columns.addObject().put("column_name", column.name()).put("column_type", column.kind().wireName())
                    .set("column_statistics", stats);
        }
        out.put("partial", viewer.isPartial(repo, snapshot, config, split));
        Json.send(ctx, out);
    }

    private static long pageLength(Context ctx) {
        long length = number(ctx, "length", DatasetViewer.MAX_PAGE);
        if (length > DatasetViewer.MAX_PAGE) {
            throw new Errors.Unprocessable("Parameter 'length' must not be greater than " + DatasetViewer.MAX_PAGE);
        }
        return length;
    }

    /**
     * {@code asset?dataset=&config=&split=&row=&column=[&item=][&thumb=1]}: the image or sound in a cell (or in item
     * {@code item} of the list there), as its own type only (never sniffed, sandboxed), for the pages' thumbnails
     * ({@code thumb}: a small JPEG of a large image) and players and the rows' {@code src}.
     */
    private void asset(Context ctx) throws IOException {
        Repo repo = dataset(ctx, AccessPolicy.Action.DOWNLOAD);
        String config = required(ctx, "config");
        String split = required(ctx, "split");
        String column = required(ctx, "column");
        long row = number(ctx, "row", 0);
        Integer item = ctx.queryParam("item") == null ? null : (int) Math.min(number(ctx, "item", 0),
                Integer.MAX_VALUE);
        // thumb=1: the pages' own small rendition of a large image (not an API of the Hub's).
        boolean thumb = "1".equals(ctx.queryParam("thumb"));
        DatasetViewer.Snapshot snapshot = snapshot(ctx, repo);
        DatasetViewer.Media media = (thumb ? viewer.thumbnail(repo, snapshot, config, split, row, column, item)
                : viewer.media(repo, snapshot, config, split, row, column, item))
                .orElseThrow(() -> new Errors.NotFound("No image or sound in column '" + column + "' of row " + row
                        + (item == null ? "" : ", item " + item)));
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "sandbox; default-src 'none'");
        ctx.header("Cache-Control", "private, max-age=300");
        ctx.contentType(media.header().mime());
        ctx.result(media.bytes());
    }

    /**
     * A cell's value as JSON; an image or sound (served at {@code src}) as the Hub gives them: an image's URL and
     * size, a sound's URL and type in a list.
     */
    private static JsonNode render(Object value, String src) {
        if (value instanceof DuckTables.MediaCell cell) {
            if (cell.media().isImage()) {
                return Json.MAPPER.createObjectNode().put("src", src).put("height", cell.media().height())
                        .put("width", cell.media().width());
            }
            ArrayNode sound = Json.MAPPER.createArrayNode();
            sound.addObject().put("src", src).put("type", cell.media().mime());
            return sound;
        }
        return Json.MAPPER.valueToTree(value);
    }

    /** Where the image or sound in a cell is served: the {@code src} the rows give for it. */
    private String assetUrl(Context ctx, Repo repo, String config, String split, long row, String column) {
        return baseUrl.of(ctx) + "/datasets-server/asset?dataset=" + query(repo.repoId().toString())
                + "&config=" + query(config) + "&split=" + query(split) + "&row=" + row + "&column=" + query(column);
    }

    private static String query(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void send(Context ctx, Repo repo, String config, String split, DatasetViewer.Rows rows,
                      boolean first) {
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (first) {
            out.put("dataset", repo.repoId().toString()).put("config", config).put("split", split);
        }
        ArrayNode features = out.putArray("features");
        for (int i = 0; i < rows.columns().size(); i++) {
            DuckTables.Column column = rows.columns().get(i);
            int c = i;
            String media = rows.rows().stream().filter(r -> r.get(c) instanceof DuckTables.MediaCell)
                    .map(r -> ((DuckTables.MediaCell) r.get(c)).media().isImage() ? "Image" : "Audio").findFirst()
                    .orElse(null);
            JsonNode declared = rows.features().get(column.name());
            features.addObject().put("feature_idx", i).put("name", column.name()).set("type", declared != null
                    ? declared : media != null ? Json.MAPPER.createObjectNode().put("_type", media)
                    : type(column.type()));
        }
        ArrayNode list = out.putArray("rows");
        for (int r = 0; r < rows.rows().size(); r++) {
            ObjectNode row = Json.MAPPER.createObjectNode();
            List<Object> values = rows.rows().get(r);
            for (int c = 0; c < values.size(); c++) {
                String name = rows.columns().get(c).name();
                String src = assetUrl(ctx, repo, config, split, rows.indexes().get(r), name);
                if (values.get(c) instanceof List<?> items && items.stream()
                        .anyMatch(DuckTables.MediaCell.class::isInstance)) {
                    ArrayNode shown = row.putArray(name);
                    for (int i = 0; i < items.size(); i++) {
                        shown.add(render(items.get(i), src + "&item=" + i));
                    }
                } else {
                    row.set(name, render(values.get(c), src));
                }
            }
            list.addObject().put("row_idx", rows.indexes().get(r)).<ObjectNode>set("row", row).putArray("truncated_cells");
        }
        if (first) {
            out.put("truncated", rows.total() > rows.rows().size());
        } else {
            out.put("num_rows_total", rows.total()).put("num_rows_per_page", DatasetViewer.MAX_PAGE)
                    .put("partial", rows.partial());
        }
        Json.send(ctx, out);
    }

    private static long number(Context ctx, String name, long fallback) {
        String value = ctx.queryParam(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(value);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new Errors.Unprocessable("Parameter '" + name + "' must be a number of 0 or more");
        }
    }

    /** The datasets library's feature for a DuckDB column type; lists become sequences of their items' feature. */
    static ObjectNode type(String duckType) {
        if (duckType.endsWith("[]")) {
            ObjectNode sequence = Json.MAPPER.createObjectNode();
            sequence.set("feature", type(duckType.substring(0, duckType.length() - 2)));
            return sequence.put("_type", "Sequence");
        }
        String dtype = DTYPES.get(duckType);
        if (dtype == null && duckType.startsWith("DECIMAL")) {
            dtype = "decimal128" + duckType.substring("DECIMAL".length()).replace(",", ", ");
        }
        return Json.MAPPER.createObjectNode().put("dtype", dtype != null ? dtype : duckType.toLowerCase(Locale.ROOT))
                .put("_type", "Value");
    }
}
