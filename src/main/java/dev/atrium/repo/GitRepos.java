package dev.atrium.repo;

import dev.atrium.storage.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.util.FS;

/**
 * Bare git repositories on disk, one per repo, laid out as {@code root/<type>s/<namespace>/<name>.git}. New and
 * deleted repositories pass through {@code root/.tmp} and {@code root/.trash} so a crash never leaves a half-made
 * repository under a live name.
 */
public final class GitRepos {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GitRepos.class);
    private final Path root;
    private final Path tmp;
    private final Path trash;

    public GitRepos(Path root) throws IOException {
        this.root = root;
        this.tmp = root.resolve(".tmp");
        this.trash = root.resolve(".trash");
        Files.createDirectories(tmp);
        Files.createDirectories(trash);
    }

    /**
     * Clears what a crash left in {@code .tmp} (half made repos) and {@code .trash} (half deleted ones). Only the
     * server calls it, at start: admin commands open the same directories while it runs. Other nodes of the hub may
     * share them ({@code --repos}), so a repo being made is left alone until it is a day old (a duplication can take
     * long), and removing what is in the trash is best effort: another node may be removing it too.
     */
    public void removeLeftovers() throws IOException {
        java.nio.file.attribute.FileTime dayAgo = java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(LEFTOVER_AGE));
        try (java.util.stream.Stream<Path> made = Files.list(tmp)) {
            for (Path dir : made.toList()) {
                if (Folders.lastUsed(dir).compareTo(dayAgo) < 0) {
                    removeQuietly(dir);
                }
            }
        }
        try (java.util.stream.Stream<Path> deleted = Files.list(trash)) {
            deleted.forEach(GitRepos::removeQuietly);
        }
    }

    /** How old a repo in {@code .tmp} must be to count as a crash's leftover rather than another node's work. */
    static final java.time.Duration LEFTOVER_AGE = java.time.Duration.ofDays(1);

    private static void removeQuietly(Path dir) {
        try {
            Folders.deleteTree(dir);
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("Could not remove {} (another node may be removing it): {}", dir, e.getMessage());
        }
    }

    public Path dirOf(RepoType type, RepoId id) {
        return root.resolve(type.plural()).resolve(id.namespace()).resolve(id.name() + ".git");
    }

    /**
     * The repository, from JGit's cache of open repositories: opening one reads its config and refs from disk,
     * which would otherwise be paid by every request. Callers close it as usual; that returns it to the cache.
     */
    public Repository open(Repo repo) throws IOException {
        return RepositoryCache.open(key(dirOf(repo.type(), repo.repoId())), true);
    }

    private static RepositoryCache.FileKey key(Path gitDir) {
        return RepositoryCache.FileKey.exact(gitDir.toFile(), FS.DETECTED);
    }

    static Repository open(Path gitDir) throws IOException {
        return new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
    }

    /** Initialises a bare repository in a temp folder; {@link #publish} moves it into place. */
    public Path initInTemp(String repoKey) throws IOException {
        Path dir = tmp.resolve(repoKey + ".git");
        Folders.deleteTree(dir);
        try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build()) {
            repo.create(true);
            StoredConfig config = repo.getConfig();
            config.setString("core", null, "logallrefupdates", "true");
            config.setBoolean("receive", null, "denyNonFastforwards", false);
            config.save();
            repo.getRefDatabase().newUpdate("HEAD", false).link("refs/heads/main");
        }
        return dir;
    }

    public void publish(Path tempDir, RepoType type, RepoId id) throws IOException {
        Path target = dirOf(type, id);
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            // Only an orphan can be here: the metadata row is the authority and the caller holds it.
            RepositoryCache.unregister(key(target));
            moveToTrash(target);
        }
        Files.move(tempDir, target, StandardCopyOption.ATOMIC_MOVE);
    }

    public void move(RepoType type, RepoId from, RepoId to) throws IOException {
        RepositoryCache.unregister(key(dirOf(type, from)));
        Path target = dirOf(type, to);
        Files.createDirectories(target.getParent());
        if (Files.exists(target)) {
            moveToTrash(target);
        }
        Files.move(dirOf(type, from), target, StandardCopyOption.ATOMIC_MOVE);
    }

    public void delete(RepoType type, RepoId id) throws IOException {
        Path dir = dirOf(type, id);
        RepositoryCache.unregister(key(dir));
        if (Files.exists(dir)) {
            moveToTrash(dir);
        }
    }

    /** Out of sight at once; removing the files is best effort, and a start clears what is left. */
    private void moveToTrash(Path dir) throws IOException {
        Path dest = trash.resolve(System.nanoTime() + "-" + java.util.UUID.randomUUID() + "-" + dir.getFileName());
        Files.move(dir, dest, StandardCopyOption.ATOMIC_MOVE);
        removeQuietly(dest);
    }

}
