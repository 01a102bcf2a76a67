package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.it.support.AdminCli;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PythonClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Gated repos with the real huggingface_hub client ({@code src/it/python/gated.py}): info and file list stay
 * visible; downloads through resolve, LFS and Xet tokens are refused with GatedRepo (401 anonymous, 403 otherwise);
 * ask-access with the card's fields, pending, accept (download, bytes compared), reject (GatedRepoError again),
 * cancel, grant; {@code auth_check} says GatedRepo until access is given; an answer given twice is a 409; the owner
 * sees the email of a user who asked, not of one granted access without asking; an automatic gate; opening it.
 */
class GatedReposIT {

    @Test
    void gatedFlow_realClient_requestPendingAcceptRejectGrant() {
        PythonClient python = Clients.python();
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String bob = server.admin().createUserWithToken("bob", "write").token();
            server.admin().createUserWithToken("carol", "read");
            python.script("gated.py", server.baseUrl(), alice, ItPaths.newTempDir("gated"))
                    .env("TOKEN_ALICE", alice)
                    .env("TOKEN_BOB", bob)
                    .runChecked();
        }
    }

    /**
     * The owner's side in Chromium ({@code src/it/js/gated-settings.mjs}): gating on the settings page, the request
     * in her notifications, accepting it there; bob then downloads the file, bytes compared.
     */
    @Test
    void gatedInTheBrowser_theOwnerHearsOfARequestAndAcceptsItOnTheSettingsPage() {
        try (AtriumProcess server = AtriumProcess.start()) {
            AdminCli.Account alice = server.admin().createUserWithToken("alice", "write");
            AdminCli.Account bob = server.admin().createUserWithToken("bob", "read");
            HubHttp http = HubHttp.of(server);
            assertEquals(200, http.send(http.request("/api/repos/create", alice.token())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"gated-web\"}"))).statusCode());
            String card = "---\nextra_gated_fields:\n  Company: text\n---\n# Weights for approved users\n";
            String weights = "weights only for those let in\n";
            String commit = String.join("\n",
                    "{\"key\": \"header\", \"value\": {\"summary\": \"card and weights\"}}",
                    file("README.md", card), file("weights.txt", weights));
            assertEquals(200, http.send(http.request("/api/models/alice/gated-web/commit/main", alice.token())
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(commit))).statusCode());

            Clients.node().script("gated-settings.mjs").env("HUB_URL", server.baseUrl())
                    .env("CHROMIUM", Clients.chromium().toString()).env("REPO", "alice/gated-web")
                    .env("ALICE_PASSWORD", alice.password()).env("BOB_PASSWORD", bob.password()).runChecked();

            HttpResponse<String> download = http.get("/alice/gated-web/resolve/main/weights.txt", bob.token());
            assertEquals(200, download.statusCode(), download.body());
            assertEquals(weights, download.body());
        }
    }

    private static String file(String path, String content) {
        return "{\"key\": \"file\", \"value\": {\"path\": \"" + path + "\", \"encoding\": \"base64\", "
                + "\"content\": \"" + Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8))
                + "\"}}";
    }
}
