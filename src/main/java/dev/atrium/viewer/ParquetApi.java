package dev.atrium.viewer;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import dev.atrium.viewer.ParquetExports.ExportedFile;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a dataset's Parquet export is, in the Hub's two shapes: the dataset viewer's {@code /parquet} (every file with
 * its size and resolve URL on {@code refs/convert/parquet}, and what is pending or failed) and the Hub's
 * {@code /api/datasets/{id}/parquet[/{config}[/{split}[/{n}.parquet]]]} (URLs by config and split; the last redirects
 * to the file). Reading it needs what downloading the dataset's files needs. And {@code /size}: per split, config and
 * dataset, the bytes of the data files, of their Parquet export, and the rows and columns exported.
 */
public final class ParquetApi {
    private static final Pattern SHARD = Pattern.compile("(0|[1-9][0-9]{0,3})\\.parquet");

    private final RepoLookup lookup;
    private final ParquetExports exports;
    private final DatasetViewer viewer;
    private final BaseUrl baseUrl;

    public ParquetApi(RepoLookup lookup, ParquetExports exports, DatasetViewer viewer, BaseUrl baseUrl) {
        this.lookup = lookup;
        this.exports = exports;
        this.viewer = viewer;
        this.baseUrl = baseUrl;
    }

    public void register(RoutesConfig routes) {
        routes.get("/datasets-server/parquet", this::viewerList);
        routes.get("/datasets-server/size", this::size);
        routes.get("/api/datasets/{namespace}/{name}/parquet", ctx -> hubList(ctx, null, null));
        routes.get("/api/datasets/{namespace}/{name}/parquet/{config}",
                ctx -> hubList(ctx, ctx.pathParam("config"), null));
        routes.get("/api/datasets/{namespace}/{name}/parquet/{config}/{split}",
                ctx -> hubList(ctx, ctx.pathParam("config"), ctx.pathParam("split")));
        routes.get("/api/datasets/{namespace}/{name}/parquet/{config}/{split}/{shard}", this::shard);
    }

    private void viewerList(Context ctx) throws IOException {
        Repo repo = ViewerApi.dataset(lookup, ctx, AccessPolicy.Action.DOWNLOAD);
        String config = ctx.queryParam("config");
        ParquetExports.Status status = status(repo);
        ctx.header("X-Revision", status.source());
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode files = out.putArray("parquet_files");
        ArrayNode pending = out.putArray("pending");
        ArrayNode failed = out.putArray("failed");
        String dataset = repo.repoId().toString();
        if (status instanceof ParquetExports.Ready ready) {
            for (ExportedFile file : ready.files()) {
                if (config == null || config.equals(file.config())) {
                    files.addObject().put("dataset", dataset).put("config", file.config())
                            .put("split", file.split()).put("url", url(ctx, repo, file.path()))
                            .put("filename", file.path().substring(file.path().lastIndexOf('/') + 1))
                            .put("size", file.size());
                }
            }
            for (ParquetExports.Skipped skipped : ready.skipped()) {
                if (config == null || config.equals(skipped.config())) {
                    failed.addObject().put("dataset", dataset).put("config", skipped.config())
                            .put("split", skipped.split()).put("error", skipped.reason());
                }
            }
        } else if (status instanceof ParquetExports.Failed f) {
            splits(repo, config, failed, f.reason());
        } else if (status instanceof ParquetExports.Pending) {
            splits(repo, config, pending, null);
        }
        out.put("partial", status instanceof ParquetExports.Ready ready
                && ready.files().stream().anyMatch(ExportedFile::partial));
        Json.send(ctx, out);
    }

    /** One split's or a sum's figures in {@code /size}. */
    private record Sizes(long originalBytes, long parquetBytes, long rows, int columns) {
        Sizes plus(Sizes other) {
            return new Sizes(originalBytes + other.originalBytes, parquetBytes + other.parquetBytes,
                    rows + other.rows, Math.max(columns, other.columns));
        }

