package dev.atrium.web;

import dev.atrium.http.Errors;
import dev.atrium.http.HubException;
import dev.atrium.http.RepoRoutes;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import dev.atrium.viewer.DataConfigs;
import dev.atrium.viewer.DataFiles;
import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.viewer.DatasetViewer;
import dev.atrium.viewer.DuckTables;
import dev.atrium.viewer.MediaHeader;
import dev.atrium.viewer.ParquetExports;
import dev.atrium.viewer.RowFilter;
import dev.atrium.viewer.SplitStatistics;
import dev.atrium.viewer.Thumbnails;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A dataset's Viewer tab: its splits and a page of rows of one, as {@link DatasetViewer} reads them. Like the
 * files, the rows of a gated dataset are for those let in.
 */
public final class ViewerPages {
    /**
     * What the tab shows: the configs (when more than one) and the chosen config's splits, the chosen split's page (or
     * why there is none), and the pager's links.
     */
    public record ViewerPage(RepoViews.Header header, List<Link> configs, List<Link> splits, @Nullable String config,
                             @Nullable String split, @Nullable String search, @Nullable String where,
                             @Nullable String filterError, List<String> columns,
                             List<List<Cell>> rows, List<Long> indexes, long firstRow, long total,
                             @Nullable String problem,
                             @Nullable String newerUrl, @Nullable String olderUrl, List<ColumnSummary> summaries,
                             @Nullable Link parquet, boolean table, boolean partial) {}

    /**
     * A column's statistics under its name: its kind, a line of text, and bars (a histogram, or the most frequent
     * values), each with a tooltip. {@link #none()} for columns without statistics.
     */
    public record ColumnSummary(String kind, String text, List<Bar> bars) {
        static ColumnSummary none() {
            return new ColumnSummary("", "", List.of());
        }
    }

    /** A bar of a 100 × 24 drawing: its left edge, width and height, and what it counts. */
    public record Bar(double x, double width, double height, String title) {}

    public record Link(String name, String href, boolean current) {}

    /**
     * The first rows of a split, framed in the dataset's card page as on the Hub: the split's links (which stay in
     * the frame), the rows, and how many there are; or why there are none.
     */
    public record Preview(String viewerUrl, List<Link> splits, @Nullable String split, List<String> columns,
                          List<List<Cell>> rows, long total, @Nullable String problem) {}

    /**
     * A cell as shown: its text; or its images or sounds (one, or a list's), with a note after them when the list
     * holds more than are shown.
     */
    public record Cell(String text, List<Media> media) {}

    /**
     * An image or a sound in a cell: where to fetch it (a large image as a small rendition), the text that describes
     * it (an image's alt text), and where the whole of it is.
     */
    public record Media(String url, String text, boolean image, String full) {}

    /** The most images or sounds of one list a page shows. */
    private static final int MEDIA_PER_CELL = 8;

    private static final String GATED = "The rows of a gated dataset are shown to those its owners let in.";
    private static final String NO_DATA =
            "No data files the viewer reads (Parquet, CSV, TSV, JSON Lines, text) on main.";

    /** Rows in the card page's preview. */
    private static final int PREVIEW_ROWS = 10;

    /** Cells longer than this are cut in the preview, whose columns share the card's width. */
    private static final int PREVIEW_CELL = 120;

    /** A summary draws at most this many of a label column's values. */
    private static final int SHOWN_LABELS = 10;

    /** Cells longer than this are cut on the page (the API gives them whole). */
    private static final int CELL = 300;

    private final Pages pages;
    private final RepoAccess access;
    private final DatasetViewer viewer;
    private final ParquetExports exports;

    ViewerPages(Pages pages, RepoAccess access, DatasetViewer viewer, ParquetExports exports) {
        this.pages = pages;
        this.access = access;
        this.viewer = viewer;
        this.exports = exports;
    }

