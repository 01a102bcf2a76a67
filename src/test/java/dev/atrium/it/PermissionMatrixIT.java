package dev.atrium.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.atrium.it.support.AtriumProcess;
import dev.atrium.it.support.HubHttp;
import dev.atrium.it.support.Ndjson;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Every endpoint family × every kind of caller × public, private and gated repos, owned by a user and by an
 * organization. The expected status of each of the ~960 requests comes from the rules written out in
 * {@link #expect}, independently of the server's code; a single table of mismatches is the failure message.
 */
class PermissionMatrixIT {
    private static final String[] OWNERS = {"alice", "acme"};
    private static final String[] KINDS = {"pub", "priv", "gated"};

    /** A caller: who they are to each owner, and what their token lets them do. */
    private record Caller(String label, @Nullable String token, @Nullable String user, String orgRole,
                          boolean writeToken, @Nullable String fineGrainedScope) {}

    private enum Family { INFO, TREE, LISTING, DISCUSSIONS, RESOLVE, LFS_DOWNLOAD, GIT_CLONE, XET_READ, LIKE,
        OPEN_DISCUSSION, OPEN_PR, PREUPLOAD, COMMIT, GIT_PUSH, XET_WRITE, DUPLICATE, LFS_FILES, LFS_PURGE }

    /** Names the copies the DUPLICATE family makes, one per request. */
    private static final java.util.concurrent.atomic.AtomicInteger COPIES = new java.util.concurrent.atomic.AtomicInteger();

    @Test
    void everyEndpointFamily_everyCaller_everyVisibility_answersAsTheRulesSay() {
        try (AtriumProcess server = AtriumProcess.start()) {
            HubHttp http = HubHttp.of(server);
            String alice = server.admin().createUserWithToken("alice", "write").token();
            String aliceRead = server.admin().createToken("alice", "read");
            String carol = server.admin().createUserWithToken("carol", "write").token();
            Map<String, String> members = new LinkedHashMap<>();
            for (String role : new String[] {"read", "contributor", "write"}) {
                members.put(role, server.admin().createUserWithToken("m-" + role, "write").token());
            }
            String bob = server.admin().createUserWithToken("bob", "write").token();
            ok(post(http, "/api/organizations/new", carol, "{\"name\": \"acme\"}"));
            for (String role : members.keySet()) {
                ok(post(http, "/api/organizations/acme/members", carol,
                        "{\"username\": \"m-" + role + "\", \"role\": \"" + role + "\"}"));
            }
            String fgIn = fineGrained(http, alice, "{\"scoped\": [{\"entity\": {\"type\": \"user\", \"name\": \"alice\"},"
                    + " \"permissions\": [\"repo.content.read\", \"repo.write\"]}]}");
            String fgOut = fineGrained(http, alice, "{\"scoped\": [{\"entity\": {\"type\": \"model\", \"name\":"
                    + " \"alice/elsewhere\"}, \"permissions\": [\"repo.content.read\", \"repo.write\"]}]}");
            for (String owner : OWNERS) {
                String token = owner.equals("alice") ? alice : carol;
                for (String kind : KINDS) {
                    String repo = owner + "/" + kind;
                    ok(post(http, "/api/repos/create", token, "{\"name\": \"" + repo + "\", \"private\": "
                            + kind.equals("priv") + "}"));
                    ok(commit(http, repo, token, "seed"));
                    if (kind.equals("gated")) {
                        ok(http.send(http.request("/api/models/" + repo + "/settings", token)
                                .header("Content-Type", "application/json")
                                .PUT(HttpRequest.BodyPublishers.ofString("{\"gated\": \"manual\"}"))));
                    }
                }
            }
            List<Caller> callers = List.of(
                    new Caller("anonymous", null, null, "", false, null),
                    new Caller("alice write", alice, "alice", "", true, null),
                    new Caller("alice read", aliceRead, "alice", "", false, null),
                    new Caller("alice fine-grained in scope", fgIn, "alice", "", false, "alice"),
                    new Caller("alice fine-grained out of scope", fgOut, "alice", "", false, "alice/elsewhere"),
                    new Caller("bob (stranger)", bob, "bob", "", true, null),
                    new Caller("acme admin", carol, "carol", "admin", true, null),
                    new Caller("acme read member", members.get("read"), "m-read", "read", true, null),
                    new Caller("acme contributor", members.get("contributor"), "m-contributor", "contributor", true, null),
                    new Caller("acme write member", members.get("write"), "m-write", "write", true, null));
            List<String> mismatches = new ArrayList<>();
            int checked = 0;
            for (Caller caller : callers) {
                for (String owner : OWNERS) {
                    for (String kind : KINDS) {
                        for (Family family : Family.values()) {
                            int expected = expect(caller, owner, kind, family);
                            int actual = actual(http, caller, owner + "/" + kind, family);
                            checked++;
                            if (expected != actual) {
                                mismatches.add(String.format("%-32s %-11s %-13s expected %d, got %d", caller.label(),
                                        owner + "/" + kind, family, expected, actual));
                            }
                        }
                    }
                }
            }
            assertEquals(List.of(), mismatches, checked + " requests; mismatches:\n" + String.join("\n", mismatches));
        }
    }

    /** The rules of issue 6, written out: who sees, downloads and writes what. */
    private static int expect(Caller c, String owner, String kind, Family family) {
        boolean anonymous = c.token() == null;
        boolean ownsIt = owner.equals(c.user()) || (owner.equals("acme") && !c.orgRole().isEmpty());
        boolean isPrivate = kind.equals("priv");
        boolean inScope = c.fineGrainedScope() == null || c.fineGrainedScope().equals(owner);
        boolean visible = !isPrivate || (ownsIt && inScope);
        // Gated content: owners and organization members; nobody in this matrix has an accepted request.
        boolean download = visible && (!kind.equals("gated") || ownsIt);
        boolean orgWriter = owner.equals("acme") && (c.orgRole().equals("write") || c.orgRole().equals("admin"));
        boolean tokenWrites = c.writeToken() || (c.fineGrainedScope() != null && inScope);
        boolean write = visible && tokenWrites && (owner.equals(c.user()) || orgWriter);
        // Anyone who sees a repo may open discussions and pull requests, with any token but one scoped elsewhere.
        boolean contribute = visible && !anonymous && inScope;
        int hidden = anonymous ? 401 : 404;
        switch (family) {
            case INFO, TREE, DISCUSSIONS -> {
                return visible ? 200 : hidden;
            }
            case LISTING -> {
                return visible ? 200 : 404; // 200: listed, 404: absent from the listing
            }
            case LIKE -> {
                return anonymous ? 401 : visible ? 200 : 404;
            }
            case OPEN_DISCUSSION, OPEN_PR -> {
                return !visible ? hidden : contribute ? 200 : anonymous ? 401 : 403;
            }
            case RESOLVE, LFS_DOWNLOAD, GIT_CLONE, XET_READ -> {
                return !visible ? hidden : download ? 200 : anonymous ? 401 : 403;
            }
            case DUPLICATE -> { // into the caller's own namespace: the files must be downloadable, the token create
                boolean createsOwn = c.writeToken() || (c.fineGrainedScope() != null
                        && c.fineGrainedScope().equals(c.user()));
                return anonymous ? 401 : !visible ? 404 : !download ? 403 : createsOwn ? 200 : 403;
            }
            default -> { // PREUPLOAD, COMMIT, GIT_PUSH, XET_WRITE, LFS_FILES, LFS_PURGE
                return !visible ? hidden : write ? 200 : anonymous ? 401 : 403;
            }
        }
    }

    private static int actual(HubHttp http, Caller c, String repo, Family family) {
        String t = c.token();
        return switch (family) {
            case INFO -> http.send(http.request("/api/models/" + repo, t).GET()).statusCode();
            case TREE -> http.send(http.request("/api/models/" + repo + "/tree/main", t).GET()).statusCode();
            case DISCUSSIONS -> http.send(http.request("/api/models/" + repo + "/discussions", t).GET()).statusCode();
            case OPEN_DISCUSSION -> post(http, "/api/models/" + repo + "/discussions", t,
                    "{\"title\": \"matrix\", \"description\": \"from " + c.label() + "\"}").statusCode();
            case OPEN_PR -> http.send(http.request("/api/models/" + repo + "/commit/main?create_pr=1", t)
                    .header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(Ndjson.commit("pr").file("pr.txt", "pr").build())))
                    .statusCode();
            case GIT_PUSH -> http.send(http.request("/" + repo + ".git/info/refs?service=git-receive-pack", t).GET())
                    .statusCode();
            case LISTING -> {
                HttpResponse<String> r = http.send(http.request("/api/models?author=" + repo.split("/")[0], t).GET());
                boolean listed = false;
                for (JsonNode m : HubHttp.json(r)) {
                    listed |= m.get("id").asText().equals(repo);
                }
                yield listed ? 200 : 404;
            }
            case RESOLVE -> http.send(http.request("/" + repo + "/resolve/main/f.txt", t).GET()).statusCode();
            case LFS_DOWNLOAD -> http.send(http.request("/" + repo + ".git/info/lfs/objects/batch", t)
                    .header("Accept", "application/vnd.git-lfs+json")
                    .header("Content-Type", "application/vnd.git-lfs+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"operation\": \"download\", \"objects\": [{\"oid\": \""
                            + "a".repeat(64) + "\", \"size\": 1}]}"))).statusCode();
            case GIT_CLONE -> http.send(http.request("/" + repo + ".git/info/refs?service=git-upload-pack", t).GET())
                    .statusCode();
            case XET_READ -> http.send(http.request("/api/models/" + repo + "/xet-read-token/main", t).GET())
                    .statusCode();
            case LIKE -> http.send(http.request("/api/models/" + repo + "/like", t)
                    .POST(HttpRequest.BodyPublishers.noBody())).statusCode();
            case PREUPLOAD -> http.send(http.request("/api/models/" + repo + "/preupload/main", t)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"files\": [{\"path\": \"x.bin\", \"size\": 10,"
                            + " \"sample\": \"\"}]}"))).statusCode();
            case COMMIT -> commit(http, repo, t, "matrix").statusCode();
            case XET_WRITE -> http.send(http.request("/api/models/" + repo + "/xet-write-token/main", t).GET())
                    .statusCode();
            case DUPLICATE -> post(http, "/api/models/" + repo + "/duplicate", t, "{\"repository\": \""
                    + (c.user() == null ? "nobody" : c.user()) + "/copy-" + COPIES.incrementAndGet() + "\"}")
                    .statusCode();
            case LFS_FILES -> http.send(http.request("/api/models/" + repo + "/lfs-files", t).GET()).statusCode();
            case LFS_PURGE -> { // content the repo does not hold: allowed, it changes nothing (204)
                int status = post(http, "/api/models/" + repo + "/lfs-files/batch", t, "{\"deletions\": {\"sha\": [\""
                        + "e".repeat(64) + "\"], \"rewriteHistory\": true}}").statusCode();
                yield status == 204 ? 200 : status;
            }
        };
    }

    private static HttpResponse<String> commit(HubHttp http, String repo, @Nullable String token, String summary) {
        return http.send(http.request("/api/models/" + repo + "/commit/main", token)
                .header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(Ndjson.commit(summary).file("f.txt", summary).build())));
    }

    private static HttpResponse<String> post(HubHttp http, String path, @Nullable String token, String json) {
        return http.send(http.request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static String fineGrained(HubHttp http, String token, String scopes) {
        HttpResponse<String> r = post(http, "/api/settings/tokens", token,
                "{\"name\": \"fg\", \"role\": \"fineGrained\", \"fineGrained\": " + scopes + "}");
        ok(r);
        return HubHttp.json(r).get("token").asText();
    }

    private static void ok(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), r.body());
    }
}