        ObjectNode into(ObjectNode node, boolean withOriginal, boolean withColumns) {
            if (withOriginal) {
                node.put("num_bytes_original_files", originalBytes);
            }
            node.put("num_bytes_parquet_files", parquetBytes).put("num_rows", rows);
            return withColumns ? node.put("num_columns", columns) : node;
        }
    }

    /**
     * {@code /size?dataset=[&config=]}, in the public viewer's shape, from the export of main's head: the data files'
     * bytes (the dataset's counts each file once, though several configs may read it), the exported Parquet files' bytes,
     * and the rows and columns the viewer reads (the export holds exactly those). The Hub's
     * {@code num_bytes_memory} (the size as Arrow tables in memory) is not given: only the datasets library knows it.
     */
    private void size(Context ctx) throws IOException {
        Repo repo = ViewerApi.dataset(lookup, ctx, AccessPolicy.Action.DOWNLOAD);
        String only = ctx.queryParam("config");
        ParquetExports.Ready ready = ready(repo);
        ctx.header("X-Revision", ready.source());
        DatasetViewer.Snapshot snapshot = viewer.snapshot(repo).orElseThrow();
        if (only != null && snapshot.config(only).isEmpty()) {
            throw new Errors.NotFound("The dataset has no config '" + only + "'");
        }
        String dataset = repo.repoId().toString();
        ObjectNode out = Json.MAPPER.createObjectNode();
        ObjectNode size = out.putObject("size");
        ArrayNode configs = Json.MAPPER.createArrayNode();
        ArrayNode splits = Json.MAPPER.createArrayNode();
        ArrayNode failed = Json.MAPPER.createArrayNode();
        Sizes total = new Sizes(0, 0, 0, 0);
        java.util.Set<String> read = new java.util.HashSet<>();
        for (DataConfigs.Config config : snapshot.configs()) {
            if (only != null && !only.equals(config.name())) {
                continue;
            }
            Sizes sum = new Sizes(0, 0, 0, 0);
            boolean sized = false;
            for (DataFiles.Split split : config.splits()) {
                java.util.Optional<ParquetExports.Skipped> skipped = ready.skipped().stream()
                        .filter(k -> k.config().equals(config.name()) && k.split().equals(split.name())).findFirst();
                if (skipped.isPresent()) {
                    failed.addObject().put("dataset", dataset).put("config", config.name())
                            .put("split", split.name()).put("error", skipped.get().reason());
                    continue;
                }
                read.addAll(split.files());
                DatasetViewer.Rows first = viewer.rows(repo, snapshot, config.name(), split.name(), 0, 1);
                Sizes one = new Sizes(snapshot.bytes(split.files()), ready.bytes(config.name(), split.name()),
                        first.total(), first.columns().size());
                one.into(splits.addObject().put("dataset", dataset).put("config", config.name())
                        .put("split", split.name()), false, true);
                sum = sum.plus(one);
                sized = true;
            }
            if (sized) { // a config whose every split was left out has no figures, only its failures
                sum.into(configs.addObject().put("dataset", dataset).put("config", config.name()), true, true);
            }
            total = total.plus(new Sizes(0, sum.parquetBytes(), sum.rows(), 0));
        }
        // The dataset's files once each, though several configs may read the same ones.
        total = total.plus(new Sizes(snapshot.bytes(read), 0, 0, 0));
        if (only == null) {
            total.into(size.putObject("dataset").put("dataset", dataset), true, false);
            size.set("configs", configs);
        } else if (configs.isEmpty()) {
            throw new Errors.NotFound("No split of the config '" + only + "' was exported: "
                    + failed.get(0).path("error").asText());
        } else {
            size.set("config", configs.get(0));
        }
        size.set("splits", splits);
        out.putArray("pending");
        out.set("failed", failed);
        out.put("partial", ready.files().stream().anyMatch(ExportedFile::partial));
        Json.send(ctx, out);
    }

