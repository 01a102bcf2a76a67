package dev.atrium.viewer;

import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;

/**
 * Local copies of the data files the viewer reads, named by content (a large file's SHA-256, or a git blob id), so a
 * file shared by repos or revisions is copied once. DuckDB needs files it can seek in: Xet files exist only as chunks
 * and git files only inside git. Each copy is written to a temp file and renamed into place; when the folder grows past
 * its budget, the copies used least recently go first.
 */
final class ViewerCache {
    private final Path dir;
    private final LfsObjects lfs;
    private final long budget;

    ViewerCache(Path dir, LfsObjects lfs, long budget) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.lfs = lfs;
        this.budget = budget;
        try (Stream<Path> leftovers = Files.list(dir)) {
            for (Path p : leftovers.filter(p -> p.getFileName().toString().endsWith(".part")).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    Path dir() {
        return dir;
    }

    /** The local copy of {@code file} of {@code repo}, made now if needed. */
    Path local(Repository git, Repo repo, FileEntry file) throws IOException {
        String name = file.path().substring(file.path().lastIndexOf('/') + 1);
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
        String key = file.lfs() != null ? file.lfs().oid().hex() : "git-" + file.oid();
        Path target = dir.resolve(key + extension.toLowerCase(java.util.Locale.ROOT));
        if (Files.exists(target)) {
            Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
            return target;
        }
        Path temp = Files.createTempFile(dir, "copy-", ".part");
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                if (file.lfs() != null) {
                    if (!lfs.copy(repo, file.lfs().oid(), out)) {
                        throw new NoSuchFileException(file.path(), null, "its large file is not stored");
                    }
                } else {
                    git.open(ObjectId.fromString(file.oid()), Constants.OBJ_BLOB).copyTo(out);
                }
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        evict(target);
        return target;
    }

    /** Deletes the least recently used copies, except {@code keep}, until the folder fits its budget. */
    private synchronized void evict(Path keep) throws IOException {
        List<Path> copies = new ArrayList<>();
        long total = 0;
        try (Stream<Path> all = Files.list(dir)) {
            for (Path p : all.filter(p -> !p.getFileName().toString().endsWith(".part")).toList()) {
                copies.add(p);
                total += Files.size(p);
            }
        }
        if (total <= budget) {
            return;
        }
        copies.sort(Comparator.comparing(ViewerCache::lastUsed));
        for (Path p : copies) {
            if (total <= budget) {
                break;
            }
            if (!p.equals(keep)) {
                total -= Files.size(p);
                Files.deleteIfExists(p); // a reader that has it open keeps reading it
            }
        }
    }

    private static FileTime lastUsed(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
