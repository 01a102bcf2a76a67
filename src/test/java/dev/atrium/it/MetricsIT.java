package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.Proc;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /metrics} scraped by a real Prometheus (Debian's {@code prometheus}, which {@code .ci/run} installs):
 * only an administrator's token reads it, {@code promtool} accepts its format, and Prometheus, given that token as
 * its bearer credentials, scrapes it and answers queries over the request counts and durations by route.
 */
class MetricsIT {

    @Test
    void prometheus_scrapesTheHubsMetrics_withAnAdministratorsToken() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/prometheus")), "apt-get install prometheus (.ci/run does)");
        try (AtriumProcess server = AtriumProcess.start()) {
            server.admin().createUser("root", "It-root-pw-0001", "root@atrium.test", true);
            String admin = server.admin().createToken("root", "read");
            String alice = server.admin().createUserWithToken("alice", "write").token();
            HubHttp http = HubHttp.of(server);
            assertEquals(401, http.get("/metrics").statusCode(), "anonymous");
            assertEquals(403, http.get("/metrics", alice).statusCode(), "a user who is not an administrator");
            for (int i = 0; i < 5; i++) {
                assertEquals(404, http.get("/api/models/alice/missing-" + i, alice).statusCode());
            }

            HttpResponse<String> metrics = http.get("/metrics", admin);
            assertEquals(200, metrics.statusCode(), metrics.body());
            assertEquals("text/plain; version=0.0.4; charset=utf-8",
                    metrics.headers().firstValue("Content-Type").orElse(""));
            assertTrue(metrics.body().contains("atrium_http_requests_total{method=\"GET\","
                    + "route=\"/api/{type}/{ns}/{name}\",status=\"404\"} 5"), metrics.body());
            assertTrue(!metrics.body().contains("missing-"), "no repo names in the series");
            Path work = ItPaths.newTempDir("metrics");
            Path scraped = Files.writeString(work.resolve("scraped.txt"), metrics.body());
            Proc.Result check = Proc.of("/usr/bin/promtool", "check", "metrics").stdin(Files.readString(scraped))
                    .run();
            assertEquals(0, check.exitCode(), "promtool accepts the format: " + check.describe());

            int port = freePort();
            Path token = Files.writeString(work.resolve("token"), admin);
            Path config = Files.writeString(work.resolve("prometheus.yml"), """
                    global:
                      scrape_interval: 1s
                    scrape_configs:
                      - job_name: atrium
                        metrics_path: /metrics
                        authorization:
                          credentials_file: %s
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(token, server.port()));
            Process prometheus = new ProcessBuilder("/usr/bin/prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + work.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(work.resolve("prometheus.log").toFile()).start();
            try {
                HubHttp query = HubHttp.of(server);
                String base = "http://127.0.0.1:" + port;
                JsonNode up = awaitResult(query, base, "up{job=\"atrium\"}");
                assertEquals("1", up.get(0).get("value").get(1).asText(), "the target is up: " + up);
                JsonNode missing = awaitResult(query, base,
                        "atrium_http_requests_total{route=\"/api/{type}/{ns}/{name}\",status=\"404\"}");
                assertEquals("5", missing.get(0).get("value").get(1).asText(), missing.toString());
                JsonNode count = awaitResult(query, base, "sum(atrium_http_request_duration_seconds_count"
                        + "{route=\"/api/{type}/{ns}/{name}\"})");
                assertEquals("5", count.get(0).get("value").get(1).asText(), count.toString());
                JsonNode free = awaitResult(query, base, "atrium_data_free_bytes > 0");
                assertEquals(1, free.size(), free.toString());
            } finally {
                prometheus.destroy();
                prometheus.waitFor();
            }
        }
    }

    /** The query's result vector once Prometheus has it (it scrapes every second). */
    private static JsonNode awaitResult(HubHttp http, String base, String query) throws InterruptedException {
        String url = base + "/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8);
        JsonNode result = null;
        for (int i = 0; i < 150; i++) {
            try {
                HttpResponse<String> answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)));
                if (answer.statusCode() == 200) {
                    result = HubHttp.json(answer).get("data").get("result");
                    if (!result.isEmpty()) {
                        return result;
                    }
                }
            } catch (RuntimeException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new AssertionError("Prometheus has no result for " + query + " after 30 s: " + result);
    }

    private static int freePort() throws java.io.IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
