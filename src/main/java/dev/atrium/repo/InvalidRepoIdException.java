package dev.atrium.repo;

public final class InvalidRepoIdException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidRepoIdException(String message) {
        super(message);
    }
}
