package dev.atrium.mirror;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.http.Json;
import dev.atrium.http.OutboundTargetRefused;
import dev.atrium.http.OutboundTargets;
import dev.atrium.lfs.LfsPointer;
import dev.atrium.storage.BlobMismatchException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.jspecify.annotations.Nullable;

/**
 * Talks to the hub a mirror copies from, as its clients do: git's smart HTTP for the history (JGit's fetch), and the
 * LFS batch API for the large files, whose downloads may be on another host (a CDN, an object store) and get only the
 * headers the batch answer names, never the token. Every host is checked against {@link OutboundTargets} first, and no
 * redirect is followed without checking where it leads.
 */
public final class SourceHub {
    /** Where the fetch puts the source's refs, out of clients' sight, before the repo's own refs move to them. */
    static final String FETCHED = "refs/mirror/";
    private static final int BATCH = 100;
    private static final int MAX_REDIRECTS = 5;
    private static final String LFS_JSON = "application/vnd.git-lfs+json";

    /** The source's branches and tags (by the name the repo will give them) and the branch its HEAD names. */
    public record Fetched(Map<String, ObjectId> refs, @Nullable String head) {}

    @FunctionalInterface
    public interface ObjectSink {
        void accept(LfsPointer pointer, InputStream content) throws IOException, BlobMismatchException;
    }

    private final OutboundTargets targets;
    private final HttpClient http;
    private final Duration timeout;

    public SourceHub(OutboundTargets targets, Duration timeout) {
        this.targets = targets;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * What the source's API says of the repo: whether it is private there, and its gate ({@code auto},
     * {@code manual}), if it has one.
     */
    public record SourceRepo(boolean isPrivate, @Nullable String gated) {}

