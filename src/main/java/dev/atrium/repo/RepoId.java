package dev.atrium.repo;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code namespace/name}, validated by the rules the Hub clients enforce client-side, so that a name Atrium accepts is
 * one every client can address.
 */
public record RepoId(String namespace, String name) {
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_.-]{1,96}");
    /** Model repos live at the site root, so namespaces that are top-level routes must not be taken. */
    private static final Set<String> RESERVED = Set.of("api", "datasets", "spaces", "models", "kernels", "buckets",
            "collections", "organizations", "settings", "oauth", "papers", "docs", "login", "logout", "join", "new",
            "static", ".well-known", "assets", "search", "admin", "pricing", "blog", "huggingface", "cas", "device",
            "datasets-server", "metrics");

    public RepoId {
        requireValidSegment(namespace, "namespace");
        requireValidSegment(name, "name");
    }

    public static RepoId parse(String id) {
        int slash = id.indexOf('/');
        if (slash < 0 || slash != id.lastIndexOf('/')) {
            throw new InvalidRepoIdException("Repo id must be in the form 'namespace/name': '" + id + "'");
        }
        return new RepoId(id.substring(0, slash), id.substring(slash + 1));
    }

    public static boolean isReservedNamespace(String namespace) {
        return RESERVED.contains(namespace.toLowerCase(java.util.Locale.ROOT));
    }

    static void requireValidSegment(String segment, String what) {
        if (segment == null || !SEGMENT.matcher(segment).matches()) {
            throw new InvalidRepoIdException("Invalid repo " + what + " '" + segment
                    + "': use 1 to 96 characters among letters, digits, '-', '_' and '.'");
        }
        if (segment.startsWith("-") || segment.startsWith(".") || segment.endsWith("-") || segment.endsWith(".")) {
            throw new InvalidRepoIdException("Invalid repo " + what + " '" + segment
                    + "': it may not start or end with '-' or '.'");
        }
        if (segment.contains("--") || segment.contains("..")) {
            throw new InvalidRepoIdException("Invalid repo " + what + " '" + segment
                    + "': '--' and '..' are forbidden");
        }
        if (segment.endsWith(".git")) {
            throw new InvalidRepoIdException("Invalid repo " + what + " '" + segment + "': it may not end with '.git'");
        }
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
