package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.atrium.it.support.AdminCli;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.GitClient;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.NodeClient;
import dev.atrium.it.support.Proc;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/**
 * Signed commits as users make them: git signs with gpg (a test key, src/test/resources/signing) and pushes; the
 * key is registered on the settings page in Chromium ({@code src/it/js/gpg-keys.mjs}), which then shows which
 * commits are verified; over the API a key is listed, refused when another user registers it, and removed, after
 * which the commit is unverified again.
 */
class SignedCommitsIT {
    private static final String ALICE_SIGNING_KEY = "1373F79311AE689C";

    @Test
    void commitsSignedWithARegisteredKey_showAsVerified() throws Exception {
        GitClient git = Clients.git();
        NodeClient node = Clients.node();
        Path chromium = Clients.chromium();
        Path work = ItPaths.newTempDir("signed-commits");
        Path keys = ItPaths.repoRoot().resolve("src/test/resources/signing");
        Path gnupg = Files.createDirectories(work.resolve("gnupg"));
        Files.setPosixFilePermissions(gnupg, PosixFilePermissions.fromString("rwx------"));
        try (AtriumProcess server = AtriumProcess.start()) {
            AdminCli.Account alice = server.admin().createUserWithToken("alice", "write");
            String bob = server.admin().createUserWithToken("bob", "write").token();
            HubHttp http = HubHttp.of(server);
            assertEquals(200, http.send(http.request("/api/repos/create", alice.token())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"signed\"}"))).statusCode());

            Proc.of("gpg", "--batch", "--quiet", "--import", keys.resolve("alice-secret-test-only.asc").toString())
                    .env("GNUPGHOME", gnupg.toString()).runChecked();
            Path clone = git.cloneRepo(GitClient.cloneUrl(server.baseUrl(), alice.token(), "alice/signed"),
                    work.resolve("clone"));
            String verified = commit(git, clone, gnupg, "Alice", "alice@atrium.test", true, "Signed by alice");
            String asBob = commit(git, clone, gnupg, "Bob", "bob@atrium.test", true, "Signed as bob");
            String unsigned = commit(git, clone, gnupg, "Alice", "alice@atrium.test", false, "Unsigned");
            git.run(clone, "push", "-q", "origin", "main");

            node.script("gpg-keys.mjs").env("HUB_URL", server.baseUrl()).env("CHROMIUM", chromium.toString())
                    .env("USER_NAME", alice.name()).env("USER_PASSWORD", alice.password())
                    .env("REPO", "alice/signed").env("PUBLIC_KEY", keys.resolve("alice.asc").toString())
                    .env("PRIVATE_KEY", keys.resolve("alice-secret-test-only.asc").toString())
                    .env("VERIFIED", verified).env("AS_BOB", asBob).env("UNSIGNED", unsigned).runChecked();

            JsonNode listed = HubHttp.json(http.get("/api/settings/gpg-keys", alice.token()));
            assertEquals(1, listed.size(), listed.toString());
            assertEquals("4A0BEDCB9DF4F0D627AD7ABE1373F79311AE689C", listed.get(0).path("fingerprint").asText());
            String aliceKey = TextNode.valueOf(Files.readString(keys.resolve("alice.asc"))).toString();
            HttpResponse<String> taken = http.send(http.request("/api/settings/gpg-keys", bob)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\": " + aliceKey + "}")));
            assertEquals(409, taken.statusCode(), taken.body());
            HttpResponse<String> garbage = http.send(http.request("/api/settings/gpg-keys", bob)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\": \"ssh-ed25519 AAAA bob@laptop\"}")));
            assertEquals(400, garbage.statusCode());
            assertTrue(garbage.body().contains("-----BEGIN PGP PUBLIC KEY BLOCK-----"), garbage.body());

            assertTrue(listed.get(0).path("revoked").isBoolean() && !listed.get(0).path("revoked").asBoolean(),
                    listed.toString());
            String daveKey = TextNode.valueOf(Files.readString(keys.resolve("dave-revoked.asc"))).toString();
            HttpResponse<String> revoked = http.send(http.request("/api/settings/gpg-keys", bob)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"key\": " + daveKey + "}")));
            assertEquals(200, revoked.statusCode(), revoked.body());
            assertTrue(HubHttp.json(revoked).path("revoked").asBoolean(), "a revoked key is said to be: "
                    + revoked.body());

            String id = listed.get(0).path("id").asText();
            assertEquals(404, http.send(http.request("/api/settings/gpg-keys/" + id, bob).DELETE()).statusCode(),
                    "bob cannot remove alice's key");
            assertEquals(200, http.send(http.request("/api/settings/gpg-keys/" + id, alice.token()).DELETE())
                    .statusCode());
            String page = http.get("/alice/signed/commit/" + verified).body();
            assertTrue(page.contains("class=\"signature unverified\"") && page.contains("is not registered on this"
                    + " hub"), "without the key the commit is unverified again");
        } finally {
            Proc.of("gpgconf", "--kill", "gpg-agent").env("GNUPGHOME", gnupg.toString()).run();
        }
    }

    private static String commit(GitClient git, Path clone, Path gnupg, String name, String email, boolean sign,
                                 String message) {
        git.command(clone, "-c", "user.name=" + name, "-c", "user.email=" + email, "-c",
                "user.signingkey=" + ALICE_SIGNING_KEY, "commit", "-q", "--allow-empty", sign ? "-S" : "--no-gpg-sign",
                "-m", message).env("GNUPGHOME", gnupg.toString()).runChecked();
        return git.run(clone, "rev-parse", "HEAD").stdout().strip();
    }
}
