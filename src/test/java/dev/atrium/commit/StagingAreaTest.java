package dev.atrium.commit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagingAreaTest {
    @TempDir
    Path root;

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void stage_content_isWrittenUnderRootWithSizeAndHash() throws IOException {
        byte[] content = "staged bytes".getBytes(StandardCharsets.UTF_8);
        try (StagingArea staging = StagingArea.open(root)) {
            StagingArea.Staged staged = staging.stage(out -> out.write(content));
            assertTrue(staged.file().startsWith(root));
            assertArrayEquals(content, Files.readAllBytes(staged.file()));
            assertEquals(content.length, staged.size());
            assertEquals(Sha256.of(content), staged.sha256());
        }
    }

    @Test
    void stage_twice_usesDistinctFiles() throws IOException {
        try (StagingArea staging = StagingArea.open(root)) {
            StagingArea.Staged a = staging.stage(out -> out.write('a'));
            StagingArea.Staged b = staging.stage(out -> out.write('b'));
            assertNotEquals(a.file(), b.file());
            assertArrayEquals(new byte[] {'a'}, Files.readAllBytes(a.file()));
        }
    }

    @Test
    void close_stagedFiles_areDeleted() throws IOException {
        StagingArea staging = StagingArea.open(root);
        StagingArea.Staged staged = staging.stage(out -> out.write(new byte[100]));
        staging.close();
        assertFalse(Files.exists(staged.file()));
        assertEquals(0, countFiles(root));
    }

    @Test
    void stage_writerFails_propagatesAndCloseStillCleansUp() throws IOException {
        StagingArea staging = StagingArea.open(root);
        assertThrows(IOException.class, () -> staging.stage(out -> {
            out.write(new byte[10]);
            throw new IOException("client went away");
        }));
        staging.close();
        assertEquals(0, countFiles(root));
    }

    @Test
    void clearRoot_leftoversFromACrash_areRemoved() throws IOException {
        Path leftover = root.resolve("commit-123/f0");
        Files.createDirectories(leftover.getParent());
        Files.write(leftover, new byte[] {1});
        StagingArea.clearRoot(root);
        assertTrue(Files.isDirectory(root));
        assertEquals(0, countFiles(root));
    }
}
