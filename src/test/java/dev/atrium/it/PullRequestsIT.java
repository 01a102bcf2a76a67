package dev.atrium.it;

import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.Clients;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.ItPaths;
import dev.atrium.it.support.PythonClient;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/**
 * Pull requests and discussions with the real huggingface_hub client ({@code src/it/python/pull_requests.py}):
 * create_commit(create_pr=True) with a read token (LFS file included), commits to refs/pr/N by its author only,
 * diff and events, comments, a plain discussion, status changes, merges (fast-forward, merge commit, conflict
 * refused) by writers only, an organization's contributor who opens pull requests but cannot push, and drafts
 * (create_pull_request) opened by their first commit, through the commit API or a git push to refs/pr/N.
 */
class PullRequestsIT {

    @Test
    void pullRequests_realClient_openCommitMergeAndRoles() {
        PythonClient python = Clients.python();
        try (AtriumProcess server = AtriumProcess.start()) {
            String alice = server.admin().createUserWithToken("alice", "write").token();
            server.admin().createUserWithToken("bob", "write");
            String bobRead = server.admin().createToken("bob", "read");
            String carol = server.admin().createUserWithToken("carol", "write").token();
            String admin = server.admin().createUserWithToken("dana", "write").token();
            String contributor = server.admin().createUserWithToken("eve", "write").token();
            HubHttp http = HubHttp.of(server);
            http.send(http.request("/api/organizations/new", admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"acme\"}")));
            http.send(http.request("/api/organizations/acme/members", admin).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"username\": \"eve\", \"role\": \"contributor\"}")));
            python.script("pull_requests.py", server.baseUrl(), alice, ItPaths.newTempDir("prs"))
                    .env("TOKEN_ALICE", alice)
                    .env("TOKEN_BOB", bobRead)
                    .env("TOKEN_CAROL", carol)
                    .env("TOKEN_CONTRIB", contributor)
                    .env("TOKEN_ADMIN", admin)
                    .runChecked();
        }
    }
}
