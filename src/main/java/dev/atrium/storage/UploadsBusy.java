package dev.atrium.storage;

import java.io.IOException;

/** An upload found no room within the hub's upload memory in time: nothing was stored, and it may be tried again. */
public final class UploadsBusy extends IOException {
    private static final long serialVersionUID = 1L;

    public UploadsBusy(String message) {
        super(message);
    }
}
