package dev.atrium.search;

/** A model file whose header cannot be read: reported on the repo, never fatal to the commit that added it. */
public final class MalformedHeaderException extends Exception {
    public MalformedHeaderException(String message) {
        super(message);
    }
}
