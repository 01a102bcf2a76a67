package dev.atrium.repo;

public final class InvalidPathException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidPathException(String message) {
        super(message);
    }
}
