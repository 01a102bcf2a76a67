package dev.atrium.scan;

/**
 * Antivirus scanning by ClamAV: {@code address} of its daemon ({@code --clamd}), and the largest file sent to it
 * ({@code --clamd-max-size}; clamd itself reads at most its {@code StreamMaxLength}).
 */
public record ClamdSettings(String address, long maxSize) {
    /** clamd's default MaxFileSize: it scans no larger file whole anyway. */
    public static final long DEFAULT_MAX_SIZE = 100L << 20;

    public ClamdSettings {
        Clamd.Target.parse(address);
        if (maxSize <= 0) {
            throw new IllegalArgumentException("--clamd-max-size must be positive");
        }
    }
}
