package dev.atrium.storage;

/** The bytes received do not hash to, or do not have the length of, what the client declared. */
public final class BlobMismatchException extends Exception {
    private static final long serialVersionUID = 1L;

    public BlobMismatchException(String message) {
        super(message);
    }

    /** Throws unless what was received is exactly what was declared. */
    static void verify(Sha256 expectedOid, long expectedSize, Sha256 receivedOid, long receivedSize)
            throws BlobMismatchException {
        if (receivedSize != expectedSize) {
            throw new BlobMismatchException("size mismatch: expected " + expectedSize + " bytes, received "
                    + (receivedSize > expectedSize ? "more" : receivedSize));
        }
        if (!receivedOid.equals(expectedOid)) {
            throw new BlobMismatchException("sha256 mismatch: expected " + expectedOid
                    + ", received content hashing to " + receivedOid);
        }
    }

    /** Throws unless a part of {@code length} bytes at {@code offset} lies within an object of {@code size} bytes. */
    static void checkPart(long offset, long length, long size) throws BlobMismatchException {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new BlobMismatchException("part at " + offset + "+" + length + " lies outside an object of " + size
                    + " bytes");
        }
    }
}
