package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.GitClient;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PostgresServer;
import dev.atrium.it.support.Proc;
import dev.atrium.it.support.PythonClient;
import dev.atrium.it.support.S3Server;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two Atrium nodes of one hub, as a load balancer would have them: each with its own data directory, sharing the
 * PostgreSQL database, the bucket, the git repositories ({@code --repos}) and the server's key
 * ({@code --secret-file}). What one node writes, the other serves; what one signs, the other honours.
 */
class SeveralNodesIT {
    private static final String FILES = "xet.bin:5000000:1,lfs.bin:6000000:2";

    @Test
    void twoNodes_sharingDatabaseBucketReposAndKey_serveEachOthersWork() throws Exception {
        PythonClient python = Clients.python();
        GitClient git = Clients.git();
        Path shared = ItPaths.newTempDir("shared-nodes");
        try (PostgresServer postgres = PostgresServer.start(); S3Server s3 = S3Server.start()) {
            List<String> args = new ArrayList<>(List.of("--database", postgres.jdbcUrl(),
                    "--repos", shared.resolve("repos").toString(),
                    "--secret-file", shared.resolve("secret.key").toString()));
            args.addAll(s3.serveArgs("hub"));
            String[] serve = args.toArray(String[]::new);
            try (AtriumProcess a = AtriumProcess.startWithEnvironment(s3.credentialsEnvironment(), serve);
                 AtriumProcess b = AtriumProcess.startWithEnvironment(s3.credentialsEnvironment(), serve)) {
                String alice = a.admin().createUserWithToken("alice", "write").token();

                // Written through A (Xet and LFS), read through B (Xet and resolve).
                for (String[] upload : new String[][] {{"xet.bin", "xet"}, {"lfs.bin", "lfs"}}) {
                    Proc proc = python.script("blob_move.py", a.baseUrl(), alice, ItPaths.newTempDir("node-a"))
                            .env("REPO", "alice/shared").env("FILES", FILES).env("PHASE", "upload")
                            .env("UPLOAD", upload[0]);
                    (upload[1].equals("xet") ? proc.removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default")
                            : proc).runChecked();
                }
                for (boolean xet : new boolean[] {true, false}) {
                    Proc check = python.script("blob_move.py", b.baseUrl(), alice, ItPaths.newTempDir("node-b"))
                            .env("REPO", "alice/shared").env("FILES", FILES).env("PHASE", "check");
                    (xet ? check.removeEnv("HF_HUB_DISABLE_XET").env("ATRIUM_IT_XET", "default") : check)
                            .runChecked();
                }
                assertTrue(b.served("GET /cas/fetch/[0-9a-f]{64} 206 .*"), "B served the xorbs A stored");

                // git through B of what A committed, LFS files checked against their pointers.
                Path clone = git.cloneRepo(GitClient.cloneUrl(b.baseUrl(), alice, "alice/shared"),
                        ItPaths.newTempDir("node-b-git").resolve("clone"));
                String listed = git.run(clone, "lfs", "ls-files", "-l").stdout();
                assertEquals(2, listed.lines().count(), listed);
                for (String line : listed.lines().toList()) {
                    String[] fields = line.split(" [-*] ", 2);
                    assertEquals(fields[0], ItPaths.sha256(clone.resolve(fields[1])), line);
                }

                // A URL A signed is honoured by B: the LFS upload href of A's batch answer, sent to B.
                byte[] content = new byte[4000];
                new Random(3).nextBytes(content);
                HubHttp http = HubHttp.of(a);
                String oid = ItPaths.sha256(java.nio.file.Files.write(ItPaths.newTempDir("node-blob").resolve("x"),
                        content));
                String batch = "{\"operation\":\"upload\",\"transfers\":[\"basic\"],\"objects\":[{\"oid\":\"" + oid
                        + "\",\"size\":" + content.length + "}]}";
                String href = HubHttp.json(http.send(http.request("/alice/shared.git/info/lfs/objects/batch", alice)
                                .header("Content-Type", "application/vnd.git-lfs+json")
                                .header("Accept", "application/vnd.git-lfs+json")
                                .POST(HttpRequest.BodyPublishers.ofString(batch))))
                        .get("objects").get(0).get("actions").get("upload").get("href").asText();
                URI atB = URI.create(href.replace(a.baseUrl(), b.baseUrl()));
                assertEquals(200, http.send(HttpRequest.newBuilder(atB)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(content))).statusCode(), atB.toString());

                // A restart of B leaves A's repos alone (its start-up clean-up only takes a crash's leftovers).
                b.restart();
                assertEquals(200, HubHttp.of(b).get("/api/models/alice/shared", alice).statusCode());
                assertEquals(200, http.get("/api/models/alice/shared/tree/main", alice).statusCode());

                // The start-up passes over every repo (index, Xet conversion, pickle scans) took their leases, one
                // node at a time, and gave them back.
                long deadline = System.currentTimeMillis() + 30_000;
                while (!postgres.query("SELECT COUNT(*) FROM leases").equals("0")
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(200);
                }
                assertEquals("0", postgres.query("SELECT COUNT(*) FROM leases"));
            }
        } finally {
            ItPaths.deleteRecursively(shared);
        }
    }
}
