package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @Test
    void expiringTokens_openForTheirPurposeAndSubject_untilTheyExpire() {
        ServerSecret secret = new ServerSecret(new byte[32]);
        ServerSecret.TokenMessage reset = (subject, expires) -> "reset\n" + subject + "\n" + expires;
        ServerSecret.TokenMessage other = (subject, expires) -> "other\n" + subject + "\n" + expires;
        String token = secret.expiringToken("u1", 1_000, reset);
        assertEquals(java.util.Optional.of("u1"), secret.subjectOf(token, 1_000, reset));
        assertEquals(java.util.Optional.empty(), secret.subjectOf(token, 1_001, reset), "expired");
        assertEquals(java.util.Optional.empty(), secret.subjectOf(token, 0, other), "made for another purpose");
        assertEquals(java.util.Optional.empty(), secret.subjectOf(token.replace("u1.", "u2."), 0, reset));
        assertEquals(java.util.Optional.empty(), secret.subjectOf(token.replace(".1000.", ".2000."), 0, reset));
        assertEquals(java.util.Optional.empty(), secret.subjectOf("u1.1000", 0, reset));
        assertEquals(java.util.Optional.empty(), new ServerSecret(java.util.Arrays.copyOf(new byte[] {1}, 32)).subjectOf(token, 0, reset),
                "another hub's key");
        assertThrows(IllegalArgumentException.class, () -> secret.expiringToken("a.b", 1, reset));
    }
}
