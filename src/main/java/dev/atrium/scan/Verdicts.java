package dev.atrium.scan;

import java.util.Map;
import java.util.Set;

/**
 * The stored verdicts of one kind of scan for some files, by content; {@code stale}: those marked for a rescan
 * ({@code atrium admin rescan}), still shown until replaced.
 */
public record Verdicts<R>(Map<ScanKey, R> byKey, Set<ScanKey> stale) {
    /** Whether the file has a verdict that is not waiting for a rescan. */
    boolean current(ScanKey key) {
        return byKey.containsKey(key) && !stale.contains(key);
    }
}
