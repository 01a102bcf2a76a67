package dev.atrium.xet.shard;

/**
 * A shard that is not a valid serialization: bad magic or version, truncated, oversized, inconsistent counts or
 * offsets. The HTTP layer answers 400 Bad Request with {@link #getMessage()}, which names what was wrong and where.
 */
public final class ShardFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ShardFormatException(String message) {
        super(message);
    }

    public ShardFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
