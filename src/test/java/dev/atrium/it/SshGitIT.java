package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.atrium.it.support.AdminCli;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.GitClient;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.Proc;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * git over SSH with OpenSSH's client, git and git-lfs, as users clone from the Hub with {@code git@hf.co}: keys
 * registered over the API and on the settings page (Chromium, {@code src/it/js/ssh-keys.mjs}); a private model with
 * a large file pushed and cloned back over SSH (git-lfs through git-lfs-authenticate), bytes compared with what
 * HTTP serves; a dataset's path, with a commit signed by the same key (verified); who may not read or push is told so; an unknown or removed key gets nowhere; the
 * host key survives a restart.
 */
class SshGitIT {

    @Test
    void gitAndGitLfsOverSsh_withRegisteredKeys() throws Exception {
        GitClient git = Clients.git();
        Path work = ItPaths.newTempDir("ssh-git");
        Path aliceKey = keygen(work, "alice", "ed25519");
        Path bobKey = keygen(work, "bob", "rsa");
        Path strangerKey = keygen(work, "stranger", "ed25519");
        byte[] weights = new byte[3 << 20];
        new Random(11).nextBytes(weights);
        try (AtriumProcess server = AtriumProcess.start("--ssh-port", "0")) {
            AdminCli.Account alice = server.admin().createUserWithToken("alice", "write");
            AdminCli.Account bob = server.admin().createUserWithToken("bob", "write");
            HubHttp http = HubHttp.of(server);
            create(http, alice.token(), "{\"name\": \"model\", \"private\": true}");
            create(http, alice.token(), "{\"name\": \"public\"}");
            create(http, alice.token(), "{\"name\": \"data\", \"type\": \"dataset\"}");
            JsonNode added = HubHttp.json(http.send(http.request("/api/settings/ssh-keys", alice.token())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"title\": \"laptop\", \"key\": "
                            + TextNode.valueOf(Files.readString(pub(aliceKey))) + "}"))));
            assertEquals(fingerprint(aliceKey), added.path("fingerprint").asText(), added.toString());
            String ssh = "ssh://git@127.0.0.1:" + server.sshPort() + "/";

            Proc.Result hello = ssh(aliceKey, work, server.sshPort()).runChecked();
            assertTrue(hello.stdout().startsWith("Hi alice, welcome to Atrium."), hello.stdout());

            // alice pushes a large file to her private model over SSH; git-lfs sends it over HTTP with the grant.
            Path clone = clone(git, aliceKey, work, ssh + "alice/model", work.resolve("alice-clone")).requireNonNull();
            git.run(clone, "lfs", "track", "*.safetensors");
            Files.write(clone.resolve("model.safetensors"), weights);
            Files.writeString(clone.resolve("config.json"), "{\"hidden\": 8}\n");
            git.run(clone, "add", ".gitattributes", "model.safetensors", "config.json");
            git.run(clone, "commit", "-q", "-m", "Weights, over SSH");
            withKey(git.command(clone, "push", "-q", "origin", "main"), aliceKey, work).runChecked();
            assertArrayEquals(weights, http.bytes("/alice/model/resolve/main/model.safetensors", alice.token()),
                    "HTTP serves what SSH pushed");
            assertTrue(server.served("ssh alice git-receive-pack '/alice/model' 0 \\d+ms"),
                    "the access log has git over SSH too");
            Path again = clone(git, aliceKey, work, ssh + "alice/model.git", work.resolve("again")).requireNonNull();
            assertArrayEquals(weights, Files.readAllBytes(again.resolve("model.safetensors")),
                    "a clone over SSH gets the large file back");

            Path data = clone(git, aliceKey, work, ssh + "datasets/alice/data", work.resolve("data")).requireNonNull();
            Files.writeString(data.resolve("train.csv"), "a,b\n1,2\n");
            git.run(data, "add", "train.csv");
            // Signed with the same key (git's gpg.format=ssh): the commit shows as verified, alice's.
            git.run(data, "-c", "user.email=" + alice.email(), "-c", "gpg.format=ssh", "-c",
                    "user.signingkey=" + pub(aliceKey), "commit", "-q", "-S", "-m", "Data");
            String signed = git.run(data, "rev-parse", "HEAD").stdout().strip();
            withKey(git.command(data, "push", "-q", "origin", "main"), aliceKey, work).runChecked();
            assertEquals("a,b\n1,2\n", http.get("/datasets/alice/data/resolve/main/train.csv").body());
            String commitPage = http.get("/datasets/alice/data/commit/" + signed).body();
            assertTrue(commitPage.contains("class=\"signature verified\" title=\"Signed by alice with the SSH key "
                    + fingerprint(aliceKey) + "\""), "an SSH-signed commit is verified");

