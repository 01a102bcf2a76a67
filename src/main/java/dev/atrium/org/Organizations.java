package dev.atrium.org;

import dev.atrium.auth.Memberships;
import dev.atrium.auth.OrgRole;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.db.Ids;
import dev.atrium.db.NameLocks;
import dev.atrium.http.Errors;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Organizations and their members, in the database. Every change that could leave one without an admin refuses. */
public final class Organizations implements Memberships {
    /** A member and their role. */
    public record Member(User user, OrgRole role) {}

    /** An organization of a user's, with their role in it. */
    public record Membership(Organization org, OrgRole role) {}

    private final Jdbi jdbi;
    private final Clock clock;

    public Organizations(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Creates the organization with {@code creator} as its first admin; the name must be free among users too. */
    public Organization create(String name, String fullname, User creator) {
        return jdbi.inTransaction(h -> {
            NameLocks.NAMESPACE.take(h);
            boolean taken = h.createQuery("SELECT 1 FROM users WHERE LOWER(name) = LOWER(:n) UNION ALL "
                            + "SELECT 1 FROM organizations WHERE LOWER(name) = LOWER(:n)")
                    .bind("n", name).mapTo(Integer.class).findFirst().isPresent();
            if (taken) {
                throw new Errors.Conflict("The name '" + name + "' is taken by a user or an organization");
            }
            Organization org = new Organization(Ids.newId(), name, fullname, clock.millis());
            h.createUpdate("INSERT INTO organizations (id, name, fullname, created_at) VALUES (:id, :n, :f, :t)")
                    .bind("id", org.id()).bind("n", name).bind("f", fullname).bind("t", org.createdAt()).execute();
            insertMember(h, org, creator.id(), OrgRole.ADMIN);
            return org;
        });
    }

    /** The organization of this name in any case: names are unique regardless of case, as repo ids ignore it. */
    public Optional<Organization> byName(String name) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, name, fullname, created_at, classroom FROM organizations
                        WHERE lower(name) = lower(:n)""")
                .bind("n", name)
                .map((rs, c) -> new Organization(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getBoolean(5)))
                .findOne());
    }

    /** What {@code namespace}'s new repos are: its admins' choice when it is an organization, the hub's otherwise. */
    public RepoVisibility.Rule visibilityRule(String namespace) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT repo_visibility FROM organizations WHERE lower(name) = lower(:n)")
                .bind("n", namespace).mapTo(String.class).findFirst())
                .flatMap(RepoVisibility.Rule::of).orElse(RepoVisibility.Rule.HUB);
    }

    public void setVisibilityRule(Organization org, RepoVisibility.Rule rule) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE organizations SET repo_visibility = :r WHERE id = :id")
                .bind("r", rule.wireName()).bind("id", org.id()).execute());
    }

    public void setClassroom(Organization org, boolean classroom) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE organizations SET classroom = :c WHERE id = :id")
                .bind("c", classroom).bind("id", org.id()).execute());
    }

    @Override
    public Optional<OrgRole> roleIn(String namespace, String userId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT m.role FROM org_members m JOIN organizations o ON o.id = m.org_id
                        WHERE lower(o.name) = lower(:ns) AND m.user_id = :user""")
                .bind("ns", namespace).bind("user", userId).mapTo(String.class).findOne()
                .flatMap(OrgRole::parse));
    }

    public List<Member> members(Organization org) {
        return members(org, Integer.MAX_VALUE);
    }

    /** The first {@code limit} members by name: what a page shows of an organization of thousands. */
    public List<Member> members(Organization org, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT u.id, u.name, u.email, u.fullname, u.is_admin, u.created_at, m.role
                        FROM org_members m JOIN users u ON u.id = m.user_id WHERE m.org_id = :org ORDER BY u.name
                        LIMIT :n""")
                .bind("org", org.id()).bind("n", limit)
                .map((rs, c) -> new Member(Users.ROW.map(rs, c), OrgRole.parse(rs.getString("role")).orElseThrow()))
                .list());
    }

    public int memberCount(Organization org) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM org_members WHERE org_id = :org")
                .bind("org", org.id()).mapTo(Integer.class).one());
    }

    public List<Membership> of(User user) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT o.id, o.name, o.fullname, o.created_at, m.role
                        FROM org_members m JOIN organizations o ON o.id = m.org_id WHERE m.user_id = :user
                        ORDER BY o.name""")
                .bind("user", user.id())
                .map((rs, c) -> new Membership(new Organization(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getLong(4)), OrgRole.parse(rs.getString(5)).orElseThrow()))
                .list());
    }

    /** Adds a member, or changes the role of one; refuses to take the last admin's role away. */
    public void setRole(Organization org, User user, OrgRole role) {
        jdbi.useTransaction(h -> setRole(h, org, user, role));
    }

    private void setRole(Handle h, Organization org, User user, OrgRole role) {
        Optional<OrgRole> current = h.createQuery("SELECT role FROM org_members WHERE org_id = :o AND user_id = :u")
                .bind("o", org.id()).bind("u", user.id()).mapTo(String.class).findOne().flatMap(OrgRole::parse);
        if (current.isEmpty()) {
            insertMember(h, org, user.id(), role);
            return;
        }
        if (current.get() == OrgRole.ADMIN && role != OrgRole.ADMIN) {
            requireAnotherAdmin(h, org, user);
        }
        h.createUpdate("UPDATE org_members SET role = :r WHERE org_id = :o AND user_id = :u")
                .bind("r", role.wireName()).bind("o", org.id()).bind("u", user.id()).execute();
    }

    /** A membership and whether the identity provider's groups gave it ({@link GroupRoles}). */
    public record Held(OrgRole role, boolean managed) {}

    public Optional<Held> held(Organization org, User user) {
        return jdbi.withHandle(h -> held(h, org, user));
    }

    private static Optional<Held> held(Handle h, Organization org, User user) {
        return h.createQuery("SELECT role, sso_managed FROM org_members WHERE org_id = :o AND user_id = :u")
                .bind("o", org.id()).bind("u", user.id())
                .map((rs, c) -> new Held(OrgRole.parse(rs.getString(1)).orElseThrow(), rs.getBoolean(2)))
                .findOne();
    }

    /**
     * Sets the role the identity provider's groups give, and marks the membership as theirs: from then on a sign-in
     * whose groups give no role here takes it away ({@link #removeManaged}). Refuses to take the last admin's role.
     */
    public void setManagedRole(Organization org, User user, OrgRole role) {
        jdbi.useTransaction(h -> {
            setRole(h, org, user, role);
            h.createUpdate("UPDATE org_members SET sso_managed = :on WHERE org_id = :o AND user_id = :u")
                    .bind("on", true).bind("o", org.id()).bind("u", user.id()).execute();
        });
    }

    /** Removes a membership the groups gave, never one given by hand; the last admin cannot go. */
    public boolean removeManaged(Organization org, User user) {
        return jdbi.inTransaction(h -> {
            Optional<Held> current = held(h, org, user);
            if (current.isEmpty() || !current.get().managed()) {
                return false;
            }
            if (current.get().role() == OrgRole.ADMIN) {
                requireAnotherAdmin(h, org, user);
            }
            h.createUpdate("DELETE FROM org_members WHERE org_id = :o AND user_id = :u")
                    .bind("o", org.id()).bind("u", user.id()).execute();
            return true;
        });
    }

    /** Removes a member (or lets one leave); the last admin cannot go. */
    public boolean remove(Organization org, User user) {
        return jdbi.inTransaction(h -> {
            Optional<OrgRole> current = h.createQuery("SELECT role FROM org_members WHERE org_id = :o AND user_id = :u")
                    .bind("o", org.id()).bind("u", user.id()).mapTo(String.class).findOne().flatMap(OrgRole::parse);
            if (current.isEmpty()) {
                return false;
            }
            if (current.get() == OrgRole.ADMIN) {
                requireAnotherAdmin(h, org, user);
            }
            h.createUpdate("DELETE FROM org_members WHERE org_id = :o AND user_id = :u")
                    .bind("o", org.id()).bind("u", user.id()).execute();
            return true;
        });
    }

    private static void requireAnotherAdmin(Handle h, Organization org, User leaving) {
        long others = h.createQuery("SELECT COUNT(*) FROM org_members WHERE org_id = :o AND role = 'admin' AND user_id <> :u")
                .bind("o", org.id()).bind("u", leaving.id()).mapTo(Long.class).one();
        if (others == 0) {
            throw new Errors.Conflict("An organization needs an admin: make someone else admin first");
        }
    }

    private void insertMember(Handle h, Organization org, String userId, OrgRole role) {
        h.createUpdate("INSERT INTO org_members (org_id, user_id, role, created_at) VALUES (:o, :u, :r, :t)")
                .bind("o", org.id()).bind("u", userId).bind("r", role.wireName()).bind("t", clock.millis()).execute();
    }
}
