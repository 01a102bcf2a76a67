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

    /**
     * A visitor's WebSocket to an app, relayed through the proxy to a real upstream (an echo), stays open while its
     * grant allows it and is closed with 1008 once it does not; another visitor's, still allowed, is untouched.
     */
    @Test
    void openWebSockets_whoseGrantNoLongerAllows_areClosed() throws Exception {
        io.javalin.Javalin app = io.javalin.Javalin.create(config -> config.routes.ws("/base/<path>",
                ws -> ws.onMessage(ctx -> ctx.send("echo: " + ctx.message()))));
        SpaceProxy proxy = new SpaceProxy();
        io.javalin.Javalin hub = io.javalin.Javalin.create(config -> config.routes.addWsHandler(
                io.javalin.websocket.WsHandlerType.WEBSOCKET, "/spaces/{ns}/{name}/app/{grant}/<path>",
                ws -> proxy.webSocket(ws, (ns, name, grant) -> new SpaceProxy.Upstream(
                        new SpaceProcesses.Address(app.port(), "/base/"), () -> {}))));
        try {
            app.start("127.0.0.1", 0);
            hub.start("127.0.0.1", 0);
            Visitor revoked = new Visitor(hub.port(), "revoked");
            Visitor kept = new Visitor(hub.port(), "kept");
            assertEquals("echo: hi", revoked.ask("hi"));
            assertEquals("echo: hi", kept.ask("hi"));

            assertEquals(0, proxy.recheck((ns, name, grant) -> true));
            assertEquals("echo: still", revoked.ask("still"), "allowed: left open");
            assertEquals(1, proxy.recheck((ns, name, grant) -> !grant.equals("revoked")));
            assertEquals(1008, revoked.closed.get(5, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals("echo: after", kept.ask("after"));
            assertEquals(0, proxy.recheck((ns, name, grant) -> !grant.equals("revoked")), "closed ones are gone");
        } finally {
            hub.stop();
            app.stop();
        }
    }

    /** A WebSocket client of the hub's app path, under a grant. */
    private static final class Visitor implements java.net.http.WebSocket.Listener {
        private final java.util.concurrent.BlockingQueue<String> received =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private final java.util.concurrent.CompletableFuture<Integer> closed =
                new java.util.concurrent.CompletableFuture<>();
        private final java.net.http.WebSocket socket;

        Visitor(int port, String grant) throws Exception {
            socket = java.net.http.HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(java.net.URI.create(
                    "ws://127.0.0.1:" + port + "/spaces/alice/app/app/" + grant + "/stream"), this)
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
        }

        String ask(String message) throws Exception {
            socket.sendText(message, true).get(5, java.util.concurrent.TimeUnit.SECONDS);
            return received.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data,
                                                              boolean last) {
            received.add(data.toString());
            ws.request(1);
            return null;
        }

        @Override
        public java.util.concurrent.CompletionStage<?> onClose(java.net.http.WebSocket ws, int status,
                                                               String reason) {
            closed.complete(status);
            return null;
        }
    }
}
