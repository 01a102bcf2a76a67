package dev.atrium.space;

import dev.atrium.storage.Folders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The packages a Space's {@code requirements.txt} asks for, installed by pip (in the app's sandbox) into a folder of
 * their own on top of the hub's Spaces Python: what is already installed there is not installed again.
 *
 * <p>Folders are shared: every Space and commit with the same requirements (and the same Python and pip
 * configuration) uses one, built once. That is safe only because a build depends on nothing else: requirements may
 * name packages of the index and nothing local (no {@code -r other.txt}, {@code -e .}, paths, URLs or pip options),
 * and the build sees the requirements file alone, never the Space's files. Otherwise one Space could build, under
 * another's requirements, packages that run its own code in the other's app. A build is written under a temporary
 * name and renamed into place whole.
 */
final class SpaceBuilds {
    static final String REQUIREMENTS = "requirements.txt";
    /** A requirement that names something other than an index's package: an option, a path, a URL. */
    private static final Pattern LOCAL = Pattern.compile("^[-.]|\\s-|[/\\\\@]|file:|://");

    /** Requirements that could make the shared build depend on the Space's own files; the message says which. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** One Space's packages: ready, or to be built and then {@link #commit() renamed} in place. */
    static final class Build {
        private final Path folder;
        private final byte[] requirements;
        private @Nullable Path work;

        Build(Path folder, byte[] requirements) {
            this.folder = folder;
            this.requirements = requirements;
        }

        boolean done() {
            return Files.isDirectory(folder);
        }

        /** Where the packages are once built (pip's {@code --prefix}). */
        Path folder() {
            return folder;
        }

        /**
         * Makes the folders a build works in: its input (the requirements file alone), an empty home, and the
         * packages folder pip writes, renamed into place when the build succeeds.
         */
        SpaceSandbox.View start() throws IOException {
            work = Files.createTempDirectory(Files.createDirectories(folder.getParent()), ".building-");
            Path input = Files.createDirectories(work.resolve("input"));
            Files.write(input.resolve(REQUIREMENTS), requirements);
            return new SpaceSandbox.View(input, Files.createDirectories(work.resolve("home")),
                    Files.createDirectories(work.resolve("packages")), true);
        }

        /** Makes the build visible, or keeps the one another Space with the same requirements finished first. */
        void commit() throws IOException {
            try {
                Files.move(work.resolve("packages"), folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the packages folder must be on one file system", e);
            } catch (IOException e) {
                // Another app's build of the same requirements won (Linux reports the rename onto its folder as a
                // plain FileSystemException): it is the same.
                if (!Files.isDirectory(folder)) {
                    throw e;
                }
            } finally {
                abandon();
            }
        }

        void abandon() throws IOException {
            if (work != null) {
                Folders.deleteTree(work);
                work = null;
            }
        }
    }

    private final Path root;
    /** What else a build depends on: the Python and pip's configuration. */
    private final String environment;

    SpaceBuilds(Path root, String environment) {
        this.root = root;
        this.environment = environment;
    }

    /** Removes the builds a stop interrupted (their temporary names start with a dot). */
    void removeUnfinished() throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var leftovers = Files.list(root)) {
            for (Path unfinished : leftovers.filter(p -> p.getFileName().toString().startsWith(".")).toList()) {
                Folders.deleteTree(unfinished);
            }
        }
    }

    /**
     * Removes the least recently used builds beyond {@code kept}, except those {@code inUse} (running apps import
     * from them); the next app that needs one builds it again.
     */
    void removeBeyond(int kept, java.util.function.Predicate<Path> inUse) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        java.util.List<Path> built;
        try (var folders = Files.list(root)) {
            built = folders.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(java.util.Comparator.comparing(Folders::lastUsed).reversed()).toList();
        }
        for (Path old : built.subList(Math.min(kept, built.size()), built.size())) {
            if (!inUse.test(old)) {
                Folders.deleteTree(old);
            }
        }
    }

    /** The build the app in {@code files} needs, if it has requirements. */
    Optional<Build> of(Path files) throws IOException, Refused {
        Path file = files.resolve(REQUIREMENTS);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        byte[] requirements = Files.readAllBytes(file);
        for (byte b : requirements) {
            // pip splits lines and strips spaces more widely than Java (Unicode separators): plain text only.
            if (b < 0 || b < 0x20 && b != '\n' && b != '\r' && b != '\t' || b == 0x7f) {
                throw new Refused(REQUIREMENTS + " must be plain ASCII text");
            }
        }
        String text = new String(requirements, StandardCharsets.US_ASCII);
        for (String line : text.lines().toList()) {
            String requirement = line.replaceFirst("(^|\\s)#.*", "").strip();
            if (!requirement.isEmpty() && LOCAL.matcher(requirement).find()) {
                throw new Refused(REQUIREMENTS + " may name packages of the index only, not \"" + requirement
                        + "\" (no pip options, paths or URLs)");
            }
        }
        Path folder = root.resolve(sha256(environment + "\n" + text));
        if (Files.isDirectory(folder)) {
            Files.setLastModifiedTime(folder, FileTime.from(Instant.now()));
        }
        return Optional.of(new Build(folder, requirements));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
