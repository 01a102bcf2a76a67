package dev.atrium.auth;

import java.util.Locale;
import java.util.Optional;

/** A member's role in an organization, as the Hub names them; each includes what the ones before it may do. */
public enum OrgRole {
    /** Sees and downloads the organization's private repos. */
    READ,
    /** Also opens pull requests; cannot push to a repo's branches. */
    CONTRIBUTOR,
    /** Also pushes and creates repos. */
    WRITE,
    /** Also manages members, settings, and moves and deletes repos. */
    ADMIN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<OrgRole> parse(String text) {
        for (OrgRole role : values()) {
            if (role.wireName().equals(text)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    public boolean atLeast(OrgRole other) {
        return compareTo(other) >= 0;
    }
}
