package dev.atrium.web;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Percent-encoding for the pieces of page URLs built from names, revisions and paths. */
public final class Urls {
    private Urls() {}

    /** One path segment: a '/' inside (a branch like {@code refs/pr/1}) is encoded too. */
    public static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A file path: each segment encoded, the slashes between them kept. */
    public static String path(String path) {
        StringBuilder out = new StringBuilder();
        for (String part : path.split("/", -1)) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(segment(part));
        }
        return out.toString();
    }

    /** A query parameter's value. */
    public static String query(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
