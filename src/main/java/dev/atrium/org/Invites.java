package dev.atrium.org;

import dev.atrium.auth.OrgRole;
import dev.atrium.auth.User;
import dev.atrium.db.Ids;
import dev.atrium.http.Errors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * Invitations to an organization: a link with a random secret (only its hash is kept) that expires. It names whom
 * it is for (a user name or an email address) and only that user can accept it.
 */
public final class Invites {
    public static final Duration LIFETIME = Duration.ofDays(7);

    public record Invite(String id, Organization org, String invitee, OrgRole role, long expiresAt) {}

    public record Issued(Invite invite, String secret) {}

    private final Jdbi jdbi;
    private final Organizations orgs;
    private final Clock clock;

    public Invites(Jdbi jdbi, Organizations orgs, Clock clock) {
        this.jdbi = jdbi;
        this.orgs = orgs;
        this.clock = clock;
    }

    public Issued create(Organization org, String invitee, OrgRole role, User by) {
        String secret = dev.atrium.auth.RandomSecrets.text(24);
        Invite invite = new Invite(Ids.newId(), org, invitee, role, clock.millis() + LIFETIME.toMillis());
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO org_invites (id, org_id, secret_hash, invitee, role, created_by, created_at, expires_at)
                VALUES (:id, :org, :hash, :invitee, :role, :by, :now, :expires)""")
                .bind("id", invite.id()).bind("org", org.id()).bind("hash", hash(secret)).bind("invitee", invitee)
                .bind("role", role.wireName()).bind("by", by.id()).bind("now", clock.millis())
                .bind("expires", invite.expiresAt()).execute());
        return new Issued(invite, secret);
    }

    /** The open (unexpired, unaccepted) invitation behind a link. */
    public Optional<Invite> find(String orgName, String secret) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT i.id, i.invitee, i.role, i.expires_at, o.id, o.name, o.fullname, o.created_at
                        FROM org_invites i JOIN organizations o ON o.id = i.org_id
                        WHERE i.secret_hash = :hash AND o.name = :org AND i.accepted_by IS NULL AND i.expires_at > :now""")
                .bind("hash", hash(secret)).bind("org", orgName).bind("now", clock.millis())
                .map((rs, c) -> new Invite(rs.getString(1), new Organization(rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getLong(8)), rs.getString(2), OrgRole.parse(rs.getString(3)).orElseThrow(),
                        rs.getLong(4)))
                .findOne());
    }

    /** Accepts for {@code user}, who must be the one invited (by name or email); the link then stops working. */
    public void accept(Invite invite, User user) {
        boolean forThem = invite.invitee().equalsIgnoreCase(user.name()) || invite.invitee().equalsIgnoreCase(user.email());
        if (!forThem) {
            throw new Errors.Forbidden("This invitation is for " + invite.invitee() + ", not for " + user.name());
        }
        int claimed = jdbi.withHandle(h -> h.createUpdate(
                        "UPDATE org_invites SET accepted_by = :u WHERE id = :id AND accepted_by IS NULL")
                .bind("u", user.id()).bind("id", invite.id()).execute());
        if (claimed == 0) {
            throw new Errors.Conflict("This invitation was used already");
        }
        if (orgs.roleIn(invite.org().name(), user.id()).isEmpty()) {
            orgs.setRole(invite.org(), user, invite.role());
        }
    }

    private static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
