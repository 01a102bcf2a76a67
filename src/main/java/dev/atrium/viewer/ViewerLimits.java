package dev.atrium.viewer;

/**
 * How much the dataset viewer reads and keeps: splits whose files hold up to {@code splitBytes}, and local copies of
 * data files up to {@code cacheBytes} in all (the least recently used go first).
 */
public record ViewerLimits(long splitBytes, long cacheBytes) {
    public static final ViewerLimits DEFAULT = new ViewerLimits(1L << 30, 8L << 30);

    public ViewerLimits {
        if (splitBytes <= 0 || cacheBytes < splitBytes) {
            throw new IllegalArgumentException("--viewer-split-limit must be positive, and --viewer-cache-size at "
                    + "least as large");
        }
    }
}
