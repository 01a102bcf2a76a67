package dev.atrium.mirror;

import dev.atrium.auth.SealedSecrets;
import dev.atrium.auth.ServerSecret;
import dev.atrium.repo.Repo;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/** The repos copied from another hub's repo ({@code repo_mirrors}): their source, token and how their syncs went. */
public final class Mirrors {
    /** A mirror's row; its token is read apart ({@link #token}), only to sync. */
    public record Mirror(String repoId, MirrorSource source, boolean hasToken, boolean keepInSync, long createdAt,
                         long nextSyncAt, @Nullable Long lastSyncAt, @Nullable String lastError) {
        /** Imported once and not landed yet, or kept in sync: either way the source decides the content. */
        public boolean importing() {
            return lastSyncAt == null;
        }
    }

    private final Jdbi jdbi;
    private final SealedSecrets tokens;
    private final Clock clock;

    public Mirrors(Jdbi jdbi, ServerSecret secret, Clock clock) {
        this.jdbi = jdbi;
        this.tokens = new SealedSecrets(secret, "mirror-tokens");
        this.clock = clock;
    }

    /** Makes {@code repo} a mirror of {@code source}, due to sync now. */
    public void add(Repo repo, MirrorSource source, @Nullable String token, boolean keepInSync, String userId) {
        long now = clock.millis();
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO repo_mirrors (repo_id, source, token, keep_in_sync, created_by, created_at,
                                                  next_sync_at)
                        VALUES (:repo, :source, :token, :keep, :user, :now, :now)""")
                .bind("repo", repo.id()).bind("source", source.pageUrl())
                .bind("token", token == null ? null : tokens.seal(boundTo(repo.id()), token))
                .bind("keep", keepInSync).bind("user", userId).bind("now", now).execute());
    }

    public Optional<Mirror> find(String repoId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE repo_id = :repo").bind("repo", repoId)
                .map((rs, c) -> mirror(rs)).findFirst());
    }

    /** Why a repo takes no commits: it is a mirror ({@link dev.atrium.auth.AccessPolicy.ReadOnlyRepos}). */
    public Optional<String> whyReadOnly(Repo repo) {
        return find(repo.id()).map(m -> repo.repoId() + " is a mirror of " + m.source().pageUrl()
                + ": it changes only by syncing from there. Stop mirroring in its settings to change it here.");
    }

    /** Mirrors whose next sync is due, the longest waiting first. */
    public List<Mirror> due(int limit) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE next_sync_at <= :now ORDER BY next_sync_at LIMIT "
                        + limit).bind("now", clock.millis())
                .map((rs, c) -> mirror(rs)).list());
    }

    private static final String SELECT = """
            SELECT repo_id, source, token IS NOT NULL, keep_in_sync, created_at, next_sync_at, last_sync_at, last_error
            FROM repo_mirrors""";

    private static Mirror mirror(java.sql.ResultSet rs) throws java.sql.SQLException {
        long lastSync = rs.getLong(7);
        Long lastSyncAt = rs.wasNull() ? null : lastSync;
        return new Mirror(rs.getString(1), MirrorSource.parse(rs.getString(2)), rs.getBoolean(3), rs.getBoolean(4),
                rs.getLong(5), rs.getLong(6), lastSyncAt, rs.getString(8));
    }

    /** The token to show the source, unsealed; empty when the mirror has none. */
    public Optional<String> token(Mirror mirror) {
        return jdbi.withHandle(h -> h.createQuery("SELECT token FROM repo_mirrors WHERE repo_id = :repo")
                .bind("repo", mirror.repoId()).mapTo(String.class).findFirst())
                .map(sealed -> tokens.unseal(boundTo(mirror.repoId()), sealed));
    }

    /** A sync landed: a one-time import is done (the repo becomes an ordinary one), a kept mirror waits {@code every}. */
    public void synced(Mirror mirror, Duration every) {
        long now = clock.millis();
        jdbi.useHandle(h -> {
            if (mirror.keepInSync()) {
                h.createUpdate("""
                                UPDATE repo_mirrors SET last_sync_at = :now, last_error = NULL, next_sync_at = :next
                                WHERE repo_id = :repo""")
                        .bind("now", now).bind("next", now + every.toMillis()).bind("repo", mirror.repoId()).execute();
            } else {
                h.createUpdate("DELETE FROM repo_mirrors WHERE repo_id = :repo").bind("repo", mirror.repoId())
                        .execute();
            }
        });
    }

    /** A sync failed: the reason is kept for the repo's page, and the next try waits {@code retryAfter}. */
    public void failed(Mirror mirror, String reason, Duration retryAfter) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE repo_mirrors SET last_error = :error, next_sync_at = :next WHERE repo_id = :repo""")
                .bind("error", reason).bind("next", clock.millis() + retryAfter.toMillis())
                .bind("repo", mirror.repoId()).execute());
    }

    /**
     * Replaces the token shown to the source (a new one after the old expired or was revoked), or removes it when
     * {@code token} is null; the next sync uses it.
     */
    public void setToken(String repoId, @Nullable String token) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE repo_mirrors SET token = :token WHERE repo_id = :repo")
                .bind("token", token == null ? null : tokens.seal(boundTo(repoId), token)).bind("repo", repoId)
                .execute());
    }

    /** How many mirrors' last sync failed: what an operator is alerted on. */
    public int failing() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM repo_mirrors WHERE last_error IS NOT NULL")
                .mapTo(Integer.class).one());
    }

    /** Asks for a sync as soon as one can run. */
    public void requestSync(Mirror mirror) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE repo_mirrors SET next_sync_at = :now WHERE repo_id = :repo")
                .bind("now", clock.millis()).bind("repo", mirror.repoId()).execute());
    }

    /** Stops mirroring: the repo keeps what it has and takes commits and pushes from then on. */
    public boolean remove(String repoId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM repo_mirrors WHERE repo_id = :repo")
                .bind("repo", repoId).execute()) > 0;
    }

    private static String boundTo(String repoId) {
        return "mirror-token\n" + repoId;
    }
}
