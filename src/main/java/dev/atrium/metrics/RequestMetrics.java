package dev.atrium.metrics;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many requests each route answered, with which status, and how long they took: by the route's pattern
 * ({@code /api/{type}/{ns}/{name}}), not its path, so that the series stay as few as the routes.
 */
public final class RequestMetrics {
    /** Upper bounds of the duration buckets, in seconds: from a cached page to a multi-GB upload. */
    static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};
    /** What a request that matched no route is counted under. */
    static final String UNMATCHED = "unmatched";

    private record Key(String method, String route) {}

    private record Key3(String method, String route, int status) {}

    /** One route's durations: a count per bucket (not cumulative; summed when written), their sum and count. */
    private static final class Durations {
        final LongAdder[] buckets = new LongAdder[BUCKETS.length];
        final DoubleAdder sum = new DoubleAdder();
        final LongAdder count = new LongAdder();

        Durations() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }
    }

    private final Map<Key3, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<Key, Durations> durations = new ConcurrentHashMap<>();

    /** Counts one answered request; {@code route} null when it matched none. */
    public void record(String method, String route, int status, double seconds) {
        String counted = route == null ? UNMATCHED : route;
        requests.computeIfAbsent(new Key3(method, counted, status), k -> new LongAdder()).increment();
        Durations d = durations.computeIfAbsent(new Key(method, counted), k -> new Durations());
        for (int i = 0; i < BUCKETS.length; i++) {
            if (seconds <= BUCKETS[i]) {
                d.buckets[i].increment();
                break;
            }
        }
        d.sum.add(seconds);
        d.count.increment();
    }

    void writeTo(MetricsText text) {
        text.metric("atrium_http_requests_total", "counter", "HTTP requests answered, by method, route and status");
        requests.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<Key3, LongAdder> e) -> e.getKey().route())
                        .thenComparing(e -> e.getKey().method()).thenComparing(e -> e.getKey().status()))
                .forEach(e -> text.sample("atrium_http_requests_total", MetricsText.labels("method",
                        e.getKey().method(), "route", e.getKey().route(), "status",
                        String.valueOf(e.getKey().status())), e.getValue().sum()));
        text.metric("atrium_http_request_duration_seconds", "histogram",
                "Time from a request's arrival to the end of its answer, by method and route");
        durations.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<Key, Durations> e) -> e.getKey().route())
                        .thenComparing(e -> e.getKey().method()))
                .forEach(e -> {
                    String method = e.getKey().method();
                    String route = e.getKey().route();
                    Durations d = e.getValue();
                    long cumulative = 0;
                    for (int i = 0; i < BUCKETS.length; i++) {
                        cumulative += d.buckets[i].sum();
                        text.sample("atrium_http_request_duration_seconds_bucket", MetricsText.labels("method",
                                method, "route", route, "le", MetricsText.number(BUCKETS[i])), cumulative);
                    }
                    // Read after the buckets: a request counted between the two reads must not make +Inf smaller.
                    long count = Math.max(d.count.sum(), cumulative);
                    text.sample("atrium_http_request_duration_seconds_bucket", MetricsText.labels("method", method,
                            "route", route, "le", "+Inf"), count);
                    text.sample("atrium_http_request_duration_seconds_sum", MetricsText.labels("method", method,
                            "route", route), d.sum.sum());
                    text.sample("atrium_http_request_duration_seconds_count", MetricsText.labels("method", method,
                            "route", route), count);
                });
    }
}