    void register(RoutesConfig routes) {
        RepoRoutes.add(routes, HandlerType.GET, "/viewer",
                (ctx, t, ns, n) -> pages.run(ctx, () -> page(ctx, t, ns, n)));
        RepoRoutes.add(routes, HandlerType.GET, "/viewer/preview",
                (ctx, t, ns, n) -> pages.run(ctx, () -> preview(ctx, t, ns, n)));
    }

    /**
     * Where the card page frames a preview of {@code repo}'s rows: a dataset with a split, for a visitor who may read
     * its rows. The rows come in a request of their own, so a large split being copied for the viewer never holds up
     * the card.
     */
    /** How to read the dataset's rows with pandas, for a visitor who may read them; empty when it has no table. */
    Optional<RepoViews.Snippet> pandasSnippet(Repo repo, RepoViews.Header header) throws IOException {
        if (repo.type() != RepoType.DATASET || !header.canDownload()) {
            return Optional.empty();
        }
        return viewer.snapshot(repo).flatMap(s -> PandasSnippet.of(repo.repoId().toString(), s.configs()))
                .map(code -> new RepoViews.Snippet("pandas", code));
    }

    Optional<String> previewUrl(Repo repo, RepoViews.Header header) throws IOException {
        if (repo.type() != RepoType.DATASET || !header.canDownload()) {
            return Optional.empty();
        }
        boolean anySplit = viewer.snapshot(repo)
                .map(s -> s.configs().stream().anyMatch(c -> !c.splits().isEmpty())).orElse(false);
        return anySplit ? Optional.of(header.base() + "/viewer/preview") : Optional.empty();
    }

    private void preview(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = dataset(ctx, type, namespace, name);
        // Not the tabs' header: a frame needs only whether the rows may be shown (likes, counts, clone commands not).
        boolean canDownload = access.canDownload(ctx, repo);
        String viewerUrl = "/" + repo.type().urlPrefix() + repo.repoId() + "/viewer";
        Preview preview;
        Optional<DatasetViewer.Snapshot> snapshot = canDownload ? viewer.snapshot(repo) : Optional.empty();
        DataConfigs.Config config = snapshot.flatMap(s -> s.configs().stream().filter(c -> !c.splits().isEmpty())
                .findFirst()).orElse(null);
        if (!canDownload) {
            preview = new Preview(viewerUrl, List.of(), null, List.of(), List.of(), 0, GATED);
        } else if (config == null) {
            preview = new Preview(viewerUrl, List.of(), null, List.of(), List.of(), 0, NO_DATA);
        } else {
            String chosen = config.splits().stream().map(DataFiles.Split::name)
                    .filter(n -> n.equals(ctx.queryParam("split"))).findFirst()
                    .orElse(config.splits().get(0).name());
            List<Link> splits = config.splits().stream().map(s -> new Link(s.name(),
                    "?split=" + Urls.query(s.name()), s.name().equals(chosen))).toList();
            String splitUrl = viewerUrl + "?config=" + Urls.query(config.name()) + "&split=" + Urls.query(chosen);
            try {
                DatasetViewer.Rows rows = viewer.rows(repo, snapshot.get(), config.name(), chosen, 0, PREVIEW_ROWS);
                List<List<Cell>> cells = cells(repo, config.name(), chosen, rows, PREVIEW_CELL);
                preview = new Preview(splitUrl, splits, chosen, rows.columns().stream().map(c -> c.name()).toList(),
                        cells, rows.total(), null);
            } catch (HubException e) {
                preview = new Preview(splitUrl, splits, chosen, List.of(), List.of(), 0, e.getMessage());
            }
        }
        Map<String, Object> params = new HashMap<>();
        params.put("title", "Preview · " + repo.repoId());
        params.put("preview", preview);
        pages.renderFramed(ctx, "repo/preview.jte", params);
    }

    private Repo dataset(Context ctx, RepoType type, String namespace, String name) {
        if (type != RepoType.DATASET) {
            throw new Errors.NotFound("Only datasets have a viewer");
        }
        return access.load(ctx, type, namespace, name);
    }

