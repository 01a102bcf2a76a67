package dev.atrium.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exposition Prometheus reads; checked by {@code promtool} itself where it is installed (CI installs it). */
class MetricsTest {

    @Test
    void requests_areCountedByRouteAndStatus_andTheirDurationsInCumulativeBuckets() {
        Metrics metrics = new Metrics("1.2.3");
        metrics.requests().record("GET", "/api/{type}/{ns}/{name}", 200, 0.003);
        metrics.requests().record("GET", "/api/{type}/{ns}/{name}", 200, 0.2);
        metrics.requests().record("GET", "/api/{type}/{ns}/{name}", 404, 400);
        metrics.requests().record("GET", null, 404, 0.001);

        List<String> lines = metrics.text().lines().toList();

        assertTrue(lines.contains("atrium_info{version=\"1.2.3\"} 1"), lines.toString());
        assertTrue(lines.contains(
                "atrium_http_requests_total{method=\"GET\",route=\"/api/{type}/{ns}/{name}\",status=\"200\"} 2"));
        assertTrue(lines.contains(
                "atrium_http_requests_total{method=\"GET\",route=\"/api/{type}/{ns}/{name}\",status=\"404\"} 1"));
        assertTrue(lines.contains("atrium_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1"),
                "a request no route matched is counted under one series, whatever its path");
        String bucket = "atrium_http_request_duration_seconds_bucket{method=\"GET\",route=\"/api/{type}/{ns}/{name}\","
                + "le=\"%s\"} %d";
        assertTrue(lines.contains(bucket.formatted("0.005", 1)));
        assertTrue(lines.contains(bucket.formatted("0.1", 1)));
        assertTrue(lines.contains(bucket.formatted("0.25", 2)), "cumulative");
        assertTrue(lines.contains(bucket.formatted("300", 2)), "the longest finite bucket");
        assertTrue(lines.contains(bucket.formatted("+Inf", 3)), "one beyond every bound");
        assertTrue(lines.contains("atrium_http_request_duration_seconds_count{method=\"GET\","
                + "route=\"/api/{type}/{ns}/{name}\"} 3"));
    }

    @Test
    void gauges_areReadAtEachScrape_andOneThatFailsIsLeftOut() {
        Metrics metrics = new Metrics("1");
        int[] running = {2};
        metrics.gauge("atrium_spaces_running", "Space apps running", () -> running[0]);
        metrics.gauge("atrium_webhook_payloads_waiting", "Payloads", () -> {
            throw new IllegalStateException("the database is down");
        });

        String first = metrics.text();
        running[0] = 3;
        String second = metrics.text();

        assertTrue(first.contains("\natrium_spaces_running 2\n"), first);
        assertTrue(second.contains("\natrium_spaces_running 3\n"), second);
        assertTrue(!first.contains("atrium_webhook_payloads_waiting"), "left out, the rest still there");
        assertTrue(first.contains("jvm_memory_used_bytes{area=\"heap\"}"));
    }

    @Test
    void labelValues_areEscaped() {
        MetricsText text = new MetricsText().metric("m", "gauge", "help")
                .sample("m", MetricsText.labels("route", "a\"b\\c\nd"), 1.5);

        assertEquals("# HELP m help\n# TYPE m gauge\nm{route=\"a\\\"b\\\\c\\nd\"} 1.5\n", text.toString());
    }

    @Test
    void theExposition_passesPromtool() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")), "apt-get install prometheus (.ci/run does)");
        Metrics metrics = new Metrics("1.2.3");
        metrics.requests().record("GET", "/api/{type}/{ns}/{name}", 200, 0.01);
        metrics.requests().record("POST", "/api/{type}/{ns}/{name}/commit/<rest>", 413, 2);
        metrics.gauge("atrium_data_free_bytes", "Space left", () -> 1e12);

        Process promtool = new ProcessBuilder("/usr/bin/promtool", "check", "metrics").redirectErrorStream(true)
                .start();
        promtool.getOutputStream().write(metrics.text().getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertEquals(0, promtool.waitFor(), said);
    }
}
