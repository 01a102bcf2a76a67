package dev.atrium.repo;

import dev.atrium.http.BlobResponses;
import dev.atrium.lfs.LfsObjects;
import dev.atrium.storage.Folders;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * A repo's files at one commit, written out as plain files for a process that reads them from disk (a model for the
 * inference worker, a Space's app): {@code root/{repo id}/{commit}}, LFS and Xet content included.
 *
 * <p>A folder appears whole (written under a temporary name starting with a dot, then renamed) and never changes
 * after, since a commit never does; the least recently used are removed beyond {@code kept}. Not thread-safe: each
 * owner calls it from one thread at a time.
 */
public final class RepoSnapshots {
    /** Which files of a commit's tree (every file, recursively) a snapshot holds; may refuse the whole tree. */
    @FunctionalInterface
    public interface Selection {
        List<FileEntry> select(List<FileEntry> files);
    }

    private final Path root;
    private final LfsObjects lfs;
    private final int kept;
    private final java.util.function.Predicate<Path> inUse;

    /** @param inUse folders that are never removed to keep {@code kept}: a running process reads them */
    public RepoSnapshots(Path root, LfsObjects lfs, int kept, java.util.function.Predicate<Path> inUse) {
        this.root = root;
        this.lfs = lfs;
        this.kept = kept;
        this.inUse = inUse;
    }

    /** The folder of {@code repo} at {@code commit}, written now unless it already is. */
    public Path folder(Repository git, Repo repo, RevCommit commit, Selection selection) throws IOException {
        Path folder = root.resolve(repo.id()).resolve(commit.name());
        if (Files.isDirectory(folder)) {
            Files.setLastModifiedTime(folder, FileTime.from(Instant.now()));
            return folder;
        }
        List<FileEntry> files = selection.select(TreeReader.list(git, commit, "", true).stream()
                .filter(file -> !file.isDirectory()).toList());
        Files.createDirectories(folder.getParent());
        Path temp = Files.createTempDirectory(folder.getParent(), ".writing-");
        try {
            for (FileEntry file : files) {
                Files.createDirectories(temp.resolve(file.path()).getParent());
                try (OutputStream out = Files.newOutputStream(temp.resolve(file.path()))) {
                    write(git, repo, file, out);
                }
            }
            Files.move(temp, folder, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Folders.deleteTree(temp);
        }
        evictBeyondKept(folder);
        return folder;
    }

    /** Removes the folders a stop left half written. */
    public void removeUnfinished() throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> repos = Files.list(root)) {
            for (Path repo : repos.filter(Files::isDirectory).toList()) {
                try (Stream<Path> folders = Files.list(repo)) {
                    for (Path unfinished : folders.filter(RepoSnapshots::unfinished).toList()) {
                        Folders.deleteTree(unfinished);
                    }
                }
            }
        }
    }

    private static boolean unfinished(Path folder) {
        return folder.getFileName().toString().startsWith(".");
    }

    /** Removes every snapshot of a repo: it was deleted or renamed. */
    public void forget(Repo repo) throws IOException {
        Folders.deleteTree(root.resolve(repo.id()));
    }

    private void write(Repository git, Repo repo, FileEntry file, OutputStream out) throws IOException {
        if (file.lfs() == null) {
            var loader = git.open(ObjectId.fromString(file.oid()), Constants.OBJ_BLOB);
            try (var in = loader.openStream()) {
                BlobResponses.copy(in, loader.getSize(), out);
            }
        } else if (!lfs.copy(repo, file.lfs().oid(), out)) {
            // The repo points at content the hub lost: a fault of the server, not of the request.
            throw new IOException("the content of " + repo.repoId() + "/" + file.path() + " is not stored");
        }
    }

    private void evictBeyondKept(Path keep) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> repos = Files.list(root)) {
            for (Path repo : repos.filter(Files::isDirectory).toList()) {
                try (Stream<Path> commits = Files.list(repo)) {
                    commits.filter(p -> !unfinished(p)).forEach(all::add);
                }
            }
        }
        all.sort(Comparator.comparing(Folders::lastUsed).reversed());
        for (Path old : all.subList(Math.min(kept, all.size()), all.size())) {
            if (!old.equals(keep) && !inUse.test(old)) {
                Folders.deleteTree(old);
            }
        }
    }
}