    private void page(Context ctx, RepoType type, String namespace, String name) throws IOException {
        Repo repo = dataset(ctx, type, namespace, name);
        RepoViews.Header header = access.header(ctx, repo, "viewer", "main");
        String base = header.base() + "/viewer";
        Optional<DatasetViewer.Snapshot> snapshot = header.canDownload() ? viewer.snapshot(repo) : Optional.empty();
        List<DataConfigs.Config> configs = snapshot.map(DatasetViewer.Snapshot::configs).orElse(List.of());
        DataConfigs.Config config = configs.stream().filter(c -> c.name().equals(ctx.queryParam("config")))
                .findFirst().orElse(configs.isEmpty() ? null : configs.get(0));
        List<DataFiles.Split> splits = config == null ? List.of() : config.splits();
        String chosen = Optional.ofNullable(ctx.queryParam("split"))
                .orElse(splits.isEmpty() ? null : splits.get(0).name());
        long offset = parseOffset(ctx.queryParam("offset"));
        String search = Optional.ofNullable(ctx.queryParam("search")).map(String::strip).filter(q -> !q.isEmpty())
                .map(q -> q.length() > 200 ? q.substring(0, 200) : q).orElse(null);
        String where = search != null ? null : Optional.ofNullable(ctx.queryParam("where")).map(String::strip)
                .filter(q -> !q.isEmpty()).orElse(null);
        List<Link> configLinks = configs.size() < 2 ? List.of() : configs.stream().map(c -> new Link(c.name(),
                base + "?config=" + Urls.query(c.name()), c == config)).toList();
        String configQuery = config == null ? "" : "?config=" + Urls.query(config.name()) + "&split=";
        List<Link> links = splits.stream().map(s -> new Link(s.name(), base + configQuery + Urls.query(s.name()),
                s.name().equals(chosen))).toList();
        ViewerPage page;
        if (!header.canDownload()) {
            page = empty(header, configLinks, links, GATED);
        } else if (splits.isEmpty()) {
            page = empty(header, configLinks, links, NO_DATA);
        } else {
            try {
                DatasetViewer.Rows rows;
                String filterError = null;
                if (search != null) {
                    rows = viewer.search(repo, snapshot.get(), config.name(), chosen, search, offset,
                            DatasetViewer.MAX_PAGE);
                } else if (where != null) {
                    try {
                        rows = viewer.filter(repo, snapshot.get(), config.name(), chosen, where, null, offset,
                                DatasetViewer.MAX_PAGE);
                    } catch (RowFilter.InvalidFilter e) {
                        filterError = e.getMessage();
                        rows = viewer.rows(repo, snapshot.get(), config.name(), chosen, 0, 0);
                    }
                } else {
                    rows = viewer.rows(repo, snapshot.get(), config.name(), chosen, offset, DatasetViewer.MAX_PAGE);
                }
                List<List<Cell>> cells = cells(repo, config.name(), chosen, rows, CELL);
                String at = base + configQuery + Urls.query(chosen)
                        + (search == null ? "" : "&search=" + Urls.query(search))
                        + (where == null ? "" : "&where=" + Urls.query(where)) + "&offset=";
                long end = rows.offset() + rows.rows().size();
                List<String> columns = rows.columns().stream().map(c -> c.name()).toList();
                page = new ViewerPage(header, configLinks, links, config.name(), chosen, search, where, filterError,
                        columns, cells, rows.indexes(),
                        rows.offset(), rows.total(), null,
                        rows.offset() > 0 ? at + Math.max(0, rows.offset() - DatasetViewer.MAX_PAGE) : null,
                        end < rows.total() ? at + end : null,
                        summaries(columns, viewer.statistics(repo, snapshot.get(), config.name(), chosen)),
                        parquetLink(repo, header, snapshot.get(), config), rows.split().isTable(), rows.partial());
            } catch (HubException e) {
                if (e.status() == 404) {
                    throw e;
                }
                page = empty(header, configLinks, links, e.getMessage());
            }
        }
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Viewer · " + repo.repoId()));
        params.put("page", page);
        pages.render(ctx, 200, "repo/viewer.jte", params);
    }

