package dev.atrium.notification;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Each user's notifications: one per discussion or pull request they follow, at its latest activity, unread until
 * they open the thread. A thread that keeps moving stays one line, as on the Hub, not one per comment.
 */
public final class Notifications {
    /** Why a user follows a thread, most specific first: a mention outranks taking part, which outranks owning. */
    public enum Reason {
        ACCESS_REQUEST("access", "Someone asked for access"),
        MENTION("mention", "You were mentioned"),
        PARTICIPANT("participant", "You took part"),
        OWNER("owner", "On your repo");

        private final String wireName;
        private final String text;

        Reason(String wireName, String text) {
            this.wireName = wireName;
            this.text = text;
        }

        public String text() {
            return text;
        }

        static Reason of(String wireName) {
            for (Reason r : values()) {
                if (r.wireName.equals(wireName)) {
                    return r;
                }
            }
            return OWNER;
        }
    }

    /**
     * The number under which a repo's access requests are one line of its administrators' notifications: threads
     * are numbered from 1.
     */
    public static final int ACCESS_REQUESTS = 0;

    /**
     * One line of a user's notifications, with its thread's title and state as they are now; a repo's access
     * requests ({@link #ACCESS_REQUESTS}) have neither.
     */
    public record Notice(String repoId, int num, Reason reason, @Nullable String actor, long updatedAt,
                         boolean unread, @Nullable String title, boolean isPr, @Nullable String status) {
        public boolean isAccessRequests() {
            return num == ACCESS_REQUESTS;
        }
    }

    /** A user who should hear of a thread's change, and why. */
    public record Follower(String userId, Reason reason) {}

    private final Jdbi jdbi;
    private final Clock clock;

    public Notifications(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /**
     * Marks the thread unread for each follower, as changed now by {@code actor}. Returns those for whom it was not
     * unread already: who has news (and may be mailed), not who has more of the same.
     */
    public List<Follower> notify(Collection<Follower> followers, String repoId, int num, @Nullable String actor) {
        if (followers.isEmpty()) {
            return List.of();
        }
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            java.util.Set<String> unread = new java.util.HashSet<>(h.createQuery(
                            "SELECT user_id FROM notifications WHERE repo_id = :r AND num = :n AND read_at IS NULL")
                    .bind("r", repoId).bind("n", num).mapTo(String.class).list());
            var batch = h.prepareBatch("""
                    INSERT INTO notifications (user_id, repo_id, num, reason, actor, updated_at, read_at)
                    VALUES (:u, :r, :n, :reason, :actor, :now, NULL)
                    ON CONFLICT (user_id, repo_id, num) DO UPDATE SET reason = excluded.reason, actor = excluded.actor,
                        updated_at = excluded.updated_at, read_at = NULL""");
            for (Follower f : followers) {
                batch.bind("u", f.userId()).bind("r", repoId).bind("n", num).bind("reason", f.reason().wireName)
                        .bind("actor", actor).bind("now", now).add();
            }
            batch.execute();
            return followers.stream().filter(f -> !unread.contains(f.userId())).toList();
        });
    }

    public int unreadCount(String userId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM notifications WHERE user_id = :u AND read_at IS NULL")
                .bind("u", userId).mapTo(Integer.class).one());
    }

    /** The user's latest notifications, newest first. */
    public List<Notice> latest(String userId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT n.repo_id, n.num, n.reason, n.actor, n.updated_at, n.read_at, d.title, d.is_pr, d.status
                        FROM notifications n LEFT JOIN discussions d ON d.repo_id = n.repo_id AND d.num = n.num
                        WHERE n.user_id = :u AND (n.num = 0 OR d.num IS NOT NULL)
                        ORDER BY n.updated_at DESC LIMIT :limit""")
                .bind("u", userId).bind("limit", limit)
                .map((rs, ctx) -> new Notice(rs.getString("repo_id"), rs.getInt("num"),
                        Reason.of(rs.getString("reason")), rs.getString("actor"), rs.getLong("updated_at"),
                        rs.getObject("read_at") == null, rs.getString("title"), rs.getBoolean("is_pr"),
                        rs.getString("status")))
                .list());
    }

    /** The user opened the thread. */
    public void markRead(String userId, String repoId, int num) {
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE notifications SET read_at = :now
                        WHERE user_id = :u AND repo_id = :r AND num = :n AND read_at IS NULL""")
                .bind("now", clock.millis()).bind("u", userId).bind("r", repoId).bind("n", num).execute());
    }

    public void markAllRead(String userId) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE notifications SET read_at = :now WHERE user_id = :u AND read_at IS NULL")
                .bind("now", clock.millis()).bind("u", userId).execute());
    }

    /** Drops the user's notifications of a repo they may no longer read: the list and its count stay the same. */
    public void forget(String userId, String repoId) {
        jdbi.useHandle(h -> h.createUpdate("DELETE FROM notifications WHERE user_id = :u AND repo_id = :r")
                .bind("u", userId).bind("r", repoId).execute());
    }
}
