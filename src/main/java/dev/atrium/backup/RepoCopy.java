package dev.atrium.backup;

import dev.atrium.storage.Folders;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.storage.pack.PackConfig;

/**
 * One bare git repository copied while pushes may land in it: its refs as they were at one moment ({@link #refs},
 * read before the metadata snapshot) and, in one pack, exactly the objects they reach, as {@code git bundle} would
 * hold them. Copying the object files instead would catch a push half-written (a commit without its tree), which
 * {@code git fsck} rightly calls broken even though no ref reaches it. Git only adds objects, so everything the refs
 * reached when they were read is still there when the pack is written; what arrived since is left out. Reflogs are
 * left out too: the hub does not read them, and theirs would name commits the copy does not have.
 */
final class RepoCopy {
    private RepoCopy() {}

    /** The outcome: copied, or gone from the hub while the backup ran (deleted or renamed). */
    enum Outcome { COPIED, GONE }

    /** The repository's refs now (packed and loose), by name; symbolic refs such as HEAD are copied as files. */
    static Map<String, ObjectId> refs(Path gitDir) throws IOException {
        Map<String, ObjectId> refs = new TreeMap<>();
        try (Repository git = open(gitDir)) {
            for (Ref ref : git.getRefDatabase().getRefsByPrefix("refs/")) {
                if (!ref.isSymbolic() && ref.getObjectId() != null) {
                    refs.put(ref.getName(), ref.getObjectId());
                }
            }
        }
        return refs;
    }

    /** Copies the repository at {@code source} to {@code relative} under {@code target}, as {@code refs} have it. */
    static Outcome copy(Path source, Map<String, ObjectId> refs, Path target, Path relative, FileCopier copier)
            throws IOException {
        Path copy = target.resolve(relative);
        if (!Files.isDirectory(source)) {
            return Outcome.GONE;
        }
        try {
            copyFiles(source, target, relative, copier);
            writePack(source, copy, refs);
            writeRefs(copy, refs);
            return Outcome.COPIED;
        } catch (NoSuchFileException | org.eclipse.jgit.errors.RepositoryNotFoundException e) {
            if (Files.isDirectory(source)) {
                throw e;
            }
            Folders.deleteTree(copy);
            return Outcome.GONE;
        }
    }

    /**
     * What is not objects, refs or reflogs: the config, HEAD, the description. Lock files are not the repository's
     * yet, and a file that goes away while the folder is read (a lock released) was not worth copying.
     */
    private static void copyFiles(Path source, Path target, Path relative, FileCopier copier) throws IOException {
        List<Path> files = new ArrayList<>();
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path folder, BasicFileAttributes attributes) {
                Path inRepo = source.relativize(folder);
                return inRepo.startsWith("objects") || inRepo.startsWith("refs") || inRepo.startsWith("logs")
                        ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                String name = file.getFileName().toString();
                if (attributes.isRegularFile() && !name.equals("packed-refs") && !name.endsWith(".lock")) {
                    files.add(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException && !file.equals(source)) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
        for (Path file : files) {
            try {
                copier.copy(file, target, relative.resolve(source.relativize(file)), false);
            } catch (NoSuchFileException e) {
                // Gone since it was listed.
            }
        }
        Files.createDirectories(target.resolve(relative).resolve("objects/pack"));
    }

    /** Every object the refs reach, in one pack (deltas and compressed objects reused as they are stored). */
    private static void writePack(Path source, Path copy, Map<String, ObjectId> refs) throws IOException {
        if (refs.isEmpty()) {
            return;
        }
        Path packs = copy.resolve("objects/pack");
        try (Repository git = open(source);
             PackWriter writer = new PackWriter(new PackConfig(git), git.newObjectReader())) {
            Set<ObjectId> wants = new HashSet<>(refs.values());
            writer.preparePack(NullProgressMonitor.INSTANCE, wants, Set.of());
            String name = "pack-" + writer.computeName().name();
            // The index last: git finds a pack through its index, so it never sees one whose pack is not in place.
            FileCopier.write(packs.resolve(name + ".pack"),
                    out -> writer.writePack(NullProgressMonitor.INSTANCE, NullProgressMonitor.INSTANCE, out));
            FileCopier.write(packs.resolve(name + ".idx"), writer::writeIndex);
        }
    }

    private static void writeRefs(Path copy, Map<String, ObjectId> refs) throws IOException {
        Files.createDirectories(copy.resolve("refs/heads"));
        Files.createDirectories(copy.resolve("refs/tags"));
        StringBuilder packed = new StringBuilder("# pack-refs with: sorted\n");
        refs.forEach((name, id) -> packed.append(id.name()).append(' ').append(name).append('\n'));
        FileCopier.write(copy.resolve("packed-refs"), packed.toString());
    }

    private static Repository open(Path gitDir) throws IOException {
        return new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setMustExist(true).build();
    }
}
