package dev.atrium.org;

import dev.atrium.auth.OidcSettings.OrgGrant;
import dev.atrium.auth.OrgRole;
import dev.atrium.auth.User;
import dev.atrium.http.Errors;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Organization roles given by the identity provider's groups ({@code --oidc-org-roles}), brought up to date at each
 * sign-in through it. In an organization the grants name, a person whose groups give a role holds that role (the
 * highest, if several give one), whatever was given by hand before: the provider is where such memberships are
 * decided. When their groups give none any more, the membership goes, but only if the groups gave it: one an admin
 * gave by hand to someone outside the groups stays. The last admin of an organization is never removed or lowered
 * (said in the log). Each change is in the organization's audit log, done by the person signing in.
 */
public final class GroupRoles {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GroupRoles.class);

    private final List<OrgGrant> grants;
    private final Organizations orgs;
    private final AuditLog audit;

    public GroupRoles(List<OrgGrant> grants, Organizations orgs, AuditLog audit) {
        this.grants = List.copyOf(grants);
        this.orgs = orgs;
        this.audit = audit;
    }

    /** Sets the signed-in person's memberships in the organizations the grants name from their groups now. */
    public void apply(User user, Collection<String> groups) {
        Set<String> named = new LinkedHashSet<>();
        grants.forEach(grant -> named.add(grant.org()));
        for (String name : named) {
            Optional<Organization> org = orgs.byName(name);
            if (org.isEmpty()) {
                LOG.warn("--oidc-org-roles names the organization '{}', which this hub does not have", name);
                continue;
            }
            Optional<OrgRole> given = grants.stream()
                    .filter(grant -> grant.org().equals(name) && groups.contains(grant.group()))
                    .map(OrgGrant::role).max(Comparator.naturalOrder());
            Optional<Organizations.Held> held = orgs.held(org.get(), user);
            try {
                if (given.isPresent()) {
                    if (held.isEmpty() || held.get().role() != given.get() || !held.get().managed()) {
                        orgs.setManagedRole(org.get(), user, given.get());
                        audit.record(name, user, "member.sso-role", user.name(), given.get().wireName());
                    }
                } else if (held.isPresent() && held.get().managed() && orgs.removeManaged(org.get(), user)) {
                    audit.record(name, user, "member.sso-remove", user.name(), "");
                }
            } catch (Errors.Conflict e) {
                LOG.warn("{} stays admin of {}, its last: the groups no longer give that role", user.name(), name);
            }
        }
    }
}
