package dev.atrium.xet.shard;

/** Bytes {@code [start, end)} of a file. */
public record FileRange(long start, long end) {
    public FileRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid file range [" + start + ", " + end + ")");
        }
    }

    public long length() {
        return end - start;
    }
}
