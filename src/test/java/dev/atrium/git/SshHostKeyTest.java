package dev.atrium.git;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.testing.AtOnce;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshHostKeyTest {
    @TempDir
    Path dir;

    private static byte[] publicKey(Path file) throws Exception {
        KeyPair pair = SshHostKey.load(file).loadKeys(null).iterator().next();
        return pair.getPublic().getEncoded();
    }

    /** Nodes starting at once end up with one host key, the same for all, and no temporary file is left. */
    @Test
    void nodesStartingTogether_shareOneKey() throws Exception {
        Path file = dir.resolve("shared/ssh-host-key");
        List<Callable<Object>> nodes = new ArrayList<>();
        List<byte[]> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 8; i++) {
            nodes.add(() -> {
                seen.add(publicKey(file));
                return null;
            });
        }
        assertEquals(8, AtOnce.succeeded(nodes, RuntimeException.class));
        for (byte[] key : seen) {
            assertArrayEquals(seen.get(0), key);
        }
        assertArrayEquals(seen.get(0), publicKey(file), "and it is the one kept for the next start");
        try (var files = Files.list(file.getParent())) {
            assertEquals(List.of(file), files.toList());
        }
    }
}
