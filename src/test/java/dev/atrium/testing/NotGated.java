package dev.atrium.testing;

import dev.atrium.auth.Gating;

/** Gating for tests where no repo is gated: access follows visibility and membership alone. */
public final class NotGated implements Gating {
    public static final Gating INSTANCE = new NotGated();

    private NotGated() {}

    @Override
    public boolean isGated(String repoId) {
        return false;
    }

    @Override
    public boolean isAccepted(String repoId, String userId) {
        return false;
    }
}
