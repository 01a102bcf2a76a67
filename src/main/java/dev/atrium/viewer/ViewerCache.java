package dev.atrium.viewer;

import dev.atrium.storage.Folders;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.repo.FileEntry;
import dev.atrium.repo.Repo;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    /** How many leases hold each copy; guarded by {@code this}. */
    private final Map<Path, Integer> pins = new HashMap<>();

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

    /**
     * The local copies of {@code files} of {@code repo}, made now where missing, and kept until the lease is closed:
     * eviction skips copies in use, or a query could find a copy gone between this call and DuckDB opening it, and a
     * split's later files could push out its first ones.
     */
    Lease lease(Repository git, Repo repo, List<FileEntry> files) throws IOException {
        List<Path> held = new ArrayList<>();
        try {
            for (FileEntry file : files) {
                Path target = target(file);
                pin(target);
                held.add(target);
                copyIfMissing(git, repo, file, target);
            }
        } catch (IOException | RuntimeException e) {
            release(held);
            throw e;
        }
        return new Lease(held);
    }

    /**
     * A local copy of the whole records among the first {@code limit} bytes of {@code file}, a CSV, TSV, text or JSON
     * Lines file too large to read whole ({@link RecordEnds} finds where the last one ends), leased as {@link #lease}'s
     * are. Its lease holds no file when no record ends within the limit.
     */
    Lease leaseStart(Repository git, Repo repo, FileEntry file, long limit, boolean quoted) throws IOException {
        Path whole = target(file);
        String name = whole.getFileName().toString();
        int dot = name.lastIndexOf('.');
        Path target = whole.resolveSibling((dot < 0 ? name : name.substring(0, dot)) + "-first-" + limit
                + (dot < 0 ? "" : name.substring(dot)));
        pin(target);
        try {
            if (Files.exists(target)) {
                Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
            } else if (!copyStart(git, repo, file, limit, quoted, target)) {
                release(List.of(target));
                return new Lease(List.of());
            }
        } catch (IOException | RuntimeException e) {
            release(List.of(target));
            throw e;
        }
        return new Lease(List.of(target));
    }

    /** Writes the whole records of the file's first {@code limit} bytes to {@code target}; false if there are none. */
    private boolean copyStart(Repository git, Repo repo, FileEntry file, long limit, boolean quoted, Path target)
            throws IOException {
        Path temp = Files.createTempFile(dir, "copy-", ".part");
        try {
            RecordEnds ends;
            try (RecordEnds out = new RecordEnds(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16),
                    quoted)) {
                ends = out;
                if (file.lfs() != null) {
                    if (!lfs.copyStart(repo, file.lfs().oid(), limit, out)) {
                        throw new NoSuchFileException(file.path(), null, "its large file is not stored");
                    }
                } else {
                    // A file kept in git is small (under the git blob limit): its start fits in memory.
                    try (InputStream in = git.open(ObjectId.fromString(file.oid()), Constants.OBJ_BLOB).openStream()) {
                        out.write(in.readNBytes((int) Math.min(limit, file.size())));
                    }
                }
            }
            if (ends.end() == 0) {
                return false;
            }
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.truncate(ends.end());
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        evict();
        return true;
    }

    /** Copies in use by one query. */
    final class Lease implements AutoCloseable {
        private final List<Path> files;

        private Lease(List<Path> files) {
            this.files = List.copyOf(files);
        }

        List<Path> files() {
            return files;
        }

        @Override
        public void close() {
            release(files);
        }
    }

    private Path target(FileEntry file) {
        String name = file.path().substring(file.path().lastIndexOf('/') + 1);
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
        String key = file.lfs() != null ? file.lfs().oid().hex() : "git-" + file.oid();
        return dir.resolve(key + extension.toLowerCase(java.util.Locale.ROOT));
    }

    private void copyIfMissing(Repository git, Repo repo, FileEntry file, Path target) throws IOException {
        if (Files.exists(target)) {
            Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
            return;
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
        evict();
    }

    private synchronized void pin(Path copy) {
        pins.merge(copy, 1, Integer::sum);
    }

    private synchronized void release(List<Path> copies) {
        copies.forEach(copy -> pins.computeIfPresent(copy, (p, n) -> n == 1 ? null : n - 1));
    }

    /** Deletes the least recently used copies not in use until the folder fits its budget. */
    private synchronized void evict() throws IOException {
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
        copies.sort(Comparator.comparing(Folders::lastUsed));
        for (Path p : copies) {
            if (total <= budget) {
                break;
            }
            if (!pins.containsKey(p)) {
                total -= Files.size(p);
                Files.deleteIfExists(p);
            }
        }
    }
}
