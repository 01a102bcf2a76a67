package dev.atrium.card;

public final class InvalidCardException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidCardException(String message) {
        super(message);
    }
}
