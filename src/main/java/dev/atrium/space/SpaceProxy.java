package dev.atrium.space;

import dev.atrium.http.HubException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards a running app's requests, and its WebSockets, from the hub's port to the app's own port on the loopback
 * interface. Only what an app needs crosses: the request's method, path, body and content headers, never the
 * visitor's cookies or credentials (a sandboxed frame has none, and a link opened in its own tab must not pass the
 * hub's session to the app); and the answer's content and caching headers, under the hub's sandbox policy.
 */
final class SpaceProxy {
    private static final Logger LOG = LoggerFactory.getLogger(SpaceProxy.class);
    /** Not Accept-Encoding: pages are read to put {@link #SHIM} in them, and loopback needs no compression. */
    private static final Set<String> REQUEST_HEADERS = Set.of("accept", "accept-language", "content-type", "range",
            "if-none-match", "if-modified-since", "cache-control");
    private static final Set<String> RESPONSE_HEADERS = Set.of("content-type", "content-encoding", "content-length",
            "content-range", "accept-ranges", "cache-control", "etag", "last-modified", "content-disposition",
            "vary");

    /** Finds a request's app and checks its grant: the port to forward to, or an exception with the answer. */
    @FunctionalInterface
    interface Target {
        Upstream of(String ns, String name, String grant);
    }

    /** Where an app is, and a way to mark it used. */
    record Upstream(SpaceProcesses.Address address, Runnable touch) {}

    /** Whether a grant still lets its holder reach its Space: unexpired, its credential alive, access unchanged. */
    @FunctionalInterface
    interface Access {
        boolean allows(String ns, String name, String grant);
    }

    /** An open WebSocket and the grant it was opened with. */
    private record OpenSocket(String ns, String name, String grant, WsContext visitor) {}

    /** Pages larger than this are passed on as they are. */
    private static final int PAGE_LIMIT = 4 << 20;
    private static final byte[] SHIM = shim();

    /** Forwarded requests in flight, for all apps and per app: the rest of the hub keeps its threads. */
    private static final int FORWARDED = 100;
    private static final int FORWARDED_PER_APP = 32;
    /**
     * How long an app may take to begin its answer. Generous, since a demo may compute before it answers (an old
     * Gradio's /run/predict); a stream that has begun (server-sent events) may go on as long as it likes.
     */
    private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(2);

    /** The app has as many requests in flight as it may have. */
    static final class AppBusy extends HubException {
        private static final long serialVersionUID = 1L;

        AppBusy() {
            super("The Space's app is busy: too many requests are waiting on it. Try again in a moment.");
        }

        @Override
        public int status() {
            return 503;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of("Retry-After", "5");
        }
    }

    /** The app did not begin its answer in time. */
    static final class AppTimedOut extends HubException {
        private static final long serialVersionUID = 1L;

        AppTimedOut() {
            super("The Space's app did not answer within " + ANSWER_TIMEOUT.toMinutes() + " minutes");
        }

