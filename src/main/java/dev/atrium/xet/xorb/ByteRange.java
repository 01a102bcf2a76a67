package dev.atrium.xet.xorb;

/**
 * A byte range {@code [start, end)} within a serialized xorb.
 *
 * <p>The download protocol's {@code url_range} is end-<em>inclusive</em> ({@code {start, end}} becomes
 * {@code Range: bytes=start-end}); use {@link #lastInclusive()} or {@link #httpRange()} there, never {@link #end()}.
 */
public record ByteRange(long start, long end) {
    public ByteRange {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("not a non-empty byte range: [" + start + ", " + end + ")");
        }
    }

    public long length() {
        return end - start;
    }

    /** The last byte in the range: the {@code end} of the protocol's {@code url_range}. */
    public long lastInclusive() {
        return end - 1;
    }

    /** The {@code Range} header value a client sends for this range: {@code bytes=start-last}. */
    public String httpRange() {
        return "bytes=" + start + "-" + lastInclusive();
    }
}
