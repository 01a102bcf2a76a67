package dev.atrium.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.ServerSecret;
import dev.atrium.db.Database;
import dev.atrium.http.Errors;
import dev.atrium.repo.GitRepos;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoService;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpaceVariablesTest {
    @TempDir
    Path dir;
    private Jdbi jdbi;
    private RepoService repoService;
    private SpaceVariables variables;
    private Repo space;

    @BeforeEach
    void setUp() throws IOException {
        jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        repoService = new RepoService(jdbi, new Repos(jdbi), new GitRepos(dir.resolve("git")), Clock.systemUTC());
        variables = new SpaceVariables(jdbi, new ServerSecret(new byte[32]), Clock.systemUTC());
        space = repoService.create(RepoType.SPACE, RepoId.parse("alice/app"), false, "streamlit",
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"));
    }

    private String storedValue(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT value FROM space_variables WHERE name = :n")
                .bind("n", name).mapTo(String.class).one());
    }

    @Test
    void secrets_areStoredSealed_listedWithoutValue_andUnsealedForTheApp() {
        variables.put(space, "API_TOKEN", "s3cret value", "for the API", true);
        variables.put(space, "MODEL", "alice/model", null, false);

        assertFalse(storedValue("API_TOKEN").contains("s3cret"), "no plain text in the database");
        assertEquals("alice/model", storedValue("MODEL"), "variables are plain");
        List<SpaceVariables.Entry> secrets = variables.list(space, true);
        assertEquals(1, secrets.size());
        assertEquals("for the API", secrets.get(0).description());
        assertNull(secrets.get(0).value(), "a secret's value is never listed");
        assertEquals(Map.of("API_TOKEN", "s3cret value", "MODEL", "alice/model"), variables.environment(space));
    }

    @Test
    void aSealedSecret_opensOnlyUnderItsServerSecret_andForItsOwnSpaceAndName() throws IOException {
        variables.put(space, "API_TOKEN", "s3cret value", null, true);
        Repo other = repoService.create(RepoType.SPACE, RepoId.parse("alice/other"), false, "streamlit",
                new org.eclipse.jgit.lib.PersonIdent("alice", "alice@example.com"));

        var otherServer = new SpaceVariables(jdbi, new ServerSecret(filled((byte) 1)), Clock.systemUTC());
        assertThrows(IllegalStateException.class, () -> otherServer.environment(space), "another server's key");
        jdbi.useHandle(h -> h.execute("UPDATE space_variables SET repo_id = ? WHERE name = 'API_TOKEN'", other.id()));
        assertThrows(IllegalStateException.class, () -> variables.environment(other), "a row moved to another Space");
    }

    private static byte[] filled(byte b) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, b);
        return key;
    }

    @Test
    void aName_isEitherAVariableOrASecret_andMustSuitAnEnvironment() {
        variables.put(space, "MODEL", "a", null, false);

        assertThrows(Errors.Conflict.class, () -> variables.put(space, "MODEL", "b", null, true));
        assertThrows(Errors.BadRequest.class, () -> variables.put(space, "1ST", "b", null, false));
        assertThrows(Errors.BadRequest.class, () -> variables.put(space, "WITH-DASH", "b", null, false));
        assertThrows(Errors.BadRequest.class, () -> variables.put(space, "PATH", "/evil", null, false));
        assertThrows(Errors.BadRequest.class, () -> variables.put(space, "SPACE_ID", "x/y", null, true));
        assertThrows(Errors.BadRequest.class, () -> variables.put(space, "NUL", "a\0b", null, false));
        assertEquals(Map.of("MODEL", "a"), variables.environment(space), "nothing refused was stored");

        variables.put(space, "MODEL", "c", "replaced", false);
        assertEquals("c", variables.list(space, false).get(0).value());
        assertFalse(variables.delete(space, "MODEL", true), "not a secret");
        assertTrue(variables.delete(space, "MODEL", false));
        assertEquals(Map.of(), variables.environment(space));
    }
}
