package dev.atrium.storage;

import java.io.IOException;

/**
 * The object storage behind the hub failed or did not answer (after the SDK's own retries): the hub is fine and the
 * request may succeed later, which clients are told with a 503 rather than an internal error.
 */
public final class ObjectStorageUnavailable extends IOException {
    private static final long serialVersionUID = 1L;

    public ObjectStorageUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
