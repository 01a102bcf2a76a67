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
     * Empties {@code .tmp} and {@code .trash}, which hold only repos a crash left half made or half deleted. Only the
     * server calls it, at start: admin commands open the same directories while it runs.
     */
    public void removeLeftovers() throws IOException {
        Folders.deleteTree(tmp);
        Folders.deleteTree(trash);
        Files.createDirectories(tmp);
        Files.createDirectories(trash);
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

    private void moveToTrash(Path dir) throws IOException {
        Path dest = trash.resolve(System.nanoTime() + "-" + dir.getFileName());
        Files.move(dir, dest, StandardCopyOption.ATOMIC_MOVE);
        Folders.deleteTree(dest);
    }

}
