package dev.atrium.storage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.stream.Stream;

/** Folders the server makes and removes whole: staging areas, repos on their way out, model snapshots. */
public final class Folders {
    private Folders() {}

    /**
     * When a cached copy was last used, as its modification time records it (touched on use); one that vanished
     * meanwhile counts as the oldest. For least-recently-used eviction.
     */
    public static FileTime lastUsed(Path path) {
        try {
            return Files.getLastModifiedTime(path);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /**
     * The bytes of the files under {@code root} (0 if it is not there), counted while others may write and remove
     * files there: one that goes away while it is counted (a pack replaced, an app's temporary file) is not.
     */
    public static long size(Path root) {
        long[] total = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile()) {
                        total[0] += attributes.size();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // walkFileTree reports failures to the visitor, which goes on; nothing reaches here.
        }
        return total[0];
    }

    /** Removes {@code root} and everything under it; nothing there is no error. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
