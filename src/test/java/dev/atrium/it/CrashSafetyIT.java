package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.Ndjson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** A server killed with SIGKILL in the middle of an upload shows nothing half-written after it restarts. */
class CrashSafetyIT {

    @Test
    void commitUpload_serverKilledMidBody_restartShowsOldHeadAndNoLeftovers() throws Exception {
        try (AtriumProcess server = AtriumProcess.start()) {
            String token = server.admin().createUserWithToken("alice", "write").token();
            HubHttp http = HubHttp.of(server);
            http.send(http.request("/api/repos/create", token).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"m\"}")));
            String before = head(http, token);

            CountDownLatch never = new CountDownLatch(1);
            InputStream body = new EndlessCommitBody(64L << 20, never);
            CompletableFuture<HttpResponse<String>> upload = HttpClient.newHttpClient().sendAsync(
                    http.request("/api/models/alice/m/commit/main", token)
                            .header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                    HttpResponse.BodyHandlers.ofString());

            Path staging = server.dataDir().resolve("tmp/commits");
            waitUntil(() -> largestFileUnder(staging) > (8L << 20));
            server.kill();
            never.countDown();
            assertTrue(upload.handle((r, e) -> e != null || r.statusCode() >= 500).get());

            server.restart();
            assertEquals(before, head(http, token), "the interrupted commit must not be visible");
            assertEquals(0, largestFileUnder(staging) + countFiles(staging), "staging must be cleared at start-up");
            assertEquals(0, countFiles(server.dataDir().resolve("blobs/tmp")));

            HttpResponse<String> ok = http.send(http.request("/api/models/alice/m/commit/main", token)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(Ndjson.commit("after").file("a.txt", "a").build())));
            assertEquals(200, ok.statusCode(), ok.body());
        }
    }

    private static String head(HubHttp http, String token) {
        return HubHttp.json(http.get("/api/models/alice/m", token)).get("sha").asText();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for the upload to reach the server");
            }
            Thread.sleep(50);
        }
    }

    private static long largestFileUnder(Path root) {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long countFiles(Path root) {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A commit whose one file's base64 content streams {@code bytesBeforeStall} bytes, then blocks forever. */
    private static final class EndlessCommitBody extends InputStream {
        private final byte[] prefix = (Ndjson.commit("never lands").build()
                + "{\"key\":\"file\",\"value\":{\"path\":\"huge.bin\",\"encoding\":\"base64\",\"content\":\"")
                .getBytes(StandardCharsets.US_ASCII);
        private final long bytesBeforeStall;
        private final CountDownLatch stall;
        private long position;

        EndlessCommitBody(long bytesBeforeStall, CountDownLatch stall) {
            this.bytesBeforeStall = bytesBeforeStall;
            this.stall = stall;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= bytesBeforeStall) {
                try {
                    stall.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return -1;
            }
            int n = (int) Math.min(len, bytesBeforeStall - position);
            for (int i = 0; i < n; i++) {
                long p = position + i;
                b[off + i] = p < prefix.length ? prefix[(int) p] : (byte) "QUJD".charAt((int) (p % 4));
            }
            position += n;
            return n;
        }
    }
}
