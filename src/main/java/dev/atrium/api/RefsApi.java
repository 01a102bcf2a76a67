package dev.atrium.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.RawPath;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.Repos;
import dev.atrium.repo.Revisions;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TagBuilder;
import org.eclipse.jgit.revwalk.RevCommit;

/** {@code refs}, creating and deleting branches and tags, squashing a branch. Every ref change is a compare-and-swap. */
public final class RefsApi {
    private static final java.util.regex.Pattern SPECIAL_REF =
            java.util.regex.Pattern.compile("refs/(pr/[0-9]+|convert/[A-Za-z0-9_.-]+)");
    private final RepoLookup lookup;
    private final RepoService repoService;
    private final Repos repos;
    private final Clock clock;

    public RefsApi(RepoLookup lookup, RepoService repoService, Repos repos, Clock clock) {
        this.lookup = lookup;
        this.repoService = repoService;
        this.repos = repos;
        this.clock = clock;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/{type}/{ns}/{name}/refs", this::refs);
        routes.post("/api/{type}/{ns}/{name}/branch/<rest>", this::createBranch);
        routes.delete("/api/{type}/{ns}/{name}/branch/<rest>", this::deleteBranch);
        routes.post("/api/{type}/{ns}/{name}/tag/<rest>", this::createTag);
        routes.delete("/api/{type}/{ns}/{name}/tag/<rest>", this::deleteTag);
        routes.post("/api/{type}/{ns}/{name}/super-squash/<rest>", this::superSquash);
    }

    private Repo load(Context ctx, AccessPolicy.Action action) {
        return lookup.load(ctx, RepoLookup.typeOf(ctx.pathParam("type")), ctx.pathParam("ns"), ctx.pathParam("name"),
                action);
    }

    /** Everything after {@code /api/{type}/{ns}/{name}/{action}/}, decoded: a branch, tag or revision name. */
    private static String tail(Context ctx) {
        return RawPath.apiTail(ctx);
    }

    private void refs(Context ctx) throws IOException {
        Repo repo = load(ctx, AccessPolicy.Action.READ);
        String includePrs = ctx.queryParam("include_prs");
        boolean withPrs = "1".equals(includePrs) || "true".equals(includePrs);
        ObjectNode out = Json.MAPPER.createObjectNode();
        try (Repository git = repoService.openGit(repo)) {
            list(git, out.putArray("branches"), Constants.R_HEADS, false);
            list(git, out.putArray("tags"), Constants.R_TAGS, false);
            list(git, out.putArray("converts"), "refs/convert/", false);
            if (withPrs) {
                list(git, out.putArray("pullRequests"), "refs/pr/", true);
            }
        }
        Json.send(ctx, out);
    }

    private static void list(Repository git, ArrayNode out, String prefix, boolean fullName) throws IOException {
        for (Ref ref : git.getRefDatabase().getRefsByPrefix(prefix)) {
            Ref peeled = git.getRefDatabase().peel(ref);
            ObjectId target = peeled.getPeeledObjectId() != null ? peeled.getPeeledObjectId() : ref.getObjectId();
            out.addObject().put("name", fullName ? ref.getName() : ref.getName().substring(prefix.length()))
                    .put("ref", ref.getName()).put("targetCommit", target.name());
        }
    }

    private void createBranch(Context ctx) throws IOException {
        Repo repo = load(ctx, AccessPolicy.Action.COMMIT);
        String branch = tail(ctx);
        String refName = Constants.R_HEADS + branch;
        if (branch.startsWith("refs/") || !Repository.isValidRefName(refName)) {
            throw new Errors.BadRequest("Invalid branch name '" + branch + "'");
        }
        JsonNode body = Json.body(ctx);
        String start = Json.text(body, "startingPoint");
        boolean overwrite = body.path("overwrite").asBoolean(false);
        boolean empty = body.path("emptyBranch").asBoolean(false);
        try (Repository git = repoService.openGit(repo)) {
            Ref existing = git.exactRef(refName);
            if (existing != null && !overwrite) {
                throw new Errors.Conflict("Reference " + refName + " already exists");
            }
            // An empty branch (the JS client's createBranch({empty: true})) starts at a commit without files.
            ObjectId target = empty ? rootCommit(git, emptyTree(git), Caller.required(ctx), "Create empty branch")
                    : Revisions.resolve(git, start == null ? Revisions.DEFAULT_BRANCH : start).commit();
            RefUpdate update = git.updateRef(refName);
            update.setExpectedOldObjectId(existing == null ? ObjectId.zeroId() : existing.getObjectId());
            update.setNewObjectId(target);
            update.setForceUpdate(true);
            checkResult(update.update(), refName);
            repos.touch(repo, clock.millis(), List.of(Repos.RefChange.of(refName,
                    existing == null ? null : existing.getObjectId(), target)));
        }
        Json.send(ctx, Map.of());
    }

    private void deleteBranch(Context ctx) throws IOException {
        Repo repo = load(ctx, AccessPolicy.Action.COMMIT);
        String branch = tail(ctx);
        if (branch.equals(Revisions.DEFAULT_BRANCH)) {
            throw new Errors.Forbidden("Cannot delete " + Constants.R_HEADS + branch + ": it is the default branch");
        }
        deleteRef(repo, Constants.R_HEADS + branch, branch);
        Json.send(ctx, Map.of());
    }