        @Override
        public int status() {
            return 504;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final ForwardSlots slots = new ForwardSlots(FORWARDED, FORWARDED_PER_APP);
    /** By session id: checked again from time to time ({@link #recheck}), as a request is checked each time. */
    private final Map<String, OpenSocket> openSockets = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Forwards {@code ctx} to the app on {@code port}; {@code base} is the app's folder on the hub (up to the grant's
     * slash), {@code path} what follows it, still encoded.
     */
    void forward(Context ctx, SpaceProcesses.Address app, String base, String path)
            throws IOException, InterruptedException {
        String query = ctx.req().getQueryString();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.url("http", path)
                + (query == null ? "" : "?" + query)));
        for (String name : REQUEST_HEADERS) {
            String value = ctx.header(name);
            if (value != null) {
                request.header(name, value);
            }
        }
        HandlerType method = ctx.method();
        if (method == HandlerType.GET || method == HandlerType.HEAD) {
            request.method(method.name(), HttpRequest.BodyPublishers.noBody());
        } else {
            HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                    return ctx.req().getInputStream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            long length = ctx.req().getContentLengthLong();
            request.method(method.name(), length >= 0 ? HttpRequest.BodyPublishers.fromPublisher(body, length) : body);
        }
        request.timeout(ANSWER_TIMEOUT);
        try (ForwardSlots.Slot slot = slots.take(app.port()).orElseThrow(AppBusy::new)) {
            HttpResponse<InputStream> answer;
            try {
                answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            } catch (java.net.http.HttpTimeoutException e) {
                throw new AppTimedOut();
            }
            relay(ctx, app, base, method, answer);
        }
    }

    private void relay(Context ctx, SpaceProcesses.Address app, String base, HandlerType method,
                       HttpResponse<InputStream> answer) throws IOException {
        try (InputStream in = answer.body()) {
            ctx.status(answer.statusCode());
            answer.headers().map().forEach((name, values) -> {
                if (RESPONSE_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !values.isEmpty()) {
                    ctx.header(name, values.get(0));
                }
            });
            answer.headers().firstValue("location").flatMap(location -> withinApp(location, app, base))
                    .ifPresent(location -> ctx.header("Location", location));
            SpaceApp.sandbox(ctx);
            if (method == HandlerType.HEAD) {
                return;
            }
            boolean page = answer.headers().firstValue("content-type").orElse("").startsWith("text/html")
                    && answer.headers().firstValue("content-encoding").isEmpty();
            byte[] start = page ? in.readNBytes(PAGE_LIMIT) : new byte[0];
            if (page && start.length < PAGE_LIMIT) {
                byte[] shimmed = withShim(start);
                ctx.header("Content-Length", String.valueOf(shimmed.length));
                ctx.res().getOutputStream().write(shimmed);
                return;
            }
            ctx.res().getOutputStream().write(start);
            in.transferTo(ctx.res().getOutputStream());
        }
    }

    /**
     * A redirect of the app's, kept within the app's folder: its own absolute URLs and root paths are mapped into
     * it, relative ones kept; one to anywhere else is dropped, so that an app cannot send visitors off from the
     * hub's own address.
     */
    static Optional<String> withinApp(String location, SpaceProcesses.Address app, String base) {
        String own = app.url("http", "");
        if (location.startsWith(app.path())) {
            return Optional.of(base + location.substring(app.path().length()));
        }
        if (location.startsWith(own)) {
            return Optional.of(base + location.substring(own.length()));
        }
        // Browsers read a backslash as a slash: "/\\host" is another site.
        if (location.indexOf('\\') >= 0) {
            return Optional.empty();
        }
        if (location.startsWith("/") && !location.startsWith("//")) {
            return Optional.of(base + location.substring(1));
        }
        if (location.startsWith("//") || location.contains(":") && location.indexOf(':') < firstOf(location, "/?#")) {
            return Optional.empty();
        }
        return Optional.of(location);
    }

    private static int firstOf(String text, String chars) {
        int first = text.length();
        for (char c : chars.toCharArray()) {
            int at = text.indexOf(c);
            if (at >= 0) {
                first = Math.min(first, at);
            }
        }
        return first;
    }

    /** The page with {@link #SHIM} as the first thing in its head, before any script of the app's. */
    static byte[] withShim(byte[] html) {
        String text = new String(html, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher head = java.util.regex.Pattern.compile("<head(\\s[^>]*)?>",
                java.util.regex.Pattern.CASE_INSENSITIVE).matcher(text);
        int at = head.find() ? head.end() : 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream(html.length + SHIM.length);
        out.write(html, 0, at);
        out.writeBytes(SHIM);
        out.write(html, at, html.length - at);
        return out.toByteArray();
    }

    private static byte[] shim() {
        try (InputStream in = SpaceProxy.class.getResourceAsStream("/space/opaque-origin.js")) {
            return ("<script>" + new String(in.readAllBytes(), StandardCharsets.UTF_8) + "</script>")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The WebSocket side: each connection from a visitor gets one to the app, and messages cross both ways. */
    void webSocket(WsConfig ws, Target target) {
        ws.onConnect(ctx -> {
            Upstream upstream = target.of(ctx.pathParam("ns"), ctx.pathParam("name"), ctx.pathParam("grant"));
            openSockets.put(ctx.sessionId(), new OpenSocket(ctx.pathParam("ns"), ctx.pathParam("name"),
                    ctx.pathParam("grant"), ctx));
            ctx.enableAutomaticPings(15, TimeUnit.SECONDS);
            Relay relay = new Relay(ctx, upstream.touch());
            ctx.attribute(Relay.class.getName(), relay);
            String path = ctx.pathParam("path");
            WebSocket.Builder builder = http.newWebSocketBuilder();
            List<String> protocols = protocols(ctx.header("Sec-WebSocket-Protocol"));
            if (!protocols.isEmpty()) {
                builder.subprotocols(protocols.get(0), protocols.subList(1, protocols.size()).toArray(String[]::new));
            }
            String query = ctx.queryString();
            builder.buildAsync(URI.create(upstream.address().url("ws", path)
                    + (query == null ? "" : "?" + query)), relay).whenComplete((socket, failure) -> {
                        if (failure != null) {
                            LOG.debug("A Space's WebSocket did not open: {}", failure.toString());
                            ctx.closeSession(1011, "The app did not accept the connection");
                        } else {
                            relay.opened(socket);
                        }
                    });
        });
        ws.onMessage(ctx -> relay(ctx).toApp(socket -> socket.sendText(ctx.message(), true)));
        ws.onBinaryMessage(ctx -> {
            ByteBuffer data = ByteBuffer.wrap(copy(ctx.data()));
            relay(ctx).toApp(socket -> socket.sendBinary(data, true));
        });
        ws.onClose(ctx -> {
            openSockets.remove(ctx.sessionId());
            Relay relay = ctx.attribute(Relay.class.getName());
            if (relay != null) {
                relay.toApp(socket -> socket.sendClose(WebSocket.NORMAL_CLOSURE, ""));
            }
        });
    }

    /**
     * Closes the WebSockets whose grant no longer lets its holder in (1008): a visitor whose token was revoked, who
     * left the Space's organization, or whose grant expired keeps no connection to a private app, which a page
     * such as Streamlit's would otherwise hold for as long as it stays open. Returns how many were closed.
     */
    int recheck(Access access) {
        int closed = 0;
        for (OpenSocket open : openSockets.values()) {
            if (!access.allows(open.ns(), open.name(), open.grant())) {
                openSockets.remove(open.visitor().sessionId());
                open.visitor().closeSession(1008, "Access to this Space has ended; open it again");
                closed++;
            }
        }
        return closed;
    }

    private static Relay relay(WsContext ctx) {
        return ctx.attribute(Relay.class.getName());
    }

    private static byte[] copy(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static List<String> protocols(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        return Arrays.stream(header.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /**
     * One visitor's connection and the app's. Messages to the app are sent one after the other (the client allows
     * one send at a time); messages from the app are taken one at a time and passed on whole.
     */
    private static final class Relay implements WebSocket.Listener {
        /** Messages to the app not yet sent: a visitor that sends faster than the app reads is cut off. */
        private static final int PENDING_LIMIT = 256;

        private final WsContext visitor;
        private final Runnable touch;
        private final CompletableFuture<WebSocket> opened = new CompletableFuture<>();
        private CompletableFuture<WebSocket> last = opened;
        private int pending;

        Relay(WsContext visitor, Runnable touch) {
            this.visitor = visitor;
            this.touch = touch;
        }

        void opened(WebSocket socket) {
            opened.complete(socket);
        }

        synchronized void toApp(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> send) {
            touch.run();
            if (++pending > PENDING_LIMIT) {
                visitor.closeSession(1008, "Too many messages for the app");
                return;
            }
            last = last.thenCompose(send).whenComplete((socket, failure) -> sent()).exceptionally(failure -> {
                visitor.closeSession(1011, "The app's connection failed");
                return null;
            });
        }

        private synchronized void sent() {
            pending--;
        }

        /*
         * Messages from the app are passed on piece by piece as they come, and the next piece is asked for only
         * once the visitor's side has taken this one: a large message costs one piece of memory, and a slow
         * visitor slows the app's sending rather than filling the hub.
         */
        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean whole) {
            visitor.session.sendPartialText(data.toString(), whole, next(socket));
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean whole) {
            visitor.session.sendPartialBinary(ByteBuffer.wrap(copy(data)), whole, next(socket));
            return null;
        }

        private org.eclipse.jetty.websocket.api.Callback next(WebSocket socket) {
            return org.eclipse.jetty.websocket.api.Callback.from(() -> socket.request(1), failure -> {
                socket.abort();
                visitor.closeSession(1011, "The visitor's connection failed");
            });
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            visitor.closeSession(status, reason);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            visitor.closeSession(1011, "The app's connection failed");
        }
    }
}
