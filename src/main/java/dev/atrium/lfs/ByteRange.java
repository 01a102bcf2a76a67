package dev.atrium.lfs;

import dev.atrium.http.Errors;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * One satisfiable byte range of a resource of known size, from a {@code Range} header. Only single ranges are
 * served; anything else (several ranges, other units, bad syntax) is ignored as RFC 9110 allows, and the whole
 * resource is sent.
 *
 * @param first the first byte, inclusive
 * @param last  the last byte, inclusive
 */
public record ByteRange(long first, long last) {

    public long length() {
        return last - first + 1;
    }

    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * @return the range to send, or empty to send everything
     * @throws Errors.RangeNotSatisfiable when the range starts beyond the end
     */
    public static Optional<ByteRange> parse(@Nullable String header, long size) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return Optional.empty();
        }
        String spec = header.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        try {
            String from = spec.substring(0, dash).trim();
            String to = spec.substring(dash + 1).trim();
            if (from.isEmpty()) {
                long suffix = Long.parseLong(to); // "-n": the last n bytes
                if (suffix <= 0 || size == 0) {
                    throw new Errors.RangeNotSatisfiable(size);
                }
                return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long first = Long.parseLong(from);
            long last = to.isEmpty() ? Long.MAX_VALUE : Long.parseLong(to);
            if (first < 0 || last < first) {
                return Optional.empty(); // syntactically invalid: ignored
            }
            if (first >= size) {
                throw new Errors.RangeNotSatisfiable(size);
            }
            return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
