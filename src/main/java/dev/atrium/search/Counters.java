package dev.atrium.search;

import dev.atrium.repo.Repo;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Likes and downloads, and the numbers derived from them: {@code likes}, {@code downloads} (last 30 days),
 * {@code downloadsAllTime} and {@code trendingScore} (likes and downloads of the last 7 days, a like counting as 10
 * downloads). They change without a commit, so they live beside the indexed metadata, not in it.
 */
public final class Counters {
    private static final long DAY = 86_400_000L;
    static final int LIKE_WEIGHT = 10;

    private final Jdbi jdbi;
    private final Clock clock;

    public Counters(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** @return true when this user had not liked the repo yet */
    public boolean like(String userId, Repo repo) {
        return jdbi.inTransaction(h -> {
            int added = h.createUpdate("""
                    INSERT INTO likes (user_id, repo_id, created_at) VALUES (:user, :repo, :now)
                    ON CONFLICT (user_id, repo_id) DO NOTHING""")
                    .bind("user", userId).bind("repo", repo.id()).bind("now", clock.millis()).execute();
            refresh(h, repo.id());
            return added > 0;
        });
    }

    /** @return true when the user had liked the repo */
    public boolean unlike(String userId, Repo repo) {
        return jdbi.inTransaction(h -> {
            int removed = h.createUpdate("DELETE FROM likes WHERE user_id = :user AND repo_id = :repo")
                    .bind("user", userId).bind("repo", repo.id()).execute();
            refresh(h, repo.id());
            return removed > 0;
        });
    }

    /** Counts one download of {@code repo} today. */
    public void download(Repo repo) {
        int today = (int) (clock.millis() / DAY);
        jdbi.useTransaction(h -> {
            int updated = h.createUpdate("UPDATE download_days SET count = count + 1 WHERE repo_id = :repo AND day = :day")
                    .bind("repo", repo.id()).bind("day", today).execute();
            if (updated == 0) {
                h.createUpdate("INSERT INTO download_days (repo_id, day, count) VALUES (:repo, :day, 1)")
                        .bind("repo", repo.id()).bind("day", today).execute();
            }
            refresh(h, repo.id());
        });
    }

    /** The numbers that change without a commit, as the info endpoints show them. */
    public record Snapshot(long likes, long downloads, long downloadsAllTime, long trendingScore) {}

    public Optional<Snapshot> snapshot(String repoId) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT likes, downloads, downloads_all_time, trending_score FROM repo_meta WHERE repo_id = :repo""")
                .bind("repo", repoId)
                .map((rs, ctx) -> new Snapshot(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
                .findOne());
    }

    public long likes(Repo repo) {
        return jdbi.withHandle(h -> h.createQuery("SELECT likes FROM repo_meta WHERE repo_id = :repo")
                .bind("repo", repo.id()).mapTo(Long.class).findOne()).orElse(0L);
    }

    public Optional<Long> likedAt(String userId, Repo repo) {
        return jdbi.withHandle(h -> h.createQuery("SELECT created_at FROM likes WHERE user_id = :u AND repo_id = :r")
                .bind("u", userId).bind("r", repo.id()).mapTo(Long.class).findOne());
    }

    /**
     * Recomputes the windowed numbers ({@code downloads} over 30 days, {@code trendingScore} over 7) of every repo
     * whose windows may have moved since: they otherwise change only when the repo is liked or downloaded, and a repo
     * nobody touches for a week must fall out of trending. Run periodically; returns the repos updated.
     */
    public int refreshWindows() {
        long now = clock.millis();
        int today = (int) (now / DAY);
        // Only rows whose windows moved are written: an hourly rewrite of every active repo's row would churn a
        // large hub's table and indexes (and, on PostgreSQL, leave a dead tuple per row) for values that mostly
        // stay the same.
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE repo_meta SET downloads = w.month, trending_score = w.trend
                FROM (SELECT m.repo_id,
                             (SELECT COALESCE(SUM(count), 0) FROM download_days d
                              WHERE d.repo_id = m.repo_id AND d.day > :month) AS month,
                             (SELECT COALESCE(SUM(count), 0) FROM download_days d
                              WHERE d.repo_id = m.repo_id AND d.day > :week)
                             + :likeWeight * (SELECT COUNT(*) FROM likes l
                                              WHERE l.repo_id = m.repo_id AND l.created_at > :weekMillis) AS trend
                      FROM repo_meta m WHERE m.downloads <> 0 OR m.trending_score <> 0) w
                WHERE repo_meta.repo_id = w.repo_id
                  AND (repo_meta.downloads <> w.month OR repo_meta.trending_score <> w.trend)""")
                .bind("month", today - 30).bind("week", today - 7).bind("weekMillis", now - 7 * DAY)
                .bind("likeWeight", LIKE_WEIGHT).execute());
    }

    private void refresh(Handle h, String repoId) {
        long now = clock.millis();
        int today = (int) (now / DAY);
        h.createUpdate("""
                UPDATE repo_meta SET
                    likes = (SELECT COUNT(*) FROM likes WHERE repo_id = :repo),
                    downloads = (SELECT COALESCE(SUM(count), 0) FROM download_days
                                 WHERE repo_id = :repo AND day > :month),
                    downloads_all_time = (SELECT COALESCE(SUM(count), 0) FROM download_days WHERE repo_id = :repo),
                    trending_score = (SELECT COALESCE(SUM(count), 0) FROM download_days
                                      WHERE repo_id = :repo AND day > :week)
                                   + :likeWeight * (SELECT COUNT(*) FROM likes
                                                    WHERE repo_id = :repo AND created_at > :weekMillis)
                WHERE repo_id = :repo""")
                .bind("repo", repoId).bind("month", today - 30).bind("week", today - 7)
                .bind("weekMillis", now - 7 * DAY).bind("likeWeight", LIKE_WEIGHT).execute();
    }
}
