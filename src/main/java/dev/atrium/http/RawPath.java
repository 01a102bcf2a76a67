package dev.atrium.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Routing on the raw, still percent-encoded request path. The clients disagree on how they encode revisions and
 * paths (hub-api.md §2.3): a revision may arrive as {@code refs%2Fpr%2F1} or as raw {@code refs/pr/1}, and a path as
 * {@code a%2Fb} or {@code a/b}. Splitting on raw slashes first and decoding each segment after handles all of them.
 */
public final class RawPath {
    private static final Pattern PR_NUMBER = Pattern.compile("\\d+");
    private static final Pattern CONVERT_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    private RawPath() {}

    public static List<String> segments(String rawPath) {
        String trimmed = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
        if (trimmed.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(trimmed.split("/", -1));
    }

    public static String decode(String segment) {
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Errors.BadRequest("Malformed percent-encoding in '" + segment + "'");
        }
    }

    /**
     * Everything after {@code /api/{type}/{ns}/{name}/{action}/}, decoded segment by segment and joined with '/':
     * a revision, branch or tag name, whether the client sent {@code refs/pr/1} raw or {@code refs%2Fpr%2F1}.
     */
    public static String apiTail(io.javalin.http.Context ctx) {
        List<String> raw = segments(ctx.req().getRequestURI());
        return String.join("/", raw.subList(Math.min(5, raw.size()), raw.size()).stream().map(RawPath::decode).toList());
    }

    /** A revision followed by an optional path inside the repo. */
    public record RevisionAndPath(String revision, String path) {}

    public static RevisionAndPath revisionAndPath(List<String> rawSegments) {
        if (rawSegments.isEmpty() || rawSegments.get(0).isEmpty()) {
            throw new Errors.BadRequest("A revision is required");
        }
        int revisionLength = 1;
        if (rawSegments.size() >= 3 && rawSegments.get(0).equals("refs")
                && ((rawSegments.get(1).equals("pr") && PR_NUMBER.matcher(rawSegments.get(2)).matches())
                || (rawSegments.get(1).equals("convert") && CONVERT_NAME.matcher(rawSegments.get(2)).matches()))) {
            revisionLength = 3;
        }
        String revision = String.join("/", rawSegments.subList(0, revisionLength).stream().map(RawPath::decode).toList());
        List<String> rest = rawSegments.subList(revisionLength, rawSegments.size());
        String path = String.join("/", rest.stream().map(RawPath::decode).toList());
        return new RevisionAndPath(revision, path);
    }
}
