package dev.atrium.commit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.discussion.Discussions;
import dev.atrium.http.BaseUrl;
import dev.atrium.usage.Quotas;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.http.RawPath;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoPath;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Revisions;
import dev.atrium.repo.TreeReader;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.ignore.IgnoreNode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/** {@code preupload/{rev}} and the NDJSON {@code commit/{rev}} endpoint. */
public final class CommitApi {
    private static final int MAX_PREUPLOAD_FILES = 1000;

    private final RepoLookup lookup;
    private final RepoService repoService;
    private final CommitService commits;
    private final UploadModes uploadModes;
    private final BaseUrl baseUrl;
    private final Path stagingRoot;
    private final Quotas quotas;
    private final AccessPolicy policy;
    private final Discussions discussions;
    private final PullRequestCommits prCommits;
    private final long maxInlineFile;

    public CommitApi(RepoLookup lookup, RepoService repoService, CommitService commits, UploadModes uploadModes,
                     BaseUrl baseUrl, Path stagingRoot, long maxInlineFile, Quotas quotas, AccessPolicy policy,
                     Discussions discussions, PullRequestCommits prCommits) {
        this.maxInlineFile = maxInlineFile;
        this.quotas = quotas;
        this.policy = policy;
        this.discussions = discussions;
        this.prCommits = prCommits;
        this.lookup = lookup;
        this.repoService = repoService;
        this.commits = commits;
        this.uploadModes = uploadModes;
        this.baseUrl = baseUrl;
        this.stagingRoot = stagingRoot;
    }

    public void register(RoutesConfig routes) {
        routes.post("/api/{type}/{ns}/{name}/preupload/<rest>", this::preupload);
        routes.post("/api/{type}/{ns}/{name}/commit/<rest>", this::commit);
    }

    /**
     * The repo, for a caller who may commit here: a writer; with {@code create_pr}, anyone who may contribute (a
     * read token suffices, as on the Hub); on {@code refs/pr/N}, its writers and the pull request's author.
     */
    private Repo loadForWrite(Context ctx) {
        String type = ctx.pathParam("type");
        String revision = revision(ctx);
        if (Pagination.boolParam(ctx, "create_pr") || revision.startsWith("refs/pr/")) {
            Repo repo = lookup.load(ctx, RepoLookup.typeOf(type), ctx.pathParam("ns"), ctx.pathParam("name"),
                    AccessPolicy.Action.READ);
            Principal caller = Caller.of(ctx);
            policy.requireContribute(caller, repo);
            if (!Pagination.boolParam(ctx, "create_pr") && !policy.canWrite(caller, repo)) {
                Discussions.Discussion pr = pullRequest(repo, revision);
                if (!caller.user().id().equals(pr.authorId())) {
                    throw new Errors.Forbidden("Only the author of pull request #" + pr.num()
                            + " and the repo's writers may commit to " + revision);
                }
            }
            return repo;
        }
        return lookup.load(ctx, RepoLookup.typeOf(type), ctx.pathParam("ns"), ctx.pathParam("name"),
                AccessPolicy.Action.COMMIT);
    }

    private Discussions.Discussion pullRequest(Repo repo, String revision) {
        try {
            int num = Integer.parseInt(revision.substring("refs/pr/".length()));
            return discussions.get(repo.id(), num).filter(Discussions.Discussion::isPr)
                    .orElseThrow(() -> new Errors.RevisionNotFound(revision));
        } catch (NumberFormatException e) {
            throw new Errors.RevisionNotFound(revision);
        }
    }

    private static String revision(Context ctx) {
        return RawPath.apiTail(ctx);
    }

