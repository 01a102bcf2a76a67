package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerSecretTest {

    @Test
    void loadOrCreate_firstStart_createsOwnerOnlyKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("data/secret.key");

        ServerSecret.loadOrCreate(file);

        assertEquals(32, Files.size(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        try (var leftovers = Files.list(file.getParent())) {
            assertEquals(1, leftovers.count(), "no temp file is left behind");
        }
    }

    @Test
    void loadOrCreate_restart_reusesTheKey(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("secret.key");
        byte[] message = "m".getBytes(StandardCharsets.UTF_8);

        byte[] first = ServerSecret.loadOrCreate(file).hmac(message);
        byte[] second = ServerSecret.loadOrCreate(file).hmac(message);

        assertArrayEquals(first, second);
    }
}
