package dev.atrium.scan;

import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/** Stored results looked up by key, in batches. */
final class ScanLookups {
    /** A revision can hold more files than PostgreSQL takes parameters in one statement (65,535). */
    private static final int BATCH = 500;

    private ScanLookups() {}

    static void inBatches(Collection<ScanKey> keys, Consumer<List<String>> lookup) {
        List<String> ids = keys.stream().map(ScanKey::id).distinct().toList();
        for (int from = 0; from < ids.size(); from += BATCH) {
            lookup.accept(ids.subList(from, Math.min(ids.size(), from + BATCH)));
        }
    }
}
