package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeysTest {
    private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG/H2NUbFyVIGstX69iSBz8aIXGaw3BfEZptQvKfZdK1"
            + " alice@laptop";

    @TempDir
    Path dir;

    @Test
    void add_findByFingerprint_touch_andRemoveOnlyOnesOwn() {
        Jdbi jdbi = AuthDb.open(dir);
        SettableClock clock = new SettableClock(1_700_000_000_000L);
        SshKeys keys = new SshKeys(jdbi, clock);
        User alice = AuthDb.insertUser(jdbi, "alice", false);
        User bob = AuthDb.insertUser(jdbi, "bob", false);

        SshKeys.Registered added = keys.add(alice.id(), " ", SshPublicKey.parse(KEY));
        assertEquals("alice@laptop", added.title(), "an empty title takes the key's comment");
        SshKeys.Registered found = keys.byFingerprint("SHA256:AW7UhbCH8NGEph9Ha0H6SCS05kq7FAPrpWa/ri81dBo")
                .orElseThrow();
        assertEquals(alice.id(), found.userId());
        assertNull(found.lastUsedAt(), "never used yet");
        assertEquals(TokenRole.WRITE, found.credential().role());
        assertEquals("sshkey:" + added.id(), found.credential().id());

        assertThrows(SshKeys.KeyTaken.class, () -> keys.add(bob.id(), "mine", SshPublicKey.parse(KEY)));
        clock.advance(5_000);
        keys.touch(added.id());
        assertEquals(1_700_000_005_000L, keys.byId(added.id()).orElseThrow().lastUsedAt());

        assertFalse(keys.delete(bob.id(), added.id()), "bob cannot remove alice's key");
        assertTrue(keys.delete(alice.id(), added.id()));
        assertTrue(keys.of(alice.id()).isEmpty());
    }
}
