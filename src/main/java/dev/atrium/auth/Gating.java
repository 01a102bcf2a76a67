package dev.atrium.auth;

/** Which repos are gated and who has been let through, for {@link AccessPolicy}; kept by the gate package. */
public interface Gating {
    /** Whether the repo's files are gated. */
    boolean isGated(String repoId);

    /** Whether the user's access request to the repo has been accepted. */
    boolean isAccepted(String repoId, String userId);
}
