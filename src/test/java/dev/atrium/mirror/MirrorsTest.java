package dev.atrium.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.ServerSecret;
import dev.atrium.db.Database;
import dev.atrium.db.Ids;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorsTest {
    private static final MirrorSource SOURCE = MirrorSource.parse("https://huggingface.co/openai-community/gpt2");

    @TempDir
    Path dir;
    private Jdbi jdbi;
    private SettableClock clock;
    private Mirrors mirrors;

    @BeforeEach
    void setUp() {
        jdbi = openDatabase();
        clock = new SettableClock(1_800_000_000_000L);
        mirrors = new Mirrors(jdbi, new ServerSecret(new byte[32]), clock);
    }

    protected Jdbi openDatabase() {
        return Database.openSqlite(dir.resolve("atrium.db"));
    }

    private Repo repo(String name) {
        Repo repo = new Repo(Ids.newId(), RepoType.MODEL, new RepoId("bob", name), false, null, 1, 1);
        jdbi.useHandle(h -> h.execute("INSERT INTO repos (id, type, namespace, name, private, sdk, created_at,"
                + " updated_at) VALUES (?, 'MODEL', 'bob', ?, FALSE, NULL, 1, 1)", repo.id(), name));
        return repo;
    }

    @Test
    void aNewMirror_isDueAtOnce_andAfterASyncWaitsItsInterval() {
        Repo repo = repo("gpt2");
        mirrors.add(repo, SOURCE, null, true, "user-1");
        Mirrors.Mirror made = mirrors.find(repo.id()).orElseThrow();
        assertTrue(made.importing(), "nothing synced yet");
        assertNull(made.lastSyncAt());
        assertFalse(made.hasToken());
        assertEquals(SOURCE, made.source());
        assertEquals(List.of(repo.id()), mirrors.due(10).stream().map(Mirrors.Mirror::repoId).toList());

        clock.advance(Duration.ofSeconds(5));
        mirrors.synced(made, Duration.ofHours(8));
        Mirrors.Mirror synced = mirrors.find(repo.id()).orElseThrow();
        assertEquals(clock.millis(), synced.lastSyncAt());
        assertFalse(synced.importing());
        assertEquals(List.of(), mirrors.due(10), "not due before its interval");
        clock.advance(Duration.ofHours(8));
        assertEquals(1, mirrors.due(10).size(), "due once the interval passed");

        assertEquals(0, mirrors.failing());
        mirrors.failed(synced, "the source refused access", Duration.ofMinutes(30));
        assertEquals(1, mirrors.failing(), "counted for the metrics");
        Mirrors.Mirror failed = mirrors.find(repo.id()).orElseThrow();
        assertEquals("the source refused access", failed.lastError());
        assertEquals(synced.lastSyncAt(), failed.lastSyncAt(), "the last good sync is kept");
        assertEquals(List.of(), mirrors.due(10), "a failure waits before the next try");
        mirrors.requestSync(failed);
        assertEquals(1, mirrors.due(10).size(), "Sync now makes it due");
        mirrors.synced(failed, Duration.ofHours(8));
        assertNull(mirrors.find(repo.id()).orElseThrow().lastError(), "a sync that lands clears the failure");
        assertEquals(0, mirrors.failing());
    }

    @Test
    void aOneTimeImport_isNoMirrorOnceItsSyncLanded() {
        Repo repo = repo("once");
        mirrors.add(repo, SOURCE, null, false, "user-1");
        assertTrue(mirrors.whyReadOnly(repo).orElseThrow().contains("is a mirror of " + SOURCE.pageUrl()));
        mirrors.synced(mirrors.find(repo.id()).orElseThrow(), Duration.ofHours(8));
        assertTrue(mirrors.find(repo.id()).isEmpty());
        assertTrue(mirrors.whyReadOnly(repo).isEmpty(), "it takes commits now");
    }

    @Test
    void theToken_isSealedForItsRepo_andOpensForItOnly() {
        Repo repo = repo("private");
        Repo other = repo("other");
        mirrors.add(repo, SOURCE, "hf_source_token", true, "user-1");
        mirrors.add(other, SOURCE, null, true, "user-1");
        String stored = jdbi.withHandle(h -> h.createQuery("SELECT token FROM repo_mirrors WHERE repo_id = :r")
                .bind("r", repo.id()).mapTo(String.class).one());
        assertFalse(stored.contains("hf_source_token"), "the database does not hold the token itself");
        Mirrors.Mirror mirror = mirrors.find(repo.id()).orElseThrow();
        assertTrue(mirror.hasToken());
        assertEquals("hf_source_token", mirrors.token(mirror).orElseThrow());
        assertTrue(mirrors.token(mirrors.find(other.id()).orElseThrow()).isEmpty());

        // The sealed value moved to another mirror's row does not open there.
        jdbi.useHandle(h -> h.execute("UPDATE repo_mirrors SET token = ? WHERE repo_id = ?", stored, other.id()));
        assertThrows(IllegalStateException.class, () -> mirrors.token(mirrors.find(other.id()).orElseThrow()));

        // A new token after the old one expired; none at all.
        mirrors.setToken(other.id(), "hf_replacement");
        assertEquals("hf_replacement", mirrors.token(mirrors.find(other.id()).orElseThrow()).orElseThrow());
        mirrors.setToken(repo.id(), null);
        assertFalse(mirrors.find(repo.id()).orElseThrow().hasToken());
        assertTrue(mirrors.token(mirrors.find(repo.id()).orElseThrow()).isEmpty());
    }

    @Test
    void stoppingAMirror_leavesAnOrdinaryRepo_andDeletingTheRepoDropsItsMirror() {
        Repo stopped = repo("stopped");
        Repo deleted = repo("deleted");
        mirrors.add(stopped, SOURCE, null, true, "user-1");
        mirrors.add(deleted, SOURCE, null, true, "user-1");
        assertTrue(mirrors.remove(stopped.id()));
        assertFalse(mirrors.remove(stopped.id()), "only once");
        assertTrue(mirrors.whyReadOnly(stopped).isEmpty());
        jdbi.useHandle(h -> h.execute("DELETE FROM repos WHERE id = ?", deleted.id()));
        assertTrue(mirrors.find(deleted.id()).isEmpty());
    }
}
