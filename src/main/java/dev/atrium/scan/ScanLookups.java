package dev.atrium.scan;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Stored results looked up by key, in batches. */
final class ScanLookups {
    /** A revision can hold more files than PostgreSQL takes parameters in one statement (65,535). */
    private static final int BATCH = 500;

    private ScanLookups() {}

    /** The keys among {@code keys} with a verdict in {@code table} that is not marked for a rescan. */
    static Set<ScanKey> current(Jdbi jdbi, String table, Collection<ScanKey> keys) {
        Set<ScanKey> out = new HashSet<>();
        inBatches(keys, batch -> jdbi.useHandle(h -> h.createQuery(
                        "SELECT content_key FROM " + table + " WHERE NOT stale AND content_key IN (<keys>)")
                .bindList("keys", batch)
                .map((rs, ctx) -> new ScanKey(rs.getString(1)))
                .forEach(out::add)));
        return out;
    }

    /**
     * Marks every verdict of {@code table} for a rescan and forgets which repos the start-up pass walked for
     * {@code kind}, so the next start scans every file again; verdicts stay shown until replaced. Returns how many.
     */
    static int markStale(Jdbi jdbi, String table, String kind) {
        return jdbi.inTransaction(h -> markStale(h, table, kind));
    }

    /** {@link #markStale(Jdbi, String, String)} inside the caller's transaction. */
    static int markStale(Handle h, String table, String kind) {
        int marked = h.createUpdate("UPDATE " + table + " SET stale = TRUE").execute();
        h.createUpdate("DELETE FROM scan_walks WHERE kind = :kind").bind("kind", kind).execute();
        return marked;
    }

    static void inBatches(Collection<ScanKey> keys, Consumer<List<String>> lookup) {
        List<String> ids = keys.stream().map(ScanKey::id).distinct().toList();
        for (int from = 0; from < ids.size(); from += BATCH) {
            lookup.accept(ids.subList(from, Math.min(ids.size(), from + BATCH)));
        }
    }
}