    private void preupload(Context ctx) throws IOException {
        Repo repo = loadForWrite(ctx);
        JsonNode body = Json.body(ctx);
        JsonNode files = body.path("files");
        if (!files.isArray()) {
            throw new Errors.BadRequest("'files' must be a list");
        }
        if (files.size() > MAX_PREUPLOAD_FILES) {
            throw new Errors.PayloadTooLarge("At most " + MAX_PREUPLOAD_FILES + " files per preupload request");
        }
        try (Repository git = repoService.openGit(repo)) {
            RevCommit head = Revisions.resolve(git, revision(ctx)).commit();
            String attributes = Optional.ofNullable(Json.text(body, "gitAttributes"))
                    .orElse(readText(git, head, ".gitattributes"));
            String ignore = Optional.ofNullable(Json.text(body, "gitIgnore")).orElse(readText(git, head, ".gitignore"));
            LfsRules rules = LfsRules.parse(attributes);
            IgnoreNode ignoreRules = new IgnoreNode();
            ignoreRules.parse(new ByteArrayInputStream(ignore.getBytes(StandardCharsets.UTF_8)));
            ObjectNode out = Json.MAPPER.createObjectNode();
            ArrayNode answers = out.putArray("files");
            long largest = 0;
            long incoming = 0;
            for (JsonNode file : files) {
                String rawPath = Json.text(file, "path");
                String path = RepoPath.normalize(rawPath);
                long size = file.path("size").asLong(-1);
                if (size < 0) {
                    throw new Errors.BadRequest("Each file needs a non-negative 'size'");
                }
                boolean lfs = uploadModes.useLfs(path, size, Json.text(file, "sample"), rules);
                ObjectNode answer = answers.addObject();
                answer.put("path", rawPath);
                answer.put("uploadMode", lfs ? "lfs" : "regular");
                answer.put("shouldIgnore", Boolean.TRUE.equals(ignoreRules.checkIgnored(path, false)));
                Optional<FileEntry> existing = TreeReader.find(git, head, path).filter(e -> !e.isDirectory());
                largest = Math.max(largest, size);
                // A file of the same size at the same path is most likely unchanged: it would be deduplicated.
                if (lfs && existing.map(e -> e.size() != size).orElse(true)) {
                    incoming += size;
                }
                if (existing.isPresent()) {
                    FileEntry e = existing.get();
                    answer.put("oid", e.lfs() != null ? e.lfs().oid().hex() : e.oid());
                } else {
                    answer.putNull("oid");
                }
            }
            // Limits are checked here, before the client sends any byte (LFS and Xet alike).
            long adding = incoming;
            quotas.requireUpload(repo, largest, () -> adding);
            out.put("commitOid", head.name());
            Json.send(ctx, out);
        }
    }

    private void commit(Context ctx) throws IOException {
        Repo repo = loadForWrite(ctx);
        Principal caller = Caller.required(ctx);
        String revision = revision(ctx);
        try (StagingArea staging = StagingArea.open(stagingRoot);
             InputStream body = ctx.req().getInputStream();
             Repository git = repoService.openGit(repo)) {
            // Resolve first so an unknown revision fails before a large body is read.
            if (git.exactRef(Revisions.writableRefName(git, revision)) == null) {
                throw new Errors.RevisionNotFound(revision);
            }
            NdjsonCommitParser.ParsedCommit parsed = new NdjsonCommitParser(staging, maxInlineFile).parse(body);
            boolean createPr = Pagination.boolParam(ctx, "create_pr");
            Discussions.Discussion pr = null;
            ObjectId commit;
            if (createPr) {
                PullRequestCommits.Opened opened = prCommits.open(git, repo, caller, revision, parsed);
                pr = opened.pullRequest();
                commit = opened.commit();
            } else if (revision.startsWith("refs/pr/")) {
                pr = pullRequest(repo, revision);
                commit = prCommits.addTo(git, repo, caller, pr, parsed);
            } else {
                commit = commits.apply(git, repo, caller, revision, parsed);
            }
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("success", true);
            out.put("commitOid", commit.name());
            out.put("commitUrl", baseUrl.of(ctx) + "/" + repo.urlPath() + "/commit/" + commit.name());
            if (pr != null && createPr) {
                out.put("pullRequestUrl", baseUrl.of(ctx) + "/" + repo.urlPath() + "/discussions/" + pr.num());
            } else {
                out.putNull("pullRequestUrl");
            }
            Json.send(ctx, out);
        }
    }

    private static String readText(Repository git, RevCommit commit, String path) throws IOException {
        Optional<FileEntry> entry = TreeReader.find(git, commit, path);
        if (entry.isEmpty() || entry.get().isDirectory() || entry.get().lfs() != null) {
            return "";
        }
        return new String(git.open(ObjectId.fromString(entry.get().oid())).getCachedBytes(1 << 20),
                StandardCharsets.UTF_8);
    }
}
