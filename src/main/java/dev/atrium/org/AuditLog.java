package dev.atrium.org;

import dev.atrium.auth.User;
import dev.atrium.db.Ids;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * An organization's audit log: who did what, when. Recording is a no-op for a namespace that is no organization
 * (a user's own repos have no log), so callers record every change without asking first.
 */
public final class AuditLog {
    public record Entry(String actor, String action, String target, String details, long at) {}

    private final Jdbi jdbi;
    private final Organizations orgs;
    private final Clock clock;

    public AuditLog(Jdbi jdbi, Organizations orgs, Clock clock) {
        this.jdbi = jdbi;
        this.orgs = orgs;
        this.clock = clock;
    }

    /** Records {@code action} on {@code target} by {@code actor} in the organization named {@code namespace}. */
    public void record(String namespace, User actor, String action, String target, String details) {
        orgs.byName(namespace).ifPresent(org -> jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO audit_log (id, org_id, actor, action, target, details, created_at)
                VALUES (:id, :org, :actor, :action, :target, :details, :at)""")
                .bind("id", Ids.newId()).bind("org", org.id()).bind("actor", actor.name()).bind("action", action)
                .bind("target", target).bind("details", details == null ? "" : details).bind("at", clock.millis())
                .execute()));
    }

    /** Records {@code action} on {@code repo} in its organization's log (nothing for a user's repo). */
    public void recordOnRepo(Repo repo, User actor, String action, String details) {
        record(repo.repoId().namespace(), actor, action, target(repo.type(), repo.repoId()), details);
    }

    /** How the log names a repo: with its type, since a model and a dataset may share an id. */
    public static String target(RepoType type, RepoId id) {
        return type.singular() + " " + id;
    }

    /** The newest entries first. */
    public List<Entry> entries(Organization org, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT actor, action, target, details, created_at FROM audit_log WHERE org_id = :org
                        ORDER BY created_at DESC, id DESC LIMIT :n""")
                .bind("org", org.id()).bind("n", limit)
                .map((rs, c) -> new Entry(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5)))
                .list());
    }
}
