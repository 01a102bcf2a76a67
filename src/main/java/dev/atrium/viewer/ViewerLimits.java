package dev.atrium.viewer;

/**
 * How much the dataset viewer reads and keeps: splits whose files hold up to {@code splitBytes} (a larger split's
 * first files), and local copies of data files up to {@code cacheBytes} in all (the least recently used go first);
 * and whether datasets are exported to Parquet ({@code --parquet-export off} saves the disk and the work, say on a
 * hub of large datasets nobody browses).
 */
public record ViewerLimits(long splitBytes, long cacheBytes, boolean parquetExport) {
    public static final ViewerLimits DEFAULT = new ViewerLimits(1L << 30, 8L << 30);

    public ViewerLimits(long splitBytes, long cacheBytes) {
        this(splitBytes, cacheBytes, true);
    }

    public ViewerLimits {
        if (splitBytes <= 0 || cacheBytes < splitBytes) {
            throw new IllegalArgumentException("--viewer-split-limit must be positive, and --viewer-cache-size at "
                    + "least as large");
        }
    }
}
