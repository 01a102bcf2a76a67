package dev.atrium.auth;

/** Text offered as an SSH public key that Atrium will not register; the message says what to paste instead. */
public final class InvalidSshKey extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InvalidSshKey(String message) {
        super(message);
    }
}
