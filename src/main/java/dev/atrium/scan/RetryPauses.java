package dev.atrium.scan;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Things whose last attempt failed, each left alone for a pause before it is tried again. Only pauses still running
 * are kept, so the map never grows past the failures of one pause.
 */
final class RetryPauses<K> {
    private final Clock clock;
    private final long pauseMillis;
    private final Map<K, Long> failedAt = new ConcurrentHashMap<>();

    RetryPauses(Clock clock, Duration pause) {
        this.clock = clock;
        this.pauseMillis = pause.toMillis();
    }

    /** Whether {@code key} failed less than a pause ago. */
    boolean paused(K key) {
        Long failed = failedAt.get(key);
        return failed != null && clock.millis() - failed < pauseMillis;
    }

    void failed(K key) {
        long now = clock.millis();
        failedAt.values().removeIf(at -> now - at >= pauseMillis);
        failedAt.put(key, now);
    }

    void succeeded(K key) {
        failedAt.remove(key);
    }

    int size() {
        return failedAt.size();
    }
}