    private void createTag(Context ctx) throws IOException {
        Repo repo = load(ctx, AccessPolicy.Action.COMMIT);
        Principal caller = Caller.required(ctx);
        String revision = tail(ctx);
        JsonNode body = Json.body(ctx);
        String tag = Json.text(body, "tag");
        String message = Json.text(body, "message");
        String refName = Constants.R_TAGS + tag;
        try (Repository git = repoService.openGit(repo)) {
            // The revision first, as the Hub: a tag on a revision that does not exist is a RevisionNotFound.
            RevCommit target = Revisions.resolve(git, revision).commit();
            if (tag == null || tag.startsWith("refs/") || !Repository.isValidRefName(refName)) {
                throw new Errors.BadRequest("Invalid tag name '" + tag + "'");
            }
            if (git.exactRef(refName) != null) {
                throw new Errors.Conflict("Reference " + refName + " already exists");
            }
            ObjectId newId = target;
            if (message != null && !message.isEmpty()) {
                TagBuilder annotated = new TagBuilder();
                annotated.setTag(tag);
                annotated.setObjectId(target);
                annotated.setMessage(message);
                annotated.setTagger(new PersonIdent(caller.user().name(), caller.user().email(),
                        java.time.Instant.ofEpochMilli(clock.millis()), java.time.ZoneOffset.UTC));
                try (ObjectInserter inserter = git.newObjectInserter()) {
                    newId = inserter.insert(annotated);
                    inserter.flush();
                }
            }
            RefUpdate update = git.updateRef(refName);
            update.setExpectedOldObjectId(ObjectId.zeroId());
            update.setNewObjectId(newId);
            checkResult(update.update(), refName);
            repos.touch(repo, clock.millis(), List.of(Repos.RefChange.of(refName, null, newId)));
        }
        Json.send(ctx, Map.of());
    }

    private void deleteTag(Context ctx) throws IOException {
        Repo repo = load(ctx, AccessPolicy.Action.COMMIT);
        String tag = tail(ctx);
        deleteRef(repo, Constants.R_TAGS + tag, tag);
        Json.send(ctx, Map.of());
    }

    private void deleteRef(Repo repo, String refName, String shownName) throws IOException {
        try (Repository git = repoService.openGit(repo)) {
            Ref existing = Repository.isValidRefName(refName) ? git.exactRef(refName) : null;
            if (existing == null) {
                throw new Errors.RevisionNotFound(shownName);
            }
            RefUpdate update = git.updateRef(refName);
            update.setExpectedOldObjectId(existing.getObjectId());
            update.setForceUpdate(true);
            checkResult(update.delete(), refName);
            repos.touch(repo, clock.millis(), List.of(Repos.RefChange.of(refName, existing.getObjectId(), null)));
        }
    }

    /**
     * {@code super-squash/{branch}} (or a pull request's or a conversion's ref): the branch becomes one commit holding
     * its current tree, a compare-and-swap on the head it read. Older commits stay reachable from other refs that
     * name them (tags, pull requests), and the large files stay stored until {@code atrium admin gc} frees them.
     */
    private void superSquash(Context ctx) throws IOException {
        Repo repo = load(ctx, AccessPolicy.Action.COMMIT);
        Principal caller = Caller.required(ctx);
        String branch = tail(ctx);
        // Also a pull request's ref or a conversion's (refs/convert/parquet, which the dataset viewer squashes).
        String refName = SPECIAL_REF.matcher(branch).matches() ? branch : Constants.R_HEADS + branch;
        ObjectId squashed;
        try (Repository git = repoService.openGit(repo)) {
            Ref head = Repository.isValidRefName(refName) ? git.exactRef(refName) : null;
            if (head == null) {
                String tag = Constants.R_TAGS + branch;
                if (Repository.isValidRefName(tag) && git.exactRef(tag) != null) {
                    throw new Errors.BadRequest("'" + branch + "' is a tag: only branches can be squashed");
                }
                throw new Errors.RevisionNotFound(branch);
            }
            String message = Json.text(Json.body(ctx), "message");
            squashed = rootCommit(git, git.parseCommit(head.getObjectId()).getTree(), caller,
                    message == null || message.isBlank() ? "Super-squash branch '" + branch + "'" : message);
            RefUpdate update = git.updateRef(refName);
            update.setExpectedOldObjectId(head.getObjectId());
            update.setNewObjectId(squashed);
            update.setForceUpdate(true);
            checkResult(update.update(), refName);
            repos.touch(repo, clock.millis(), List.of(Repos.RefChange.of(refName, head.getObjectId(), squashed)));
        }
        Json.send(ctx, Map.of("commitId", squashed.name()));
    }

    private static ObjectId emptyTree(Repository git) throws IOException {
        try (ObjectInserter inserter = git.newObjectInserter()) {
            ObjectId tree = inserter.insert(Constants.OBJ_TREE, new byte[0]);
            inserter.flush();
            return tree;
        }
    }

    /** A commit without parents: the one commit of a squashed branch, or of a new empty branch. */
    private ObjectId rootCommit(Repository git, ObjectId tree, Principal caller, String message) throws IOException {
        PersonIdent who = new PersonIdent(caller.user().name(), caller.user().email(),
                java.time.Instant.ofEpochMilli(clock.millis()), java.time.ZoneOffset.UTC);
        CommitBuilder commit = new CommitBuilder();
        commit.setTreeId(tree);
        commit.setAuthor(who);
        commit.setCommitter(who);
        commit.setMessage(message);
        try (ObjectInserter inserter = git.newObjectInserter()) {
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            return id;
        }
    }

    private static void checkResult(RefUpdate.Result result, String refName) throws IOException {
        switch (result) {
            case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> { }
            case LOCK_FAILURE -> throw new Errors.Conflict(refName + " was changed concurrently; retry");
            default -> throw new IOException("update of " + refName + " failed: " + result);
        }
    }
}
