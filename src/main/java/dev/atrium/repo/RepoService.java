package dev.atrium.repo;

import dev.atrium.db.Ids;
import dev.atrium.db.NameLocks;
import dev.atrium.http.Errors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** Creating, moving and deleting repositories: the metadata row and the git repository change together. */
public final class RepoService {
    private final Jdbi jdbi;
    private final Repos repos;
    private final GitRepos gitRepos;
    private final Clock clock;

    public RepoService(Jdbi jdbi, Repos repos, GitRepos gitRepos, Clock clock) {
        this.jdbi = jdbi;
        this.repos = repos;
        this.gitRepos = gitRepos;
        this.clock = clock;
    }

    /**
     * Creates the repo with one commit on {@code main} by {@code creator} holding the Hub's default
     * {@code .gitattributes} (and for a Space, as on the Hub, a README.md with its configuration), so that
     * {@code main} always exists. The row is inserted and the git directory put in
     * place in one transaction: a conflict leaves neither behind.
     */
    public Repo create(RepoType type, RepoId id, boolean isPrivate, String sdk, PersonIdent creator)
            throws IOException {
        return create(type, id, isPrivate, sdk, creator, Map.of());
    }

    /** As above, with {@code files} (path to content) in the initial commit too; they win over the defaults. */
    public Repo create(RepoType type, RepoId id, boolean isPrivate, String sdk, PersonIdent creator,
                       Map<String, byte[]> files) throws IOException {
        long now = clock.millis();
        return insertNew(new Repo(Ids.newId(), type, id, isPrivate, sdk, now, now),
                "You already created this " + type.singular() + " repo",
                (h, gitDir) -> writeInitialCommit(gitDir, type, id, sdk, new PersonIdent(creator, now, 0), files));
    }

    /** The {@code .gitattributes} a new repo of this type starts with: the Hub's, sending large-file types to LFS. */
    public static byte[] defaultGitattributes(RepoType type) {
        try (InputStream in = RepoService.class.getResourceAsStream("gitattributes-" + type.singular())) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fills a new repo inside the transaction that inserts its row: rows beside it, and its git directory. */
    @FunctionalInterface
    private interface Filling {
        void fill(Handle h, Path gitDir) throws IOException;
    }

    /**
     * Inserts {@code repo} and puts its git directory, filled by {@code filling}, in place, in one transaction: a
     * conflict ({@code conflict} is its message) leaves neither behind. The search index follows, as for any content.
     */
    private Repo insertNew(Repo repo, String conflict, Filling filling) throws IOException {
        RepoId id = repo.repoId();
        if (RepoId.isReservedNamespace(id.namespace())) {
            throw new Errors.BadRequest("The namespace '" + id.namespace() + "' is reserved");
        }
        try {
            jdbi.useTransaction(h -> {
                NameLocks.REPO.take(h);
                if (Repos.find(h, repo.type(), id).isPresent()) {
                    throw new Errors.Conflict(conflict);
                }
                Repos.insert(h, repo);
                h.createUpdate("DELETE FROM repo_redirects WHERE type = :t AND namespace = :ns AND name = :n")
                        .bind("t", repo.type().name()).bind("ns", id.namespace()).bind("n", id.name()).execute();
                Path temp = gitRepos.initInTemp(repo.id());
                filling.fill(h, temp);
                gitRepos.publish(temp, repo.type(), id);
            });
        } catch (UnableToExecuteStatementException e) {
            // A concurrent create of the same name lost the race on the unique key.
            if (repos.find(repo.type(), id).isPresent()) {
                throw new Errors.Conflict(conflict);
            }
            throw e;
        }
        // A creation, not a content change: the search index and webhooks ("create") hear of it as such.
        lifecycleListeners.forEach(listener -> listener.created(repo));
        return repo;
    }

    private static void writeInitialCommit(Path gitDir, RepoType type, RepoId id, String sdk, PersonIdent creator,
                                           Map<String, byte[]> given) throws IOException {
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put(".gitattributes", defaultGitattributes(type));
        if (type == RepoType.SPACE) {
            files.put("README.md", SpaceCardTemplate.of(id, sdk).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        files.putAll(given);
        try (Repository git = GitRepos.open(gitDir); ObjectInserter inserter = git.newObjectInserter()) {
            List<TreeEdit> edits = new java.util.ArrayList<>();
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                edits.add(new TreeEdit.PutBlob(file.getKey(), inserter.insert(Constants.OBJ_BLOB, file.getValue())));
            }
            inserter.flush();
            CommitWriter.commit(git, new CommitWriter.Request(Constants.R_HEADS + Revisions.DEFAULT_BRANCH, null,
                    null, edits, creator, "initial commit"));
        }
    }

    /**
     * Copies {@code source} to a new repo {@code to} of the same type: its branches and tags with their history
     * (pull request refs stay behind), and the right to read the large files they point at, which are shared, not
     * copied. Discussions, likes, downloads and gates stay with the source. As {@link #create}, the row and the git
     * directory appear together or not at all.
     */
    public Repo duplicate(Repo source, RepoId to, boolean isPrivate, String userId) throws IOException {
        long now = clock.millis();
        Repo copy = new Repo(Ids.newId(), source.type(), to, isPrivate, source.sdk(), now, now);
        return insertNew(copy, "A " + source.type().singular() + " repo named " + to + " already exists",
                (h, gitDir) -> {
                    h.createUpdate("""
                            INSERT INTO lfs_objects (repo_id, oid, size, created_at)
                            SELECT :copy, oid, size, :now FROM lfs_objects WHERE repo_id = :source""")
                            .bind("copy", copy.id()).bind("source", source.id()).bind("now", now).execute();
                    // Only committed files: another writer's upload in flight to the source is not yet its
                    // content, and registered to the copier it would become theirs to read.
                    h.createUpdate("""
                            INSERT INTO xet_file_registrations (file_hash, repo_id, user_id, created_at, committed)
                            SELECT file_hash, :copy, :user, :now, TRUE FROM xet_file_registrations
                            WHERE repo_id = :source AND committed""")
                            .bind("copy", copy.id()).bind("source", source.id()).bind("user", userId)
                            .bind("now", now).execute();
                    copyRefs(gitRepos.dirOf(source.type(), source.repoId()), gitDir);
                });
    }

    /** Fetches the source's branches and tags into {@code target}, objects included, as a local git fetch does. */
    private static void copyRefs(Path sourceDir, Path target) throws IOException {
        try (Repository git = GitRepos.open(target)) {
            // A fetch ends with JGit's auto gc, which detaches to a thread of its own by default. This directory is
            // moved into place right after: a detached gc then finished under the old path, failed to unlock, and
            // left gc.log.lock in the new repo, which kept every later gc of it from starting. Not saved: in memory,
            // for this fetch only.
            git.getConfig().setBoolean("gc", null, "autoDetach", false);
            new Git(git).fetch().setRemote(sourceDir.toUri().toString())
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                    .setTagOpt(TagOpt.NO_TAGS).call();
        } catch (GitAPIException e) {
            throw new IOException("copying the git history failed", e);
        }
    }

    /** Told after a repo was created (its first commit or copied history included), deleted or moved. */
    public interface LifecycleListener {
        default void created(Repo repo) {}

        default void deleted(Repo repo) {}

        default void moved(Repo from, Repo to) {}
    }

    private final List<LifecycleListener> lifecycleListeners = new CopyOnWriteArrayList<>();

    public void onLifecycle(LifecycleListener listener) {
        lifecycleListeners.add(listener);
    }

    public void delete(Repo repo) throws IOException {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM repos WHERE id = :id").bind("id", repo.id()).execute();
            gitRepos.delete(repo.type(), repo.repoId());
        });
        lifecycleListeners.forEach(listener -> listener.deleted(repo));
    }