    private static ViewerPage empty(RepoViews.Header header, List<Link> configs, List<Link> splits, String problem) {
        return new ViewerPage(header, configs, splits, null, null, null, null, null, List.of(), List.of(), List.of(),
                0, 0, problem, null, null, List.of(), null, false, false);
    }

    /**
     * Where the Parquet export is, once made from the head shown with files in it (as the Hub's "Auto-converted to
     * Parquet"), with the shown config's sizes: its export's and its data files'; while it is made, a note without a
     * link.
     */
    private @Nullable Link parquetLink(Repo repo, RepoViews.Header header, DatasetViewer.Snapshot snapshot,
                                       DataConfigs.Config config) throws IOException {
        Optional<ParquetExports.Status> status = exports.status(repo);
        if (status.isPresent() && status.get() instanceof ParquetExports.Ready ready && !ready.files().isEmpty()) {
            long original = snapshot.bytes(config.splits().stream().flatMap(split -> split.files().stream()).toList());
            return new Link("Auto-converted to Parquet: " + Numbers.bytes(ready.bytes(config.name(), null))
                    + ", from " + Numbers.bytes(original) + " of data files",
                    header.base() + "/tree/refs%2Fconvert%2Fparquet", false);
        }
        return status.isPresent() && status.get() instanceof ParquetExports.Pending
                ? new Link("Converting to Parquet…", "", false) : null;
    }

    /** One summary per column, in the table's order. */
    private static List<ColumnSummary> summaries(List<String> columns, SplitStatistics.Result statistics) {
        Map<String, SplitStatistics.Column> byName = new HashMap<>();
        statistics.columns().forEach(c -> byName.put(c.name(), c));
        return columns.stream().map(name -> Optional.ofNullable(byName.get(name)).map(ViewerPages::summary)
                .orElse(ColumnSummary.none())).toList();
    }

    private static ColumnSummary summary(SplitStatistics.Column column) {
        String kind = column.kind().wireName().replace('_', ' ');
        String missing = column.nanCount() == 0 ? "" : " · " + percent(column.nanProportion()) + " missing";
        if (column.frequencies() != null) {
            long total = column.frequencies().values().stream().mapToLong(Long::longValue).sum();
            List<Map.Entry<String, Long>> shown = column.frequencies().entrySet().stream().limit(SHOWN_LABELS).toList();
            long most = shown.stream().mapToLong(Map.Entry::getValue).max().orElse(1);
            List<Bar> bars = new ArrayList<>();
            double width = 100.0 / Math.max(1, shown.size());
            for (int i = 0; i < shown.size(); i++) {
                Map.Entry<String, Long> e = shown.get(i);
                bars.add(new Bar(i * width, width, height(e.getValue(), most), e.getKey() + ": " + e.getValue()
                        + " (" + percent((double) e.getValue() / total) + ")"));
            }
            String text = column.kind() == SplitStatistics.Kind.BOOL
                    ? percent(total == 0 ? 0 : (double) column.frequencies().getOrDefault("True", 0L) / total) + " true"
                    : column.frequencies().size() + (column.frequencies().size() == 1 ? " value" : " values");
            return new ColumnSummary(kind, text + missing, bars);
        }
        SplitStatistics.Numbers n = column.numbers();
        if (n == null) {
            return new ColumnSummary(kind, "all missing", List.of());
        }
        String of = switch (column.kind()) {
            case STRING_TEXT -> " characters";
            case LIST -> " items";
            default -> "";
        };
        long most = n.hist().stream().mapToLong(Long::longValue).max().orElse(1);
        List<Bar> bars = new ArrayList<>();
        double width = 100.0 / n.hist().size();
        for (int i = 0; i < n.hist().size(); i++) {
            bars.add(new Bar(i * width, width, height(n.hist().get(i), most), n.binEdges().get(i) + " – "
                    + n.binEdges().get(i + 1) + of + ": " + n.hist().get(i)));
        }
        return new ColumnSummary(kind, n.min() + " – " + n.max() + of + missing, bars);
    }

