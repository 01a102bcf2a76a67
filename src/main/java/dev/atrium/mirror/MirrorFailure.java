package dev.atrium.mirror;

/** Why a sync from the source did not land, in words for the repo's owners: shown on its page and by the API. */
public final class MirrorFailure extends Exception {
    public MirrorFailure(String message) {
        super(message);
    }

    public MirrorFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
