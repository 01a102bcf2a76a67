package dev.atrium.repo;

import java.util.Optional;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.ObjectChecker;

/**
 * A file path inside a repository, normalised as the Python client does (leading {@code /} and {@code ./} stripped)
 * and refused when it could escape the tree or touch git's own files.
 */
public final class RepoPath {
    private static final int MAX_LENGTH = 4096;
    private static final ObjectChecker GIT_CHECKER = new ObjectChecker().setSafeForMacOS(true);

    private RepoPath() {}

    /** The canonical path; throws {@link InvalidPathException} saying why when it is not acceptable. */
    public static String normalize(String raw) {
        Optional<String> problem = validate(raw);
        if (problem.isPresent()) {
            throw new InvalidPathException(problem.get());
        }
        return strip(raw);
    }

    public static Optional<String> validate(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Optional.of("path is empty");
        }
        String path = strip(raw);
        if (path.isEmpty()) {
            return Optional.of("path is empty");
        }
        if (path.length() > MAX_LENGTH) {
            return Optional.of("path is longer than " + MAX_LENGTH + " characters");
        }
        if (path.indexOf('\0') >= 0 || path.indexOf('\\') >= 0) {
            return Optional.of("path '" + raw + "' contains a forbidden character");
        }
        if (path.endsWith("/")) {
            return Optional.of("path '" + raw + "' names a folder, not a file");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty()) {
                return Optional.of("path '" + raw + "' has an empty segment");
            }
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("path '" + raw + "' may not contain '.' or '..' segments");
            }
            if (segment.equals(".git") || segment.equals(".cache")) {
                return Optional.of("path '" + raw + "' may not contain a '" + segment + "' segment");
            }
        }
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("path '" + raw + "' contains control characters");
        }
        try {
            // Git's own rules: also '.GIT', 'git~1', '.git.' and HFS+ look-alikes name the repository folder.
            GIT_CHECKER.checkPath(path);
        } catch (CorruptObjectException e) {
            return Optional.of("path '" + raw + "' is not allowed by git: " + e.getMessage());
        }
        return Optional.empty();
    }

    private static String strip(String raw) {
        String path = raw;
        while (true) {
            if (path.startsWith("/")) {
                path = path.substring(1);
            } else if (path.startsWith("./")) {
                path = path.substring(2);
            } else {
                return path;
            }
        }
    }

    /** A folder path (for deletedFolder, tree): the same rules, without a trailing slash; empty means the root. */
    public static String normalizeFolder(String raw) {
        String path = raw == null ? "" : strip(raw);
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return path.isEmpty() ? "" : normalize(path);
    }
}
