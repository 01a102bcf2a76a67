package dev.atrium.xet.shard;

/** A {@code Range} header the reconstruction API cannot serve. */
public final class ReconstructionRangeException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why the range was refused. */
    public enum Reason {
        /** Not {@code bytes=<first>-<last>} (or {@code bytes=<first>-}): answer 400 Bad Request. */
        MALFORMED(400),
        /** The first byte is at or past the end of the file: answer 416 Range Not Satisfiable. */
        NOT_SATISFIABLE(416);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    public ReconstructionRangeException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
