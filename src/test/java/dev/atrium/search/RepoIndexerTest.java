package dev.atrium.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.auth.Principal;
import dev.atrium.auth.TokenInfo;
import dev.atrium.auth.TokenRole;
import dev.atrium.auth.User;
import dev.atrium.commit.CommitHeader;
import dev.atrium.commit.CommitOperation;
import dev.atrium.commit.CommitService;
import dev.atrium.commit.NdjsonCommitParser;
import dev.atrium.commit.StagingArea;
import dev.atrium.db.Database;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.GitRepos;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import dev.atrium.storage.LocalBlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.lib.Repository;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index of a repo's facts and tags, and its renewal when a server reads more than the one that made it. */
class RepoIndexerTest {
    private static final User ALICE = new User("a".repeat(24), "alice", "alice@example.com", "Alice", false, 0);
    private static final Principal AUTHOR = new Principal(ALICE,
            new TokenInfo("t".repeat(24), ALICE.id(), "laptop", TokenRole.WRITE, 0, null, null));

    @TempDir
    Path dir;
    private Jdbi jdbi;
    private RepoService repoService;
    private CommitService commits;
    private StagingArea staging;
    private RepoIndexer indexer;
    /** What the other features derive from the facts, changeable per test. */
    private final AtomicReference<Set<String>> derived = new AtomicReference<>(Set.of());

    @BeforeEach
    void setUp() throws IOException {
        jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        Repos repos = new Repos(jdbi);
        repoService = new RepoService(jdbi, repos, new GitRepos(dir.resolve("git")), Clock.systemUTC());
        LfsObjects lfs = new LfsObjects(jdbi, new LocalBlobStore(dir.resolve("blobs")), Clock.systemUTC());
        commits = new CommitService(lfs, repos, Clock.systemUTC(), 1 << 20);
        staging = StagingArea.open(dir.resolve("staging"));
        indexer = new RepoIndexer(jdbi, repos, repoService, new RepoFactsReader(lfs), facts -> derived.get());
    }

    @AfterEach
    void tearDown() throws IOException {
        staging.close();
    }

    private Repo repoWith(RepoType type, String id, String readme) throws IOException {
        Repo repo = repoService.create(type, RepoId.parse(id), false, null,
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"));
        try (Repository git = repoService.openGit(repo)) {
            byte[] bytes = readme.getBytes(StandardCharsets.UTF_8);
            commits.apply(git, repo, AUTHOR, "main", new NdjsonCommitParser.ParsedCommit(new CommitHeader("card", "",
                    null), List.of(new CommitOperation.AddFile("README.md", staging.stage(out -> out.write(bytes))))));
        }
        indexer.index(repo);
        return repo;
    }

    private Set<String> tags(Repo repo) {
        return Set.copyOf(jdbi.withHandle(h -> h.createQuery("SELECT tag FROM repo_tags WHERE repo_id = :repo")
                .bind("repo", repo.id()).mapTo(String.class).list()));
    }

    @Test
    void derivedTags_areStoredWithTheFactsOwn() throws IOException {
        derived.set(Set.of("inference:runnable"));
        Repo model = repoWith(RepoType.MODEL, "alice/model", "---\nlicense: mit\n---\n");
        assertEquals(Set.of("license:mit", "inference:runnable"), tags(model));
    }

    @Test
    void aCard_cannotClaimADerivedTag() throws IOException {
        Repo model = repoWith(RepoType.MODEL, "alice/claims", "---\ntags:\n- inference:runnable\n- fine\n---\n");
        assertEquals(Set.of("fine"), tags(model));
    }

    @Test
    void rowsOfAnOlderVersion_areRenewedOnce_rowsOfThisOne_areLeft() throws IOException {
        Repo space = repoWith(RepoType.SPACE, "alice/site", "---\nsdk: static\n---\n");
        Repo model = repoWith(RepoType.MODEL, "alice/model", "---\nlicense: mit\n---\n");
        // As an older server left them: no version recorded, the Space without its SDK tag, no derived tags.
        jdbi.useHandle(h -> h.execute("DELETE FROM repo_tags"));
        derived.set(Set.of("inference:runnable"));

        assertEquals(2, indexer.reindexIfOutdated());

        assertEquals(Set.of("static", "inference:runnable"), tags(space));
        assertEquals(Set.of("license:mit", "inference:runnable"), tags(model));
        int recorded = jdbi.withHandle(h -> h.createQuery(
                "SELECT version FROM index_state WHERE name = 'repo_facts'").mapTo(Integer.class).one());
        assertEquals(RepoIndexer.FACTS_VERSION, recorded);
        jdbi.useHandle(h -> h.execute("DELETE FROM repo_tags"));
        assertEquals(0, indexer.reindexIfOutdated(), "recorded: nothing to renew");
        assertEquals(Set.of(), tags(model));
    }
}
