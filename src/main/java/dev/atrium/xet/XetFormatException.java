package dev.atrium.xet;

/**
 * Raised when client-supplied Xet data (a xorb, a chunk, a footer) breaks the format. It is checked so that every
 * caller handling an upload has to decide what to answer; the CAS API answers all of these with 400.
 *
 * <p>The {@link Reason} lets callers and tests tell the failures apart without matching on message text.
 */
public final class XetFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What was wrong with the input. */
    public enum Reason {
        /** A chunk header with an unsupported version, or bytes that are neither a chunk header nor a footer. */
        BAD_HEADER,
        /** The data stopped inside a header, a chunk payload or the footer. */
        TRUNCATED,
        /** A chunk declaring more than the 128 KiB maximum (or an oversized compressed payload). */
        CHUNK_TOO_LARGE,
        /** A compression scheme number the spec does not define. */
        UNKNOWN_COMPRESSION,
        /** Declared sizes disagree with each other or with what the payload decodes to. */
        SIZE_MISMATCH,
        /** A compressed payload that is not a valid stream in its scheme. */
        BAD_COMPRESSED_DATA,
        /** The whole xorb is over the size limit, or has more chunks than the reader accepts. */
        TOO_LARGE,
        /** A xorb with no chunks. */
        EMPTY,
        /** The metadata footer is malformed or disagrees with the chunks it describes. */
        BAD_FOOTER,
        /** The content hashes to something other than the hash it was sent under. */
        HASH_MISMATCH,
        /** A chunk index range outside the xorb or empty. */
        BAD_RANGE
    }

    private final Reason reason;

    public XetFormatException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public XetFormatException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