    /** The splits of the snapshot an export waits for or failed on, one entry each. */
    private void splits(Repo repo, @Nullable String config, ArrayNode into, @Nullable String error)
            throws IOException {
        DatasetViewer.Snapshot snapshot = viewer.snapshot(repo).orElseThrow();
        for (DataConfigs.Config c : snapshot.configs()) {
            for (DataFiles.Split split : c.splits()) {
                if (config == null || config.equals(c.name())) {
                    ObjectNode entry = into.addObject().put("dataset", repo.repoId().toString())
                            .put("config", c.name()).put("split", split.name());
                    if (error != null) {
                        entry.put("error", error);
                    }
                }
            }
        }
    }

    private void hubList(Context ctx, @Nullable String config, @Nullable String split) throws IOException {
        Repo repo = load(ctx);
        List<ExportedFile> files = ready(repo).files();
        Map<String, Map<String, List<String>>> byConfig = new LinkedHashMap<>();
        for (ExportedFile file : files) {
            byConfig.computeIfAbsent(file.config(), c -> new LinkedHashMap<>())
                    .computeIfAbsent(file.split(), s -> new java.util.ArrayList<>())
                    .add(apiUrl(ctx, repo, file));
        }
        if (config == null) {
            Json.send(ctx, byConfig);
            return;
        }
        Map<String, List<String>> splits = byConfig.get(config);
        if (splits == null) {
            throw new Errors.NotFound("The Parquet export has no config '" + config + "'");
        }
        if (split == null) {
            Json.send(ctx, splits);
            return;
        }
        List<String> urls = splits.get(split);
        if (urls == null) {
            throw new Errors.NotFound("The Parquet export has no split '" + split + "' in config '" + config + "'");
        }
        Json.send(ctx, urls);
    }

    /** {@code /parquet/{config}/{split}/{n}.parquet}: a redirect to shard {@code n}'s file on the export's ref. */
    private void shard(Context ctx) throws IOException {
        Repo repo = load(ctx);
        Matcher shard = SHARD.matcher(ctx.pathParam("shard"));
        if (!shard.matches()) {
            throw new Errors.NotFound("Shards are named like 0.parquet");
        }
        String path = ctx.pathParam("config") + "/" + ctx.pathParam("split") + "/"
                + String.format("%04d.parquet", Integer.parseInt(shard.group(1)));
        boolean exists = ready(repo).files().stream().anyMatch(f -> f.path().equals(path));
        if (!exists) {
            throw new Errors.NotFound("The Parquet export has no file " + path);
        }
        ctx.redirect(url(ctx, repo, path), io.javalin.http.HttpStatus.FOUND);
    }

    private Repo load(Context ctx) {
        return lookup.load(ctx, RepoType.DATASET, ctx.pathParam("namespace"), ctx.pathParam("name"),
                AccessPolicy.Action.DOWNLOAD);
    }

    private ParquetExports.Status status(Repo repo) throws IOException {
        return exports.status(repo).orElseThrow(() -> new Errors.NotFound("The dataset has no commit yet"));
    }

    private ParquetExports.Ready ready(Repo repo) throws IOException {
        ParquetExports.Status status = status(repo);
        if (status instanceof ParquetExports.Ready ready) {
            return ready;
        }
        if (status instanceof ParquetExports.Failed failed) {
            throw new ViewerErrors.ExportFailed(failed.reason());
        }
        if (status instanceof ParquetExports.NothingToExport) {
            throw new Errors.NotFound("The dataset has no data files to export to Parquet on main");
        }
        throw new ViewerErrors.ExportNotReady();
    }

    private String url(Context ctx, Repo repo, String path) {
        return baseUrl.of(ctx) + "/datasets/" + repo.repoId() + "/resolve/refs%2Fconvert%2Fparquet/" + path;
    }

    private String apiUrl(Context ctx, Repo repo, ExportedFile file) {
        String name = file.path().substring(file.path().lastIndexOf('/') + 1);
        int n = Integer.parseInt(name.substring(0, name.indexOf('.')));
        return baseUrl.of(ctx) + "/api/datasets/" + repo.repoId() + "/parquet/" + file.config() + "/" + file.split()
                + "/" + n + ".parquet";
    }
}
