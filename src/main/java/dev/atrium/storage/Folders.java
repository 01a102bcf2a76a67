package dev.atrium.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
