package dev.atrium.repo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.card.FrontMatter;
import dev.atrium.db.Database;
import dev.atrium.http.Errors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoServiceTest {
    private static final PersonIdent ALICE = new PersonIdent("Alice", "alice@example.com");
    @TempDir
    Path dir;
    private RepoService service;

    protected Jdbi openDatabase() {
        return Database.openSqlite(dir.resolve("atrium.db"));
    }

    @BeforeEach
    void setUp() throws java.io.IOException {
        Jdbi jdbi = openDatabase();
        service = new RepoService(jdbi, new Repos(jdbi), new GitRepos(dir.resolve("repos")), Clock.systemUTC());
    }

    @Test
    void create_initialCommit_isByTheCreator() throws Exception {
        Repo repo = service.create(RepoType.MODEL, RepoId.parse("alice/model"), false, null, ALICE);
        try (Repository git = service.openGit(repo); RevWalk walk = new RevWalk(git)) {
            RevCommit initial = walk.parseCommit(git.resolve("refs/heads/main"));
            assertEquals("Alice", initial.getAuthorIdent().getName());
            assertEquals("alice@example.com", initial.getCommitterIdent().getEmailAddress());
            assertEquals(repo.createdAt() / 1000, initial.getCommitTime());
        }
    }

    @Test
    void create_space_startsWithACardConfiguringIt() throws Exception {
        Repo space = service.create(RepoType.SPACE, RepoId.parse("alice/yes"), false, "streamlit", ALICE);
        Map<String, Object> config;
        try (Repository git = service.openGit(space)) {
            FileEntry readme = TreeReader.find(git, git.parseCommit(git.resolve("refs/heads/main")), "README.md")
                    .orElseThrow();
            config = FrontMatter.validate(new String(git.open(ObjectId.fromString(readme.oid())).getBytes(),
                    StandardCharsets.UTF_8)).orElseThrow();
        }
        assertEquals("yes", config.get("title"), "a name YAML would read as a boolean stays text");
        assertEquals("streamlit", config.get("sdk"));
        assertEquals("app.py", config.get("app_file"));
        assertEquals(false, config.get("pinned"));
        assertNotEquals(config.get("colorFrom"), config.get("colorTo"));
        assertTrue(List.of("red", "yellow", "green", "blue", "indigo", "purple", "pink", "gray")
                .containsAll(List.of(config.get("colorFrom"), config.get("colorTo"))), config.toString());
        try (Repository git = service.openGit(service.create(RepoType.MODEL, RepoId.parse("alice/m"), false, null,
                ALICE))) {
            assertTrue(TreeReader.find(git, git.parseCommit(git.resolve("refs/heads/main")), "README.md").isEmpty(),
                    "models and datasets start without a card, as on the Hub");
        }
    }

    @Test
    void find_otherCase_isTheRepoUnderItsOwnName() throws Exception {
        Repo repo = service.create(RepoType.MODEL, RepoId.parse("Alice/My-Model"), false, null, ALICE);
        Repo found = service.find(RepoType.MODEL, RepoId.parse("alice/my-model")).orElseThrow();
        assertEquals(repo.id(), found.id());
        assertEquals("Alice/My-Model", found.repoId().toString());
        assertTrue(service.find(RepoType.DATASET, RepoId.parse("alice/my-model")).isEmpty(), "types stay apart");
    }

    @Test
    void create_nameTakenInAnotherCase_isAConflict() throws Exception {
        service.create(RepoType.MODEL, RepoId.parse("alice/model"), false, null, ALICE);
        assertThrows(Errors.Conflict.class,
                () -> service.create(RepoType.MODEL, RepoId.parse("Alice/MODEL"), false, null, ALICE));
    }

    @Test
    void create_namesDifferingInCaseAtOnce_onlyOneIsCreated() throws Exception {
        List<String> spellings = List.of("alice/race", "alice/Race", "alice/RACE", "Alice/race", "alice/rAce",
                "alice/raCe", "alice/racE", "ALICE/RACE");
        List<java.util.concurrent.Callable<Repo>> creations = spellings.stream()
                .map(spelling -> (java.util.concurrent.Callable<Repo>) () ->
                        service.create(RepoType.MODEL, RepoId.parse(spelling), false, null, ALICE))
                .toList();
        assertEquals(1, dev.atrium.testing.AtOnce.succeeded(creations, Errors.Conflict.class));
    }

    @Test
    void move_onlyTheCase_renamesTheRepo() throws Exception {
        Repo repo = service.create(RepoType.MODEL, RepoId.parse("alice/model"), false, null, ALICE);
        Repo moved = service.move(repo, RepoId.parse("alice/Model"));
        assertEquals("alice/Model", moved.repoId().toString());
        assertEquals(repo.id(), moved.id());
        try (Repository git = service.openGit(moved)) {
            assertTrue(git.resolve("refs/heads/main") != null, "the git directory moved with it");
        }
    }

    @Test
    void move_ontoAnotherRepoInAnotherCase_isAConflict() throws Exception {
        Repo repo = service.create(RepoType.MODEL, RepoId.parse("alice/one"), false, null, ALICE);
        service.create(RepoType.MODEL, RepoId.parse("alice/two"), false, null, ALICE);
        assertThrows(Errors.Conflict.class, () -> service.move(repo, RepoId.parse("alice/TWO")));
    }
}