    /** A bar's height of the 24-unit drawing; any count above zero shows. */
    private static double height(long count, long most) {
        return count == 0 ? 0 : Math.max(1.5, 24.0 * count / Math.max(1, most));
    }

    private static String percent(double share) {
        double p = share * 100;
        return (p == Math.rint(p) ? String.valueOf((long) p) : String.format(java.util.Locale.ROOT, "%.1f", p)) + "%";
    }

    private static long parseOffset(@Nullable String text) {
        try {
            return text == null ? 0 : Math.max(0, Long.parseLong(text));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The rows' cells, texts cut at {@code length}; images and sounds by their URL, which reads them with the page's
     * rights.
     */
    private static List<List<Cell>> cells(Repo repo, String config, String split, DatasetViewer.Rows rows,
                                          int length) {
        String assets = "/datasets-server/asset?dataset=" + Urls.query(repo.repoId().toString()) + "&config="
                + Urls.query(config) + "&split=" + Urls.query(split);
        List<List<Cell>> cells = new ArrayList<>();
        for (int r = 0; r < rows.rows().size(); r++) {
            List<Object> row = rows.rows().get(r);
            List<Cell> shown = new ArrayList<>(row.size());
            for (int c = 0; c < row.size(); c++) {
                Object value = row.get(c);
                String url = assets + "&row=" + rows.indexes().get(r) + "&column="
                        + Urls.query(rows.columns().get(c).name());
                if (value instanceof DuckTables.MediaCell cell) {
                    shown.add(new Cell("", List.of(media(cell.media(), url))));
                } else if (value instanceof List<?> items && items.stream()
                        .anyMatch(DuckTables.MediaCell.class::isInstance)) {
                    List<Media> media = new ArrayList<>();
                    for (int i = 0; i < Math.min(items.size(), MEDIA_PER_CELL); i++) {
                        if (items.get(i) instanceof DuckTables.MediaCell cell) {
                            media.add(media(cell.media(), url + "&item=" + i));
                        }
                    }
                    shown.add(new Cell(items.size() > media.size() ? "and " + (items.size() - media.size())
                            + " more" : "", media));
                } else {
                    String label = label(rows.features().get(rows.columns().get(c).name()), value);
                    String text = label != null ? label : value == null ? "" : value instanceof String s ? s
                            : dev.atrium.http.Json.MAPPER.valueToTree(value).toString();
                    shown.add(new Cell(cut(text, length), List.of()));
                }
            }
            cells.add(shown);
        }
        return cells;
    }

    private static Media media(MediaHeader media, String url) {
        return media.isImage() ? new Media(Thumbnails.wanted(media) ? url + "&thumb=1" : url,
                media.width() + " × " + media.height() + " image", true, url)
                : new Media(url, media.mime().substring("audio/".length()).toUpperCase(Locale.ROOT) + " sound", false,
                        url);
    }

    /** A class label's name, as the Hub shows a {@code ClassLabel} column; null for other columns and values. */
    private static @Nullable String label(@Nullable JsonNode feature, @Nullable Object value) {
        if (feature == null || !"ClassLabel".equals(feature.path("_type").asText()) || !(value instanceof Number n)) {
            return null;
        }
        JsonNode name = feature.path("names").path(n.intValue());
        return name.isTextual() && n.longValue() == n.intValue() ? name.asText() : null;
    }

    private static String cut(String text, int length) {
        return text.length() > length ? text.substring(0, length) + "…" : text;
    }
}
