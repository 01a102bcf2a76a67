package dev.atrium.scan;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pickle scans (what a file's pickles would import when loaded) of files whose names say they may hold pickles
 * (PyTorch's {@code .bin}, {@code .pt}, {@code .pkl}...), kept in {@code pickle_scans}. Never unpickles anything.
 */
public final class PickleScans implements FileScan {
    private static final Logger LOG = LoggerFactory.getLogger(PickleScans.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Files stored in git itself are scanned up to this size; the upload rules send larger ones to LFS anyway. */
    private static final long MAX_GIT_BLOB = 64L << 20;

    private final Jdbi jdbi;
    private final Clock clock;

    public PickleScans(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** {@code atrium admin rescan}: every verdict is kept until this scan has run again on its file. */
    public static int markStale(Jdbi jdbi) {
        return ScanLookups.markStale(jdbi, "pickle_scans", "pickle");
    }

    @Override
    public String kind() {
        return "pickle";
    }

    @Override
    public boolean wants(String path, long size, boolean inGit) {
        return PickleScanner.wanted(path) && (!inGit || size <= MAX_GIT_BLOB);
    }

    @Override
    public Set<ScanKey> scanned(Collection<ScanKey> keys) {
        return ScanLookups.current(jdbi, "pickle_scans", keys);
    }

    /** The stored results for these files; files not scanned (yet) are absent. */
    public Verdicts<PickleScanner.Result> results(Collection<ScanKey> keys) {
        Map<ScanKey, PickleScanner.Result> out = new HashMap<>();
        Set<ScanKey> stale = new HashSet<>();
        ScanLookups.inBatches(keys, batch -> jdbi.useHandle(h -> h.createQuery("""
                        SELECT content_key, highest, imports_json, problem, stale FROM pickle_scans
                        WHERE content_key IN (<keys>)""")
                .bindList("keys", batch)
                .map((rs, ctx) -> {
                    ScanKey key = new ScanKey(rs.getString(1));
                    if (rs.getBoolean(5)) {
                        stale.add(key);
                    }
                    return Map.entry(key, new PickleScanner.Result(ImportSafety.parse(rs.getString(2)),
                            imports(rs.getString(3)), rs.getString(4)));
                })
                .forEach(e -> out.put(e.getKey(), e.getValue()))));
        return new Verdicts<>(out, stale);
    }

    @Override
    public void scanAndStore(ScanKey key, String path, ByteSource bytes) throws IOException {
        long started = System.nanoTime();
        PickleScanner.Result result = PickleScanner.scan(path, bytes);
        String importsJson = JSON.writeValueAsString(result.imports().stream().map(f -> Map.of("module", f.module(),
                "name", f.name(), "safety", f.safety().wireName())).toList());
        String problem = result.problem() == null ? null
                : result.problem().substring(0, Math.min(500, result.problem().length()));
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO pickle_scans (content_key, highest, imports_json, problem, scanned_at)
                        VALUES (:key, :highest, :imports, :problem, :now) ON CONFLICT (content_key) DO UPDATE
                        SET highest = excluded.highest, imports_json = excluded.imports_json,
                            problem = excluded.problem, scanned_at = excluded.scanned_at, stale = FALSE""")
                .bind("key", key.id()).bind("highest", result.highest().wireName()).bind("imports", importsJson)
                .bind("problem", problem).bind("now", clock.millis()).execute());
        if (result.highest() != ImportSafety.INNOCUOUS) {
            LOG.info("Pickle scan of {} ({}): {} ({} imports{}) in {} ms", path, key.id(),
                    result.highest().wireName(), result.imports().size(),
                    problem == null ? "" : "; " + problem, (System.nanoTime() - started) / 1_000_000);
        }
    }

    private static List<PickleScanner.Found> imports(String json) {
        try {
            List<Map<String, String>> list = JSON.readValue(json, new TypeReference<>() {});
            return list.stream().map(m -> new PickleScanner.Found(m.get("module"), m.get("name"),
                    ImportSafety.parse(m.get("safety")))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("unreadable scan result", e);
        }
    }
}
