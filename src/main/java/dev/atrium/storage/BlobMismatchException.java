package dev.atrium.storage;

/** The bytes received do not hash to, or do not have the length of, what the client declared. */
public final class BlobMismatchException extends Exception {
    private static final long serialVersionUID = 1L;

    public BlobMismatchException(String message) {
        super(message);
    }
}
