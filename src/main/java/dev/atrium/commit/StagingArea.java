package dev.atrium.commit;

import dev.atrium.storage.Folders;
import dev.atrium.storage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;

/**
 * Temp files holding the content of one commit request while it is parsed, so no file is ever held in memory.
 * Everything is deleted on close; a crash leaves only files under the staging root, which start-up clears.
 */
public final class StagingArea implements AutoCloseable {
    private final Path dir;
    private int counter;

    private StagingArea(Path dir) {
        this.dir = dir;
    }

    public static void clearRoot(Path root) throws IOException {
        Folders.deleteTree(root);
        Files.createDirectories(root);
    }

    public static StagingArea open(Path root) throws IOException {
        Files.createDirectories(root);
        return new StagingArea(Files.createTempDirectory(root, "commit-"));
    }

    /** Content staged on disk with its size and SHA-256. */
    public record Staged(Path file, long size, Sha256 sha256) {
        public InputStream open() throws IOException {
            return Files.newInputStream(file);
        }
    }

    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    public Staged stage(Writer writer) throws IOException {
        Path file = dir.resolve("f" + counter++);
        MessageDigest digest = Sha256.newDigest();
        try (OutputStream out = new DigestOutputStream(
                new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16), digest)) {
            writer.writeTo(out);
        }
        return new Staged(file, Files.size(file), Sha256.of(digest));
    }

    @Override
    public void close() throws IOException {
        Folders.deleteTree(dir);
    }

}
