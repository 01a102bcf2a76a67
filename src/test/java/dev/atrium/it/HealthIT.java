package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.HubHttp;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Smoke test of the harness itself: the jar starts on port 0, answers, and rejects anonymous identity calls. */
class HealthIT {

    private static AtriumProcess server;
    private static HubHttp http;

    @BeforeAll
    static void startServer() {
        server = AtriumProcess.start();
        http = HubHttp.of(server);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void health_anonymous_returns200Json() {
        HttpResponse<String> response = http.get("/api/health");

        assertEquals(200, response.statusCode(), response::body);
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                () -> "Content-Type: " + response.headers().firstValue("Content-Type"));
        JsonNode body = HubHttp.json(response);
        assertTrue(body.isObject(), () -> "health body is not a JSON object: " + response.body());
    }

    @Test
    void whoami_anonymous_returns401() {
        HttpResponse<String> response = http.get("/api/whoami-v2");

        assertEquals(401, response.statusCode(), response::body);
    }

    @Test
    void whoami_unknownToken_returns401() {
        HttpResponse<String> response = http.get("/api/whoami-v2", "hf_not_a_real_token");

        assertEquals(401, response.statusCode(), response::body);
    }

    @Test
    void baseUrl_afterStart_isLoopbackWithBoundPort() {
        assertTrue(server.port() > 0, "port " + server.port());
        assertEquals("http://127.0.0.1:" + server.port(), server.baseUrl());
    }

    @Test
    void health_afterKillAndRestart_answersOnSameUrl() {
        try (AtriumProcess crashing = AtriumProcess.start()) {
            String before = crashing.baseUrl();

            crashing.kill();
            assertFalse(crashing.isAlive(), "server still alive after SIGKILL");
            crashing.restart();

            assertEquals(before, crashing.baseUrl());
            assertEquals(200, HubHttp.of(crashing).get("/api/health").statusCode());
        }
    }
}
