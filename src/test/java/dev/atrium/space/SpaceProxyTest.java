package dev.atrium.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpaceProxyTest {
    private static final String BASE = "/spaces/alice/app/app/grant/";
    private static final SpaceProcesses.Address APP = new SpaceProcesses.Address(8501, "/s3cr3t/");

    @Test
    void thePageShim_goesFirstInTheHead() {
        byte[] page = "<!doctype html><html><HEAD lang=en><script src=app.js></script></head></html>"
                .getBytes(StandardCharsets.UTF_8);

        String shimmed = new String(SpaceProxy.withShim(page), StandardCharsets.UTF_8);

        assertTrue(shimmed.startsWith("<!doctype html><html><HEAD lang=en><script>"), shimmed);
        assertTrue(shimmed.indexOf("document, \"cookie\"") < shimmed.indexOf("<script src=app.js>"), shimmed);
        assertTrue(shimmed.endsWith("<script src=app.js></script></head></html>"), shimmed);
    }

    @Test
    void anAppsRedirects_stayWithinItsFolder() {
        assertEquals(Optional.of(BASE + "page?x=1"), SpaceProxy.withinApp("http://127.0.0.1:8501/s3cr3t/page?x=1", APP, BASE));
        assertEquals(Optional.of(BASE + "page"), SpaceProxy.withinApp("/s3cr3t/page", APP, BASE), "its own root");
        assertEquals(Optional.of(BASE + "login"), SpaceProxy.withinApp("/login", APP, BASE));
        assertEquals(Optional.of("next/page"), SpaceProxy.withinApp("next/page", APP, BASE), "relative: as it is");
        assertEquals(Optional.of("?page=2"), SpaceProxy.withinApp("?page=2", APP, BASE));
        assertEquals(Optional.empty(), SpaceProxy.withinApp("https://phish.example/", APP, BASE));
        assertEquals(Optional.empty(), SpaceProxy.withinApp("//phish.example/", APP, BASE));
        assertEquals(Optional.empty(), SpaceProxy.withinApp("/\\phish.example/", APP, BASE));
        assertEquals(Optional.empty(), SpaceProxy.withinApp("javascript:alert(1)", APP, BASE));
        assertEquals(Optional.empty(), SpaceProxy.withinApp("http://127.0.0.1:9999/", APP, BASE), "another port");
    }
}
