package dev.atrium.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.PasswordHasher;
import dev.atrium.auth.Users;
import dev.atrium.db.Database;
import dev.atrium.org.Organizations;
import dev.atrium.repo.GitRepos;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real delivery path, database, git and HTTP included, with events fired faster than a client can make them. */
class WebhookOrderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void eventsInQuickSuccession_reachAReceiverInTheirOrder() throws Exception {
        Jdbi jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Clock clock = Clock.systemUTC();
        Users users = new Users(jdbi, new PasswordHasher(), clock);
        Organizations orgs = new Organizations(jdbi, clock);
        WebhookTargets targets = WebhookTargets.allowing("127.0.0.0/8");
        Webhooks webhooks = new Webhooks(jdbi, clock, users, orgs, targets);
        var alice = users.create("alice", "alice@example.com", "correct horse battery", false);
        RepoService repoService = new RepoService(jdbi, new Repos(jdbi), new GitRepos(dir.resolve("git")), clock);
        Repo repo = repoService.create(RepoType.MODEL, new RepoId("alice", "watched"), false, null);

        BlockingQueue<String> arrived = new LinkedBlockingQueue<>();
        Random jitter = new Random(1);
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            JsonNode payload = JSON.readTree(exchange.getRequestBody());
            arrived.add(payload.get("updatedRefs").get(0).get("newSha").asText());
            try {
                Thread.sleep(jitter.nextInt(5)); // answers that take their time, as receivers do
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.start();
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        webhooks.create(alice.id(), "http://hub.test", WebhookSpec.checked(url, null,
                List.of(new Webhooks.Watched("model", "alice/watched")), null));
        AccessPolicy policy = new AccessPolicy((namespace, user) -> Optional.empty(), new dev.atrium.auth.Gating() {
            @Override
            public boolean isGated(String repoId) {
                return false;
            }

            @Override
            public boolean isAccepted(String repoId, String userId) {
                return false;
            }
        });
        WebhookDelivery delivery = new WebhookDelivery(webhooks, repoService, policy, users, orgs, targets);
        try {
            List<String> fired = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String sha = String.format("%040x", i + 1);
                fired.add(sha);
                delivery.repoContentChanged(repo, List.of(new Repos.RefChange("refs/heads/main", null, sha)));
            }
            List<String> got = new ArrayList<>();
            while (got.size() < fired.size()) {
                String next = arrived.poll(30, TimeUnit.SECONDS);
                if (next == null) {
                    break;
                }
                got.add(next);
            }
            assertEquals(fired, got);
        } finally {
            delivery.close();
            receiver.stop(0);
        }
    }
}
