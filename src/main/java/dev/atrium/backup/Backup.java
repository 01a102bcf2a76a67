package dev.atrium.backup;

import dev.atrium.Atrium;
import dev.atrium.AtriumConfig;
import dev.atrium.db.Database;
import dev.atrium.storage.Folders;
import dev.atrium.storage.LocalBlobStore;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.ObjectId;
import org.jspecify.annotations.Nullable;

/**
 * {@code atrium admin backup --to DIR}: a copy of the hub, made while it runs, that a server starts on as it is
 * ({@code atrium serve --data DIR}).
 *
 * <p>The order makes it whole. First every repository's refs are read: the commits the copy will have. Then the
 * metadata is snapshot (SQLite's {@code VACUUM INTO}, one consistent view): the hub records a file's upload (its
 * LFS object, its Xet chunks) before any ref can point at a commit that holds it, so the snapshot knows every file of
 * those commits. Then each repository is copied as those refs had it (one pack of what they reach, see
 * {@link RepoCopy}), and last the large files, which the hub only ever adds
 * to (a collection by {@code admin gc} aside), so every blob the snapshot refers to is there. What arrived meanwhile
 * is in the copy too, unreferenced and harmless. The backup is built in {@code DIR.partial} and renamed to {@code DIR} when complete, so a folder named
 * like a backup always holds a whole one. Caches (the viewer's, Spaces' files and builds) and temporary files are
 * left out: a server remakes them.
 *
 * <p>Metadata in PostgreSQL and large files in object storage are the operator's to back up with those systems' own
 * tools (pg_dump before this command, bucket versioning or replication); the report says so.
 */
public final class Backup {
    /** What a backup holds and what it left to the operator. */
    public record Report(Path target, int repos, int reposGone, long blobs, long files, long bytes, long linked,
                         List<String> notes) {}

    private final AtriumConfig config;
    private final Atrium.Stores stores;
    private final Clock clock;

    public Backup(AtriumConfig config, Atrium.Stores stores, Clock clock) {
        this.config = config;
        this.stores = stores;
        this.clock = clock;
    }

    /** Backs the hub up into {@code target}, a folder that does not exist yet; {@code previous}: see FileCopier. */
    public Report to(Path target, @Nullable Path previous, PrintStream progress) throws IOException {
        target = target.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            throw new IllegalArgumentException("--to " + target + " exists: a backup goes to a new folder");
        }
        if (previous != null && !Files.isRegularFile(previous.resolve(Manifest.NAME))) {
            throw new IllegalArgumentException("--link-dest " + previous + " is not a backup (it has no "
                    + Manifest.NAME + ")");
        }
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Folders.deleteTree(partial);
        Files.createDirectories(partial.getParent());
        Files.createDirectory(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                "rwx------")));
        FileCopier copier = new FileCopier(previous);
        List<String> notes = new ArrayList<>();

        copySecret(partial, copier);
        Path reposRoot = config.repositories();
        Map<Path, Map<String, ObjectId>> refs = new LinkedHashMap<>();
        readRefs(reposRoot, refs);
        if (stores.dialect() == Database.Dialect.SQLITE) {
            snapshotDatabase(partial.resolve("atrium.db"));
            progress.println("metadata: snapshot of the SQLite database");
        } else {
            notes.add("the metadata is in PostgreSQL: back it up with pg_dump as soon as this command ends (so that it"
                    + " knows every file of the commits copied here), and restore it into the database the restored"
                    + " hub's --database names");
        }

        // Repositories made while the snapshot was taken: the snapshot may know them, so they are copied too.
        readRefs(reposRoot, refs);
        int repos = 0;
        int gone = 0;
        for (Map.Entry<Path, Map<String, ObjectId>> repo : refs.entrySet()) {
            Path relative = Path.of("repos").resolve(reposRoot.relativize(repo.getKey()));
            if (RepoCopy.copy(repo.getKey(), repo.getValue(), partial, relative, copier)
                    == RepoCopy.Outcome.COPIED) {
                repos++;
            } else {
                gone++;
                notes.add("deleted or renamed while the backup ran, not copied: "
                        + reposRoot.relativize(repo.getKey()));
            }
        }
        progress.println("git: " + repos + " repositories");

        long[] blobs = {0};
        if (stores.blobs() instanceof LocalBlobStore local) {
            local.forEachFile((relative, file) -> {
                try {
                    copier.copy(file, partial, Path.of("blobs").resolve(relative), true);
                    blobs[0]++;
                } catch (NoSuchFileException e) {
                    notes.add("collected while the backup ran, not copied: blob " + relative.getFileName());
                }
            });
            progress.println("large files: " + blobs[0] + " blobs");
        } else {
            notes.add("the large files are in object storage (" + config.objectStorage().describe() + "): back the"
                    + " bucket up with its own versioning or replication, or copy it with admin copy-blobs");
        }

        Manifest manifest = new Manifest(clock.instant(), repos, blobs[0], stores.dialect(),
                stores.blobs() instanceof LocalBlobStore, notes);
        FileCopier.write(partial.resolve(Manifest.NAME), manifest.text());
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return new Report(target, repos, gone, blobs[0], copier.copied(), copier.copiedBytes(), copier.linked(),
                List.copyOf(notes));
    }

    /** The server's key, readable by its owner only (the folder is already). */
    private void copySecret(Path partial, FileCopier copier) throws IOException {
        Path secret = config.secretKey();
        if (!Files.isRegularFile(secret)) {
            return;
        }
        copier.copy(secret, partial, Path.of("secret.key"), false);
        Files.setPosixFilePermissions(partial.resolve("secret.key"), PosixFilePermissions.fromString("rw-------"));
    }

    /** One consistent snapshot, taken while the server writes (WAL mode lets it read alongside). */
    private void snapshotDatabase(Path file) throws IOException {
        stores.jdbi().useHandle(h -> h.createUpdate("VACUUM INTO :file").bind("file", file.toString()).execute());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Adds the refs of the repositories under {@code root} that {@code refs} does not have yet. */
    private static void readRefs(Path root, Map<Path, Map<String, ObjectId>> refs) throws IOException {
        for (Path repo : repositories(root)) {
            if (refs.containsKey(repo)) {
                continue;
            }
            try {
                refs.put(repo, RepoCopy.refs(repo));
            } catch (IOException e) {
                if (Files.isDirectory(repo)) {
                    throw e;
                }
                // Deleted or moved since it was listed.
            }
        }
    }

    /** The bare repositories under {@code root}: {@code type/namespace/name.git}, not the hub's own temp folders. */
    private static List<Path> repositories(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root, 3)) {
            return walk.filter(p -> root.relativize(p).getNameCount() == 3 && Files.isDirectory(p)
                            && p.getFileName().toString().endsWith(".git")
                            && !root.relativize(p).getName(0).toString().startsWith("."))
                    .sorted().toList();
        }
    }
}
