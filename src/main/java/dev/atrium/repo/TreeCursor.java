package dev.atrium.repo;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a paged tree listing resumes: after the entry at {@code path} (relative to the listed folder). Sent to
 * clients as an opaque token, as the Hub's {@code cursor} is: a position by path stays right when pages are asked
 * for long after one another, and lets the walk skip what lies before it.
 */
public record TreeCursor(String path, boolean directory) {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    public TreeCursor {
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("not a path in a tree: '" + path + "'");
        }
    }

    public String encode() {
        return ENCODER.encodeToString(((directory ? "d" : "f") + path).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor {@code token} stands for, or empty when it is none this hub gave out. */
    public static Optional<TreeCursor> decode(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
            if (text.length() < 2 || (text.charAt(0) != 'd' && text.charAt(0) != 'f')) {
                return Optional.empty();
            }
            return Optional.of(new TreeCursor(text.substring(1), text.charAt(0) == 'd'));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    String[] segments() {
        return path.split("/");
    }
}
