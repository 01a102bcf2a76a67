package dev.atrium.testing;

import dev.atrium.auth.AccessRequestStatus;
import dev.atrium.auth.Gating;
import java.util.Optional;

/** Gating for tests where no repo is gated: access follows visibility and membership alone. */
public final class NotGated implements Gating {
    public static final Gating INSTANCE = new NotGated();

    private NotGated() {}

    @Override
    public boolean isGated(String repoId) {
        return false;
    }

    @Override
    public Optional<AccessRequestStatus> requestStatus(String repoId, String userId) {
        return Optional.empty();
    }
}
