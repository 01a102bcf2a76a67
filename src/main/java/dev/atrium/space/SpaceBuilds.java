package dev.atrium.space;

import dev.atrium.storage.Folders;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The packages a Space's {@code requirements.txt} asks for, installed by pip (in the app's sandbox) into a folder of
 * their own on top of the hub's Spaces Python: what is already installed there is not installed again. Folders are
 * named by the requirements' hash, so Spaces and commits with the same requirements share one, built once; a build
 * is written under a temporary name and renamed into place whole.
 */
final class SpaceBuilds {
    static final String REQUIREMENTS = "requirements.txt";

    /** One Space's packages: ready, or to be built into {@code temp} and then {@link #commit() renamed} in place. */
    static final class Build {
        private final Path folder;
        private final Path requirements;
        private @org.jspecify.annotations.Nullable Path temp;

        Build(Path folder, Path requirements) {
            this.folder = folder;
            this.requirements = requirements;
        }

        boolean done() {
            return Files.isDirectory(folder);
        }

        /** Makes the folder pip writes into; it is renamed into place when the build succeeds. */
        Path start() throws IOException {
            temp = Files.createTempDirectory(folder.getParent(), ".building-");
            return temp;
        }

        /** Where the packages are once built (pip's {@code --prefix}). */
        Path folder() {
            return folder;
        }

        Path requirements() {
            return requirements;
        }

        /** Makes the build visible, or keeps the one another Space with the same requirements finished first. */
        void commit() throws IOException {
            try {
                Files.move(temp, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                Folders.deleteTree(temp);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the packages folder must be on one file system", e);
            }
        }

        void abandon() throws IOException {
            if (temp != null) {
                Folders.deleteTree(temp);
            }
        }
    }

    private final Path root;

    SpaceBuilds(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
        // Builds a stop interrupted.
        try (var leftovers = Files.list(root)) {
            for (Path unfinished : leftovers.filter(p -> p.getFileName().toString().startsWith(".")).toList()) {
                Folders.deleteTree(unfinished);
            }
        }
    }

    /** The build the app in {@code files} needs, if it has requirements. */
    Optional<Build> of(Path files) throws IOException {
        Path requirements = files.resolve(REQUIREMENTS);
        if (!Files.isRegularFile(requirements)) {
            return Optional.empty();
        }
        String key = sha256(Files.readAllBytes(requirements));
        Path folder = root.resolve(key);
        if (Files.isDirectory(folder)) {
            Files.setLastModifiedTime(folder, FileTime.from(Instant.now()));
        }
        return Optional.of(new Build(folder, requirements));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