    /** Moves a repo and keeps its old name as a redirect. */
    public Repo move(Repo repo, RepoId to) throws IOException {
        if (RepoId.isReservedNamespace(to.namespace())) {
            throw new Errors.BadRequest("The namespace '" + to.namespace() + "' is reserved");
        }
        Repo moved = jdbi.inTransaction(h -> {
            NameLocks.REPO.take(h);
            // Ids ignore case: a move that only changes the case of the name finds the repo itself.
            if (Repos.find(h, repo.type(), to).filter(other -> !other.id().equals(repo.id())).isPresent()) {
                throw new Errors.Conflict("A " + repo.type().singular() + " repository called " + to
                        + " already exists");
            }
            h.createUpdate("UPDATE repos SET namespace = :ns, name = :n, updated_at = :now WHERE id = :id")
                    .bind("ns", to.namespace()).bind("n", to.name()).bind("now", clock.millis())
                    .bind("id", repo.id()).execute();
            // The listing's copy of the id (migration V8), so that a search finds the repo under its new name.
            h.createUpdate("""
                    UPDATE repo_meta SET search_key = (SELECT LOWER(r.namespace || '/' || r.name) FROM repos r
                                                       WHERE r.id = repo_meta.repo_id)
                    WHERE repo_id = :id""").bind("id", repo.id()).execute();
            h.createUpdate("DELETE FROM repo_redirects WHERE type = :t AND namespace = :ns AND name = :n")
                    .bind("t", repo.type().name()).bind("ns", to.namespace()).bind("n", to.name()).execute();
            h.createUpdate("""
                    INSERT INTO repo_redirects (type, namespace, name, repo_id) VALUES (:t, :ns, :n, :id)""")
                    .bind("t", repo.type().name()).bind("ns", repo.repoId().namespace())
                    .bind("n", repo.repoId().name()).bind("id", repo.id()).execute();
            gitRepos.move(repo.type(), repo.repoId(), to);
            return Repos.find(h, repo.type(), to).orElseThrow();
        });
        lifecycleListeners.forEach(listener -> listener.moved(repo, moved));
        return moved;
    }

    public Optional<Repo> find(RepoType type, RepoId id) {
        return repos.find(type, id);
    }

    public Repository openGit(Repo repo) {
        try {
            return gitRepos.open(repo);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