            // The same pre-receive policy as HTTP: a card with broken metadata is refused.
            Files.writeString(data.resolve("README.md"), "---\nlicense: [unclosed\n---\n");
            git.run(data, "add", "README.md");
            git.run(data, "commit", "-q", "-m", "Broken card");
            Proc.Result refused = withKey(git.command(data, "push", "origin", "main"), aliceKey, work).run();
            assertNotEquals(0, refused.exitCode());
            assertTrue(refused.stderr().contains("README.md"), refused.stderr());

            // bob adds his key on the settings page, in a browser.
            Clients.node().script("ssh-keys.mjs").env("HUB_URL", server.baseUrl())
                    .env("CHROMIUM", Clients.chromium().toString())
                    .env("USER_NAME", bob.name()).env("USER_PASSWORD", bob.password())
                    .env("PUBLIC_KEY", pub(bobKey).toString()).env("PRIVATE_KEY", bobKey.toString())
                    .env("FINGERPRINT", fingerprint(bobKey)).env("REPO", "alice/public")
                    .env("SSH_CLONE", "git clone " + ssh + "alice/public").runChecked();
            Proc.Result hidden = clone(git, bobKey, work, ssh + "alice/model", work.resolve("bob-private")).result();
            assertNotEquals(0, hidden.exitCode());
            assertTrue(hidden.stderr().contains("Repository not found"), hidden.stderr());
            Path bobs = clone(git, bobKey, work, ssh + "alice/public", work.resolve("bob-public")).requireNonNull();
            Files.writeString(bobs.resolve("bob.txt"), "bob\n");
            git.run(bobs, "add", "bob.txt");
            git.run(bobs, "commit", "-q", "-m", "bob's");
            Proc.Result denied = withKey(git.command(bobs, "push", "origin", "main"), bobKey, work).run();
            assertNotEquals(0, denied.exitCode());
            assertTrue(denied.stderr().contains("You don't have the rights to write to alice/public"),
                    denied.stderr());

            Proc.Result stranger = ssh(strangerKey, work, server.sshPort()).run();
            assertEquals(255, stranger.exitCode());
            assertTrue(stranger.stderr().contains("Permission denied (publickey)"), stranger.stderr());

            String hostKey = hostKey(server.sshPort());
            assertEquals(200, http.send(http.request("/api/settings/ssh-keys/" + added.path("id").asText(),
                    alice.token()).DELETE()).statusCode());
            assertEquals(255, ssh(aliceKey, work, server.sshPort()).run().exitCode(), "a removed key signs in no more");

            server.restart();
            assertEquals(hostKey, hostKey(server.sshPort()), "the host key survives a restart");
        }
    }

    private static void create(HubHttp http, String token, String body) {
        assertEquals(200, http.send(http.request("/api/repos/create", token)
                .POST(HttpRequest.BodyPublishers.ofString(body))).statusCode(), body);
    }

    private static Path keygen(Path work, String name, String type) {
        Path key = work.resolve("id_" + name);
        Proc.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", name + "@it", "-f", key.toString()).runChecked();
        return key;
    }

    private static Path pub(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    /** SHA256:..., as ssh-keygen prints it. */
    private static String fingerprint(Path key) {
        return Proc.of("ssh-keygen", "-l", "-E", "sha256", "-f", pub(key).toString()).runChecked().stdout()
                .split(" ")[1];
    }

    private static String sshCommand(Path key, Path work) {
        return "ssh -i " + key + " -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=" + work.resolve("known_hosts");
    }

    private static Proc withKey(Proc command, Path key, Path work) {
        return command.env("GIT_SSH_COMMAND", sshCommand(key, work));
    }

    private static Proc ssh(Path key, Path work, int port) {
        return Proc.of("sh", "-c", sshCommand(key, work) + " -p " + port + " -T git@127.0.0.1");
    }

    private record Cloned(Proc.Result result, Path target) {
        Path requireNonNull() {
            result.requireSuccess();
            return target;
        }
    }

    private static Cloned clone(GitClient git, Path key, Path work, String url, Path target) {
        return new Cloned(withKey(git.command(work, "clone", "-q", url, target.toString()), key, work).run(), target);
    }

    private static String hostKey(int port) {
        return Proc.of("ssh-keyscan", "-t", "ecdsa", "-p", String.valueOf(port), "127.0.0.1").runChecked().stdout()
                .lines().filter(l -> !l.startsWith("#")).map(l -> l.substring(l.indexOf(' ') + 1)).findFirst()
                .orElseThrow();
    }
}
