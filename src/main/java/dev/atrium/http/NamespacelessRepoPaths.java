package dev.atrium.http;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Repo URLs whose id has no namespace ({@code gpt2}, {@code bert-base-uncased}): huggingface.co still answers for
 * such legacy ids, so clients send them, and {@code repo_exists}, {@code file_exists} and friends tell "no such repo"
 * from any other failure by the {@code RepoNotFound} code. Every repo here has a namespace, so these paths match no
 * route; the unmatched-route handler answers them as a missing repo instead of as an unknown endpoint.
 */
final class NamespacelessRepoPaths {
    /** What the clients ask of a repo under {@code /api/{type}/{id}/} (hub-api.md). */
    private static final String API_RESOURCES = "revision|tree|paths-info|commits|commit|preupload|refs|like|likers"
            + "|discussions|auth-check|xet-read-token|xet-write-token|settings|branch|tag|super-squash|lfs-files"
            + "|user-access-request|ask-access|duplicate|runtime|hardware|logs|pause|restart|secrets|variables"
            + "|sleeptime";
    private static final Pattern API = Pattern.compile(
            "/api/(?:models|datasets|spaces)/([^/]+)(?:/(?:" + API_RESOURCES + ")(?:/.*)?)?");
    /** A model's files and its git and LFS endpoints; datasets and Spaces have a prefix, which a route matches. */
    private static final Pattern MODEL_FILES = Pattern.compile(
            "/([^/]+?)(?:\\.git)?/(?:resolve|raw|info/refs|info/lfs|git-upload-pack|git-receive-pack)(?:/.*)?");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][\\w.-]*");

    private NamespacelessRepoPaths() {}

    /** The namespace-less repo id {@code path} addresses, if it is one of the repo URLs above. */
    static Optional<String> repoId(String path) {
        for (Pattern pattern : new Pattern[] {API, MODEL_FILES}) {
            Matcher m = pattern.matcher(path);
            if (m.matches() && NAME.matcher(m.group(1)).matches()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
