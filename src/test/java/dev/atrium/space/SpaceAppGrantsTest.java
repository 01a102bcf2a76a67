package dev.atrium.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.ServerSecret;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpaceAppGrantsTest {
    private static final String SESSION = "session:0123456789abcdef01234567";
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private static Repo space(String id, String name) {
        return new Repo(id, RepoType.SPACE, new RepoId("alice", name), true, "static", 0, 0);
    }

    private static SpaceAppGrants grants(Instant now) {
        return new SpaceAppGrants(new ServerSecret(new byte[32]), Clock.fixed(now, ZoneOffset.UTC), Duration.ofHours(8));
    }

    @Test
    void verify_givesTheCredential_forItsSpaceOnly_untilItExpires() {
        Repo site = space("r00000000000000000000001", "site");
        String grant = grants(NOW).grant(site, SESSION);
        assertEquals(Optional.of(SESSION), grants(NOW).verify(site, grant));
        assertEquals(Optional.of(SESSION), grants(NOW.plus(Duration.ofHours(8))).verify(site, grant), "to its end");
        assertEquals(Optional.empty(), grants(NOW.plus(Duration.ofHours(8)).plusSeconds(1)).verify(site, grant),
                "not after");
        assertEquals(Optional.empty(), grants(NOW).verify(space("r00000000000000000000002", "other"), grant),
                "another Space");
        assertEquals(Optional.empty(), grants(NOW).verify(space("r00000000000000000000009", "site"), grant),
                "a Space re-created under the same name");
        assertEquals(Optional.of("anonymous"), grants(NOW).verify(site, grants(NOW).grant(site, "anonymous")));
    }

    @Test
    void verify_alteredOrMalformed_nothing() {
        Repo site = space("r00000000000000000000001", "site");
        String grant = grants(NOW).grant(site, SESSION);
        String[] parts = grant.split("\\.");
        for (String bad : new String[] {
                "anonymous." + parts[1] + "." + parts[2], parts[0] + "." + (Long.parseLong(parts[1]) + 60) + "." + parts[2],
                parts[0] + "." + parts[1] + "." + parts[2].substring(1), parts[0] + "." + parts[1], "", "..",
                "not-a-credential." + parts[1] + "." + parts[2], grant + ".x"}) {
            assertEquals(Optional.empty(), grants(NOW).verify(site, bad), bad);
        }
        assertTrue(grant.startsWith(SESSION + "."), "the credential is readable: what Delegations checks again");
    }

    @Test
    void type_byExtension_unknownAsBytes() {
        assertEquals("text/html; charset=utf-8", SpaceApp.type("docs/index.HTML"));
        assertEquals("text/javascript; charset=utf-8", SpaceApp.type("app.mjs"));
        assertEquals("application/wasm", SpaceApp.type("pkg/a.wasm"));
        assertEquals("application/octet-stream", SpaceApp.type("Makefile"));
        assertEquals("application/octet-stream", SpaceApp.type("archive.tar.zst"));
    }
}
