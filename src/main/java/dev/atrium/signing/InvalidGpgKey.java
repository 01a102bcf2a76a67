package dev.atrium.signing;

/** Text offered as a GPG public key that is not one Atrium can register; the message says what to paste instead. */
public final class InvalidGpgKey extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidGpgKey(String message) {
        super(message);
    }
}
