package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AdminCli;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.ItPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * A hub mirroring another (which stands for huggingface.co: the same protocols): the Python client, git and git-lfs
 * read the mirrors, which refuse commits and follow their source ({@code src/it/python/mirror.py}); transformers and
 * datasets load mirrored repos by their source's names ({@code mirror_transformers.py}); the pages in Chromium
 * ({@code src/it/js/mirror-pages.mjs}); and a hub left to its defaults refuses a source on its own network.
 */
class MirrorIT {

    @Test
    void mirrorsCopyAndFollowAnotherHubsRepos() throws Exception {
        try (AtriumProcess source = AtriumProcess.start();
             AtriumProcess hub = AtriumProcess.start("--mirror-allowed-networks", "127.0.0.0/8")) {
            AdminCli.Account alice = source.admin().createUserWithToken("alice", "write");
            AdminCli.Account bob = hub.admin().createUserWithToken("bob", "write");
            hub.admin().createUser("root", "root-password-1", "root@atrium.test", true);
            String root = hub.admin().createToken("root", "write");
            Clients.python().script("mirror.py", hub.baseUrl(), bob.token(), ItPaths.newTempDir("mirror"))
                    .env("SOURCE_ENDPOINT", source.baseUrl()).env("SOURCE_TOKEN", alice.token())
                    .env("ADMIN_TOKEN", root)
                    .env("BOB_PASSWORD", bob.password()).runChecked();
            // The source's refs, fetched out of clients' sight, stay only while a repo follows its source.
            assertTrue(!fetchedRefs(hub, "bob/internal-kept").isEmpty(), "a mirror kept in sync keeps them");
            assertEquals("", fetchedRefs(hub, "bob/tiny-model"), "a mirror stopped drops them");
            assertEquals("", fetchedRefs(hub, "bob/internal"), "an import done drops them");
            // What mirrors are for: transformers and datasets, pointed at this hub, load by their usual names.
            Clients.python("datasets", "transformers", "torch", "tokenizers").script("mirror_transformers.py",
                            hub.baseUrl(), root, ItPaths.newTempDir("mirror-transformers"))
                    .env("SOURCE_ENDPOINT", source.baseUrl()).env("SOURCE_TOKEN", alice.token())
                    .env("ADMIN_TOKEN", root).runChecked();
            Clients.node().script("mirror-pages.mjs").env("HUB_URL", hub.baseUrl())
                    .env("CHROMIUM", Clients.chromium().toString())
                    .env("SOURCE", source.baseUrl() + "/alice/tiny-model").env("BOB_PASSWORD", bob.password())
                    .runChecked();
        }
    }

    /** The refs under refs/mirror/ of a model repo's git directory, as git lists them. */
    private static String fetchedRefs(AtriumProcess hub, String repo) throws Exception {
        Process git = new ProcessBuilder("git", "--git-dir", hub.dataDir().resolve("repos/models/" + repo + ".git")
                .toString(), "for-each-ref", "refs/mirror/").redirectErrorStream(true).start();
        String out = new String(git.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertEquals(0, git.waitFor(), out);
        return out;
    }

    /** Whoever may make a mirror chooses its URL; the hub must not become their way into its own network. */
    @Test
    void aHubLeftToItsDefaults_refusesSourcesOnItsOwnNetwork() throws Exception {
        try (AtriumProcess hub = AtriumProcess.start()) {
            AdminCli.Account bob = hub.admin().createUserWithToken("bob", "write");
            HttpResponse<String> refused = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(hub.baseUrl() + "/api/mirrors"))
                    .header("Authorization", "Bearer " + bob.token()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"source\": \"" + hub.baseUrl() + "/bob/anything\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("127.0.0.1 is not a public address (loopback)")
                    && refused.body().contains("--mirror-allowed-networks"), refused.body());
            HttpResponse<String> nothing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(hub.baseUrl() + "/api/models/bob/anything"))
                    .header("Authorization", "Bearer " + bob.token()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, nothing.statusCode(), "no repo was made");
        }
    }
}
