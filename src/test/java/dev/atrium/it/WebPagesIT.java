package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.NodeClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The web UI in headless Chromium, run by {@code src/it/js/web-pages.mjs}: repos made with @huggingface/hub, then
 * the card (GFM, relative links and images, sidebar, snippets, XSS payloads that must not run), files and file views
 * (text, LFS summary), history and diff, listing filters and sorts, quick search, 404s for private and missing repos,
 * the profile, a 360 px screen in the dark theme and keyboard focus; then accounts: sign up, create a repo, make a
 * token and push with it through git, upload a card and a 20 MB file through the page (LFS, bytes compared), edit
 * the card, create a file on a new branch and delete it, like the repo, CSRF refusals, revoke the token (git is
 * refused), log out and in. Screenshots land in {@code target/it-artifacts/web}.
 */
class WebPagesIT {

    @Test
    void pages_inChromium_showWhatTheHubShows() {
        Path chromium = Clients.chromium();
        NodeClient node = Clients.node();
        // Webhooks may reach 127.0.0.2 only, where the script's receiver listens; the rest of loopback stays refused.
        try (AtriumProcess server = AtriumProcess.start("--webhook-allowed-networks", "127.0.0.2/32")) {
            String token = server.admin().createUserWithToken("alice", "write").token();
            node.script("web-pages.mjs")
                    .env("HUB_URL", server.baseUrl())
                    .env("HF_TOKEN", token)
                    .env("CHROMIUM", chromium.toString())
                    .env("ARTIFACTS", ItPaths.repoRoot().resolve("target/it-artifacts/web").toString())
                    .runChecked();
        }
    }
}
