package dev.atrium.follow;

import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.db.TimeIdCursor;
import dev.atrium.http.HubException;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Who follows whom. Lists hold active accounts only (a deactivated follower is not counted or shown, and shows
 * again if reactivated), newest first, read a page at a time by key so a popular profile is never read whole.
 */
public final class Follows {
    private final Jdbi jdbi;
    private final Clock clock;

    public Follows(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A page of users and the cursor of the next page, null on the last. */
    public record Page(List<User> users, @Nullable String next) {}

    /** @return false when {@code follower} followed {@code target} already */
    public boolean follow(User follower, Followee target) {
        if (target.kind() == Followee.Kind.USER && target.id().equals(follower.id())) {
            throw new SelfFollow();
        }
        // A second click, or two at once: the row is there, nothing is inserted.
        return jdbi.withHandle(h -> h.createUpdate("INSERT INTO " + target.kind().table + " (follower_id, "
                        + target.kind().column + ", created_at) VALUES (:f, :t, :at) ON CONFLICT DO NOTHING")
                .bind("f", follower.id()).bind("t", target.id()).bind("at", clock.millis()).execute() > 0);
    }

    /** @return false when {@code follower} did not follow {@code target} */
    public boolean unfollow(User follower, Followee target) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM " + target.kind().table + " WHERE follower_id = :f AND "
                        + target.kind().column + " = :t")
                .bind("f", follower.id()).bind("t", target.id()).execute() > 0);
    }

    public boolean isFollowing(User follower, Followee target) {
        return !following(follower, target.kind(), List.of(target.id())).isEmpty();
    }

    /** Which of {@code ids} (of one kind) {@code follower} follows: one query for a whole listed page. */
    public Set<String> following(User follower, Followee.Kind kind, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        return new HashSet<>(jdbi.withHandle(h -> h.createQuery("SELECT " + kind.column + " FROM " + kind.table
                        + " WHERE follower_id = :f AND " + kind.column + " IN (<ids>)")
                .bind("f", follower.id()).bindList("ids", List.copyOf(ids)).mapTo(String.class).list()));
    }

    public int followerCount(Followee target) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + target.kind().table + " f JOIN users u ON"
                        + " u.id = f.follower_id WHERE f." + target.kind().column + " = :t AND u.deactivated_at IS NULL")
                .bind("t", target.id()).mapTo(Integer.class).one());
    }

    /** How many active users {@code user} follows (organizations are not in the Hub's following list). */
    public int followingCount(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM user_follows f JOIN users u ON"
                        + " u.id = f.followed_id WHERE f.follower_id = :f AND u.deactivated_at IS NULL")
                .bind("f", userId).mapTo(Integer.class).one());
    }

    /**
     * Up to {@code limit} followers of {@code target}, newest first, after {@code cursor} (null: from the newest).
     *
     * @throws IllegalArgumentException for a cursor this did not make
     */
    public Page followers(Followee target, @Nullable String cursor, int limit) {
        return page("FROM " + target.kind().table + " f JOIN users u ON u.id = f.follower_id WHERE f."
                + target.kind().column + " = :key", "f.follower_id", target.id(), cursor, limit);
    }

    /** Up to {@code limit} users the user {@code userId} follows, the latest followed first, after {@code cursor}. */
    public Page followed(String userId, @Nullable String cursor, int limit) {
        return page("FROM user_follows f JOIN users u ON u.id = f.followed_id WHERE f.follower_id = :key",
                "f.followed_id", userId, cursor, limit);
    }

    private Page page(String from, String listedId, String key, @Nullable String cursor, int limit) {
        TimeIdCursor before = cursor == null ? new TimeIdCursor(Long.MAX_VALUE, "") : TimeIdCursor.parse(cursor);
        record Row(User user, long followedAt) {}
        List<Row> rows = jdbi.withHandle(h -> h.createQuery("SELECT u.id, u.name, u.email, u.fullname, u.is_admin,"
                        + " u.created_at, f.created_at AS followed_at " + from + " AND u.deactivated_at IS NULL"
                        + " AND (f.created_at < :t OR (f.created_at = :t AND " + listedId + " < :id))"
                        + " ORDER BY f.created_at DESC, " + listedId + " DESC LIMIT :n")
                .bind("key", key).bind("t", before.time()).bind("id", before.id()).bind("n", limit + 1)
                .map((rs, c) -> new Row(Users.ROW.map(rs, c), rs.getLong("followed_at")))
                .list());
        List<User> users = rows.stream().limit(limit).map(Row::user).toList();
        if (rows.size() <= limit) {
            return new Page(users, null);
        }
        Row last = rows.get(limit - 1);
        return new Page(users, new TimeIdCursor(last.followedAt(), last.user().id()).text());
    }

    /** One cannot follow oneself. */
    public static final class SelfFollow extends HubException {
        SelfFollow() {
            super("You cannot follow yourself");
        }

        @Override
        public int status() {
            return 400;
        }
    }
}
