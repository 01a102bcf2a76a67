package dev.atrium.repo;

/** The ref moved between reading its head and updating it: another writer won the compare-and-swap. */
public final class RefMovedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RefMovedException(String refName) {
        super(refName + " was updated concurrently");
    }
}
