package dev.atrium.discussion;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.User;
import dev.atrium.db.Ids;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/** Discussions and pull requests of repos, and their events, in the database. */
public final class Discussions {
    public record Discussion(String repoId, int num, String title, @Nullable String authorId, @Nullable String author,
                             boolean isPr, String status, @Nullable String baseRef, @Nullable String mergeCommit,
                             long createdAt) {
        public String prRef() {
            return "refs/pr/" + num;
        }
    }

    public record Event(String id, String type, @Nullable String author, String dataJson, long createdAt,
                        @Nullable String authorId) {
        /** A comment's text as last written (its Markdown); empty for events that are not comments. */
        public String text() {
            try {
                return dev.atrium.http.Json.MAPPER.readTree(dataJson).path("latest").path("raw").asText("");
            } catch (java.io.IOException e) {
                return "";
            }
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;

    public Discussions(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** Opens a thread with the next number of the repo. */
    public Discussion create(String repoId, String title, User author, boolean isPr, String status,
                             @Nullable String baseRef) {
        return jdbi.inTransaction(h -> {
            int num = h.createQuery("SELECT COALESCE(MAX(num), 0) + 1 FROM discussions WHERE repo_id = :r")
                    .bind("r", repoId).mapTo(Integer.class).one();
            long now = clock.millis();
            h.createUpdate("""
                    INSERT INTO discussions (repo_id, num, title, author_id, is_pr, status, base_ref, created_at,
                                             updated_at)
                    VALUES (:r, :n, :t, :a, :pr, :s, :base, :now, :now)""")
                    .bind("r", repoId).bind("n", num).bind("t", title).bind("a", author.id()).bind("pr", isPr)
                    .bind("s", status).bind("base", baseRef).bind("now", now).execute();
            return new Discussion(repoId, num, title, author.id(), author.name(), isPr, status, baseRef, null, now);
        });
    }

    private static final String SELECT = """
            SELECT d.repo_id, d.num, d.title, d.author_id, u.name, d.is_pr, d.status, d.base_ref, d.merge_commit,
                   d.created_at
            FROM discussions d LEFT JOIN users u ON u.id = d.author_id""";

    private static Discussion map(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Discussion(rs.getString(1), rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getBoolean(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getLong(10));
    }

    public Optional<Discussion> get(String repoId, int num) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE d.repo_id = :r AND d.num = :n")
                .bind("r", repoId).bind("n", num).map((rs, c) -> map(rs)).findOne());
    }

    /** Which threads a list shows; a null field does not filter. {@code status} is "open" or "closed". */
    public record Filter(@Nullable Boolean isPr, @Nullable String status, @Nullable String author) {}

    /** One page of a list, newest first, and how many threads the whole list holds, of which closed or merged. */
    public record Page(List<Discussion> items, int total, int closed) {}

    /** Offset and limit in SQL: a repo with thousands of threads is not read whole for each page. */
    public Page page(String repoId, Filter filter, int offset, int limit) {
        StringBuilder where = new StringBuilder(" WHERE d.repo_id = :r");
        if (filter.isPr() != null) {
            where.append(" AND d.is_pr = :pr");
        }
        if (filter.status() != null) {
            where.append(filter.status().equals("open") ? " AND d.status IN ('open', 'draft')"
                    : " AND d.status IN ('closed', 'merged')");
        }
        if (filter.author() != null) {
            where.append(" AND u.name = :author");
        }
        return jdbi.inTransaction(h -> {
            var count = h.createQuery("SELECT COUNT(*), COALESCE(SUM(CASE WHEN d.status IN ('closed', 'merged') "
                    + "THEN 1 ELSE 0 END), 0) FROM discussions d LEFT JOIN users u ON u.id = d.author_id" + where);
            var items = h.createQuery(SELECT + where + " ORDER BY d.num DESC LIMIT :limit OFFSET :offset")
                    .bind("limit", limit).bind("offset", offset);
            for (var q : List.of(count, items)) {
                q.bind("r", repoId);
                if (filter.isPr() != null) {
                    q.bind("pr", filter.isPr());
                }
                if (filter.author() != null) {
                    q.bind("author", filter.author());
                }
            }
            int[] totals = count.map((rs, c) -> new int[] {rs.getInt(1), rs.getInt(2)}).one();
            return new Page(items.map((rs, c) -> map(rs)).list(), totals[0], totals[1]);
        });
    }

    /** How many discussions and pull requests of a repo are open (drafts included): the Community tab's count. */
    public int openCount(String repoId) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM discussions WHERE repo_id = :r AND status IN ('open', 'draft')")
                .bind("r", repoId).mapTo(Integer.class).one());
    }

