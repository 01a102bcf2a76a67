package dev.atrium.scan;

import java.time.Duration;

/**
 * Antivirus scanning by ClamAV: {@code address} of its daemon ({@code --clamd}), the largest file sent to it
 * ({@code --clamd-max-size}; clamd itself reads at most its {@code StreamMaxLength}), and how often at most a new set
 * of clamd's signatures renews every verdict ({@code --clamd-rescan-hours}, {@link SignatureWatch}; zero: never), checked
 * every {@code watchPeriod} ({@code --clamd-watch-seconds}), when scans that failed (clamd down) are tried again too.
 */
public record ClamdSettings(String address, long maxSize, Duration rescanInterval, Duration watchPeriod) {
    /** clamd's default MaxFileSize: it scans no larger file whole anyway. */
    public static final long DEFAULT_MAX_SIZE = 100L << 20;
    /** freshclam brings new signatures several times a day; a rescan reads every scanned file again. */
    public static final Duration DEFAULT_RESCAN_INTERVAL = Duration.ofHours(24);
    public static final Duration DEFAULT_WATCH_PERIOD = Duration.ofHours(1);

    public ClamdSettings {
        Clamd.Target.parse(address);
        if (maxSize <= 0) {
            throw new IllegalArgumentException("--clamd-max-size must be positive");
        }
        if (rescanInterval.isNegative()) {
            throw new IllegalArgumentException("--clamd-rescan-hours must not be negative");
        }
        if (watchPeriod.isNegative() || watchPeriod.isZero()) {
            throw new IllegalArgumentException("--clamd-watch-seconds must be positive");
        }
    }

    public ClamdSettings(String address, long maxSize) {
        this(address, maxSize, DEFAULT_RESCAN_INTERVAL, DEFAULT_WATCH_PERIOD);
    }
}
