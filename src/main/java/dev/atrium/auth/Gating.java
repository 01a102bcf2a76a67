package dev.atrium.auth;

import java.util.Optional;

/** Which repos are gated and who has been let through, for {@link AccessPolicy}; kept by the gate package. */
public interface Gating {
    /** Whether the repo's files are gated. */
    boolean isGated(String repoId);

    /** The user's access request to the repo, if they made one or were granted access. */
    Optional<AccessRequestStatus> requestStatus(String repoId, String userId);
}