    public void setStatus(Discussion d, String status, @Nullable String mergeCommit) {
        jdbi.useHandle(h -> h.createUpdate("""
                UPDATE discussions SET status = :s, merge_commit = COALESCE(:m, merge_commit), updated_at = :now
                WHERE repo_id = :r AND num = :n""")
                .bind("s", status).bind("m", mergeCommit).bind("now", clock.millis()).bind("r", d.repoId())
                .bind("n", d.num()).execute());
    }

    /** Sets the status to {@code to} if it is {@code from}; whether it was. */
    public boolean changeStatus(Discussion d, String from, String to) {
        return jdbi.withHandle(h -> h.createUpdate("""
                UPDATE discussions SET status = :to, updated_at = :now
                WHERE repo_id = :r AND num = :n AND status = :from""")
                .bind("to", to).bind("from", from).bind("now", clock.millis()).bind("r", d.repoId())
                .bind("n", d.num()).execute()) > 0;
    }

    public void setTitle(Discussion d, String title) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE discussions SET title = :t, updated_at = :now WHERE repo_id = :r AND num = :n")
                .bind("t", title).bind("now", clock.millis()).bind("r", d.repoId()).bind("n", d.num()).execute());
    }

    public Event addEvent(Discussion d, String type, @Nullable User author, ObjectNode data) {
        Event event = new Event(Ids.newId(), type, author == null ? null : author.name(), data.toString(), clock.millis(),
                author == null ? null : author.id());
        jdbi.useHandle(h -> h.createUpdate("""
                INSERT INTO discussion_events (id, repo_id, num, type, author_id, data_json, created_at)
                VALUES (:id, :r, :n, :t, :a, :d, :now)""")
                .bind("id", event.id()).bind("r", d.repoId()).bind("n", d.num()).bind("t", type)
                .bind("a", author == null ? null : author.id()).bind("d", event.dataJson()).bind("now", event.createdAt())
                .execute());
        return event;
    }

    private static final String EVENTS = """
            SELECT e.id, e.type, u.name, e.data_json, e.created_at, e.author_id FROM discussion_events e
            LEFT JOIN users u ON u.id = e.author_id WHERE e.repo_id = :r AND e.num = :n""";

    private static Event event(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Event(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                rs.getString(6));
    }

    public List<Event> events(Discussion d) {
        return jdbi.withHandle(h -> h.createQuery(EVENTS + " ORDER BY e.created_at, e.id")
                .bind("r", d.repoId()).bind("n", d.num()).map((rs, c) -> event(rs)).list());
    }

    public Optional<Event> event(Discussion d, String eventId) {
        return jdbi.withHandle(h -> h.createQuery(EVENTS + " AND e.id = :id")
                .bind("r", d.repoId()).bind("n", d.num()).bind("id", eventId).map((rs, c) -> event(rs)).findOne());
    }

    /** Replaces an event's data (an edited or hidden comment); returns it as it now is. */
    public Event updateEvent(Discussion d, Event e, ObjectNode data) {
        jdbi.useHandle(h -> h.createUpdate(
                        "UPDATE discussion_events SET data_json = :d WHERE repo_id = :r AND num = :n AND id = :id")
                .bind("d", data.toString()).bind("r", d.repoId()).bind("n", d.num()).bind("id", e.id()).execute());
        return new Event(e.id(), e.type(), e.author(), data.toString(), e.createdAt(), e.authorId());
    }
}
