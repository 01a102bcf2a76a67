package dev.atrium.backup;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.jspecify.annotations.Nullable;

/**
 * Copies files into a backup, each written under a temporary name, flushed to disk and renamed, so that a backup
 * interrupted by a crash holds no file cut short. A file that never changes once written (a blob, named by its
 * content) is hard-linked instead from an earlier backup that has it ({@code --link-dest}), so that each backup costs
 * only the large files that are new since.
 */
final class FileCopier {
    private final @Nullable Path previous;
    private long copied;
    private long copiedBytes;
    private long linked;

    /** {@code previous}: an earlier backup to link unchanged files from, or null. */
    FileCopier(@Nullable Path previous) {
        this.previous = previous;
    }

    /**
     * Copies {@code source} to {@code relative} under {@code target}; {@code immutable} files are linked from the
     * earlier backup when it has them at the same place with the same size.
     */
    void copy(Path source, Path target, Path relative, boolean immutable) throws IOException {
        Path destination = target.resolve(relative);
        Files.createDirectories(destination.getParent());
        if (immutable && previous != null) {
            Path earlier = previous.resolve(relative);
            if (Files.isRegularFile(earlier) && Files.size(earlier) == Files.size(source)) {
                try {
                    Files.createLink(destination, earlier);
                    linked++;
                    return;
                } catch (FileSystemException | UnsupportedOperationException e) {
                    // Another file system, or links not allowed: copied instead.
                }
            }
        }
        write(destination, out -> Files.copy(source, out));
        copied++;
        copiedBytes += Files.size(destination);
    }

    /** What writes a file's content. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes {@code file} whole or not at all: under a temporary name, flushed to disk, then renamed. Every file of a
     * backup is written so.
     */
    static void write(Path file, Content content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".partial");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            content.writeTo(out);
            out.flush();
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void write(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    long copied() {
        return copied;
    }

    long copiedBytes() {
        return copiedBytes;
    }

    long linked() {
        return linked;
    }
}
