package dev.atrium.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {
    /** The kernel's own ENOSPC, as a write to a full disk raises it: Linux's /dev/full refuses every write so. */
    private static IOException realDiskFull() {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs Linux's /dev/full");
        return assertThrows(IOException.class, () -> {
            try (OutputStream out = Files.newOutputStream(full)) {
                out.write(new byte[8192]);
                out.flush();
            }
        });
    }

    @Test
    void aFullDisk_isRecognised_alsoWhenWrapped() {
        IOException enospc = realDiskFull();
        assertTrue(ErrorMapper.outOfDiskSpace(enospc), enospc.getMessage());
        assertTrue(ErrorMapper.outOfDiskSpace(new UncheckedIOException(enospc)));
        assertTrue(ErrorMapper.outOfDiskSpace(new RuntimeException("commit failed", new UncheckedIOException(enospc))));
    }

    @Test
    void busyUploads_areRecognised_whereverWrapped() {
        var busy = new dev.atrium.storage.UploadsBusy("no room");
        assertTrue(ErrorMapper.causedBy(new UncheckedIOException(busy), dev.atrium.storage.UploadsBusy.class));
        assertFalse(ErrorMapper.causedBy(new IOException("Broken pipe"), dev.atrium.storage.UploadsBusy.class));
        assertFalse(ErrorMapper.objectStorageUnavailable(busy), "the hub is busy, not its storage");
    }

    @Test
    void headerMessage_printableText_isSentWhole() {
        assertEquals(java.util.Optional.of("Access to alice/m is restricted."),
                ErrorMapper.headerMessage(false, "Access to alice/m is restricted."));
        assertEquals(java.util.Optional.empty(), ErrorMapper.headerMessage(true, " "));
        assertEquals(1003, ErrorMapper.headerMessage(false, "x".repeat(5000)).orElseThrow().length());
    }

    @Test
    void headerMessage_otherText_isAHeaderOnlyWithoutABody() {
        assertEquals(java.util.Optional.empty(), ErrorMapper.headerMessage(false, "No file h\u00e9llo.txt"));
        assertEquals(java.util.Optional.empty(), ErrorMapper.headerMessage(false, "two\nlines"));
        assertEquals(java.util.Optional.of("No file h?llo \u2713?.txt".replace("\u2713", "?")),
                ErrorMapper.headerMessage(true, "No file h\u00e9llo \u2713\u2713.txt"));
        assertEquals(java.util.Optional.of("two?lines"), ErrorMapper.headerMessage(true, "two\nlines"));
    }

    @Test
    void otherFailures_areNot() {
        assertFalse(ErrorMapper.outOfDiskSpace(new IOException("Broken pipe")));
        assertFalse(ErrorMapper.outOfDiskSpace(new IOException((String) null)));
        assertFalse(ErrorMapper.outOfDiskSpace(new IllegalStateException("No space left on device")),
                "only an I/O error says what the disk did");
    }

    /** An Error in a handler is answered as any failure is: a JSON 500 naming it, the thread free for the next. */
    @Test
    void anErrorInAHandler_isAJson500() throws Exception {
        io.javalin.Javalin app = io.javalin.Javalin.create(config -> {
            config.router.handlerWrapper(ErrorMapper.errorsAsExceptions());
            ErrorMapper.register(config.routes, new BaseUrl(null));
            config.routes.get("/broken", ctx -> {
                throw new NoClassDefFoundError("Could not initialize class org.example.Native");
            });
            config.routes.get("/gated", ctx -> {
                throw new Errors.GatedRepo("Access to dataset a/b is restricted.", "datasets/a/b", false);
            });
            config.routes.get("/fine", ctx -> ctx.result("fine"));
        });
        try {
            app.start("127.0.0.1", 0);
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            java.net.http.HttpResponse<String> broken = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + app.port() + "/broken")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            org.junit.jupiter.api.Assertions.assertEquals(500, broken.statusCode());
            org.junit.jupiter.api.Assertions.assertEquals("Internal error: NoClassDefFoundError",
                    Json.MAPPER.readTree(broken.body()).path("error").asText(), broken.body());
            java.net.http.HttpResponse<String> gated = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + app.port() + "/gated")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            org.junit.jupiter.api.Assertions.assertEquals(403, gated.statusCode());
            org.junit.jupiter.api.Assertions.assertEquals("Access to dataset a/b is restricted. Visit http://127.0.0.1:"
                    + app.port() + "/datasets/a/b to ask for access.",
                    Json.MAPPER.readTree(gated.body()).path("error").asText(), "the page is a link on this hub");
            org.junit.jupiter.api.Assertions.assertEquals("fine", http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + app.port() + "/fine")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body());
        } finally {
            app.stop();
        }
    }
}
