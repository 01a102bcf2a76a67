package dev.atrium.auth;

import java.util.Optional;

/**
 * Which role a user has in the organization that a namespace names, for {@link AccessPolicy}. An interface because
 * the organizations live in their own package, which depends on this one.
 */
@FunctionalInterface
public interface Memberships {
    /** The user's role in the organization called {@code namespace}; empty when it is no organization of theirs. */
    Optional<OrgRole> roleIn(String namespace, String userId);

    /** The SQL (on a namespace column, with {@code :viewerId} bound) that is true for the viewer's organizations. */
    default String namespaceIsViewersOrg(String column) {
        return column + " IN (SELECT o.name FROM organizations o JOIN org_members m ON m.org_id = o.id"
                + " WHERE m.user_id = :viewerId)";
    }
}