    /**
     * Asks the source's API for the repo, as a client's {@code repo_info} does: whether the address names a hub's repo
     * that the token (or anyone, without one) may see, before anything is made here. A gated repo's files may still
     * be refused; the first sync then says so.
     */
    public SourceRepo requireReadable(MirrorSource source, @Nullable String token) throws MirrorFailure, IOException {
        URI url = URI.create(source.endpoint() + "/api/" + source.type().plural() + "/" + source.id());
        check(url);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response = send(request.build());
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(16 << 20);
        }
        int status = response.statusCode();
        java.util.Optional<String> moved = response.headers().firstValue("Location");
        if (status >= 300 && status < 400 && moved.isPresent()) {
            throw new MirrorFailure(source.pageUrl() + " has moved (its hub redirects to " + moved.get()
                    + "): give the repo's new address");
        }
        if (status == 401 || status == 403 || status == 404) {
            throw new MirrorFailure(source.pageUrl() + " answered " + status + ": the repo does not exist there, or "
                    + (token == null ? "it is private and needs a token" : "the token may not read it"));
        }
        JsonNode info;
        try {
            info = status == 200 ? Json.MAPPER.readTree(body) : null;
        } catch (IOException e) {
            info = null;
        }
        if (info == null || !info.isObject()) {
            throw new MirrorFailure(source.pageUrl() + " is not a repo of a hub (its API answered " + status + ")");
        }
        // The Hub says "gated": false, "auto" or "manual".
        String gated = info.path("gated").isTextual() ? info.path("gated").asText() : null;
        return new SourceRepo(info.path("private").asBoolean(false), gated);
    }

    /** Fetches the source's branches and tags, with their objects, into {@code git} under {@link #FETCHED}. */
    public Fetched fetch(Repository git, MirrorSource source, @Nullable String token) throws MirrorFailure {
        check(source.endpoint());
        // Only in memory, for this fetch: a redirect would lead JGit to a host nobody checked, and the auto gc that
        // ends a fetch must not outlive it on a thread of its own.
        git.getConfig().setString("http", null, "followRedirects", "false");
        git.getConfig().setBoolean("gc", null, "autoDetach", false);
        try (Git api = new Git(git)) {
            var fetch = api.fetch().setRemote(source.gitUrl().toString())
                    .setRefSpecs(new RefSpec("+refs/heads/*:" + FETCHED + "heads/*"),
                            new RefSpec("+refs/tags/*:" + FETCHED + "tags/*"))
                    .setRemoveDeletedRefs(true).setTagOpt(TagOpt.NO_TAGS)
                    .setTimeout((int) timeout.toSeconds());
            if (token != null) {
                // Hubs read the token from the password of HTTP Basic; the user name is not looked at.
                fetch.setCredentialsProvider(new UsernamePasswordCredentialsProvider("atrium-mirror", token));
            }
            FetchResult result = fetch.call();
            Map<String, ObjectId> refs = new LinkedHashMap<>();
            for (Ref ref : git.getRefDatabase().getRefsByPrefix(FETCHED)) {
                if (ref.getObjectId() != null) {
                    refs.put("refs/" + ref.getName().substring(FETCHED.length()), ref.getObjectId());
                }
            }
            Ref head = result.getAdvertisedRef(Constants.HEAD);
            String headTarget = head != null && head.isSymbolic() ? head.getTarget().getName() : null;
            return new Fetched(refs, headTarget);
        } catch (GitAPIException | IOException | org.eclipse.jgit.api.errors.JGitInternalException e) {
            throw new MirrorFailure("Fetching the history from " + source.gitUrl() + " failed: "
                    + explain(e, token != null), e);
        }
    }

    /**
     * Removes the refs a fetch left under {@link #FETCHED}: once a repo stops following its source they would only
     * keep the source's later history, never shown, from garbage collection.
     */
    static void dropFetched(Repository git) throws IOException {
        for (Ref ref : git.getRefDatabase().getRefsByPrefix(FETCHED)) {
            org.eclipse.jgit.lib.RefUpdate delete = git.updateRef(ref.getName());
            delete.setForceUpdate(true);
            delete.delete();
        }
    }

    /**
     * What went wrong, in a hub's terms: a hub answers a repo that is private, gated or gone alike (401 to anyone
     * not let in, so private names do not leak), which JGit reports as asking for credentials.
     */
    private static String explain(Exception e, boolean hadToken) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("Authentication is required") || message.contains("not authorized")) {
            return "the source refused access: the repo is gone, or private or gated and "
                    + (hadToken ? "the token may not read it" : "needs a token");
        }
        if (message.contains("not found")) {
            return "the source has no such repo";
        }
        return message;
    }

    /** Downloads {@code objects} through the source's LFS batch API into {@code sink}, which verifies them. */
    public void download(MirrorSource source, @Nullable String token, Collection<LfsPointer> objects, ObjectSink sink)
            throws MirrorFailure, IOException {
        List<LfsPointer> all = List.copyOf(objects);
        for (int from = 0; from < all.size(); from += BATCH) {
            List<LfsPointer> batch = all.subList(from, Math.min(all.size(), from + BATCH));
            JsonNode answer = batch(source, token, batch);
            Map<String, JsonNode> byOid = new LinkedHashMap<>();
            for (JsonNode object : answer.path("objects")) {
                byOid.put(object.path("oid").asText(), object);
            }
            for (LfsPointer pointer : batch) {
                JsonNode object = byOid.get(pointer.oid().hex());
                if (object == null || object.has("error")) {
                    throw new MirrorFailure("The source has no large file " + pointer.oid() + " (" + pointer.size()
                            + " bytes)" + (object == null ? "" : ": " + object.path("error").path("message").asText()));
                }
                JsonNode action = object.path("actions").path("download");
                if (!action.path("href").isTextual()) {
                    throw new MirrorFailure("The source's LFS answer gives no download for " + pointer.oid());
                }
                Map<String, String> headers = new LinkedHashMap<>();
                action.path("header").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
                fetchObject(URI.create(action.path("href").asText()), headers, pointer, sink);
            }
        }
    }

    private JsonNode batch(MirrorSource source, @Nullable String token, List<LfsPointer> objects)
            throws MirrorFailure, IOException {
        ObjectNode body = Json.MAPPER.createObjectNode().put("operation", "download").put("hash_algo", "sha256");
        body.putArray("transfers").add("basic");
        ArrayNode list = body.putArray("objects");
        objects.forEach(p -> list.addObject().put("oid", p.oid().hex()).put("size", p.size()));
        URI url = source.lfsBatchUrl();
        check(url);
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout)
                .header("Accept", LFS_JSON).header("Content-Type", LFS_JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.MAPPER.writeValueAsBytes(body)));
        if (token != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    ("atrium-mirror:" + token).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<InputStream> response = send(request.build());
        try (InputStream in = response.body()) {
            byte[] bytes = in.readNBytes(16 << 20);
            if (response.statusCode() != 200) {
                throw new MirrorFailure("The source's LFS batch API (" + url + ") answered " + response.statusCode()
                        + (token == null ? " (no token was given: a private or gated source needs one)" : ""));
            }
            return Json.MAPPER.readTree(bytes);
        }
    }

    /**
     * Downloads one object, following redirects only to hosts that pass the check. Through
     * {@link java.net.HttpURLConnection} rather than the HTTP client: its read timeout fails a source that stops
     * sending mid-file, where the client's body stream would wait for ever and hold up every later sync.
     */
    private void fetchObject(URI href, Map<String, String> headers, LfsPointer pointer, ObjectSink sink)
            throws MirrorFailure, IOException {
        URI url = href;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            check(url);
            java.net.HttpURLConnection connection = (java.net.HttpURLConnection) url.toURL().openConnection();
            try {
                connection.setInstanceFollowRedirects(false);
                connection.setConnectTimeout((int) timeout.toMillis());
                connection.setReadTimeout((int) timeout.toMillis());
                // The batch answer's headers are for its href's host; a redirect elsewhere (a CDN) gets none of them.
                if (url.getHost().equalsIgnoreCase(href.getHost())) {
                    headers.forEach(connection::setRequestProperty);
                }
                int status;
                try {
                    status = connection.getResponseCode();
                } catch (java.net.ConnectException | java.net.SocketTimeoutException e) {
                    throw new MirrorFailure("The source at " + url.getHost() + " could not be reached: " + e);
                }
                String location = connection.getHeaderField("Location");
                if (status >= 300 && status < 400 && location != null) {
                    url = url.resolve(location);
                    continue;
                }
                if (status != 200) {
                    throw new MirrorFailure("Downloading large file " + pointer.oid() + " from the source answered "
                            + status);
                }
                try (InputStream in = connection.getInputStream()) {
                    sink.accept(pointer, in);
                } catch (BlobMismatchException e) {
                    throw new MirrorFailure("The source sent other bytes than large file " + pointer.oid() + " ("
                            + pointer.size() + " bytes): " + e.getMessage());
                } catch (java.net.SocketTimeoutException e) {
                    throw new MirrorFailure("The source stopped sending large file " + pointer.oid() + " for "
                            + timeout.toSeconds() + " s");
                }
                return;
            } finally {
                connection.disconnect();
            }
        }
        throw new MirrorFailure("Downloading large file " + pointer.oid() + " led through more than " + MAX_REDIRECTS
                + " redirects");
    }

    private HttpResponse<InputStream> send(HttpRequest request) throws MirrorFailure, IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.net.ConnectException | java.net.http.HttpTimeoutException e) {
            throw new MirrorFailure("The source at " + request.uri().getHost() + " could not be reached: " + e);
        }
    }

    private void check(URI url) throws MirrorFailure {
        try {
            targets.check(url.getHost());
        } catch (OutboundTargetRefused e) {
            throw new MirrorFailure(e.getMessage());
        } catch (UnknownHostException e) {
            throw new MirrorFailure("The source's host " + url.getHost() + " is unknown");
        }
    }
}
