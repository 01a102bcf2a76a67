package dev.atrium.scan;

/** Bytes that should be a pickle (by their name or place) and are not one: the scan cannot vouch for them. */
public final class PickleFormatException extends Exception {
    public PickleFormatException(String message) {
        super(message);
    }
}
