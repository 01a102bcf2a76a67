package dev.atrium.gate;

import dev.atrium.auth.AccessRequestStatus;
import dev.atrium.auth.Gating;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.db.TimeIdCursor;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/** Which repos are gated, how, and the access requests to them. */
public final class Gates implements Gating {
    public enum Mode {
        AUTO, MANUAL;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One user's request: who, its state, what they filled in, when it last changed; {@code asked} is false for a
     * user granted access without asking.
     */
    public record Request(User user, AccessRequestStatus status, String fieldsJson, long updatedAt, boolean asked) {
        /** The email the owners see: asking shares one's contact details, being let in without asking does not. */
        public @Nullable String sharedEmail() {
            return asked ? user.email() : null;
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;
    private final List<BiConsumer<String, User>> askedListeners = new CopyOnWriteArrayList<>();

    public Gates(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Optional<Mode> mode(String repoId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT mode FROM repo_gates WHERE repo_id = :r").bind("r", repoId)
                .mapTo(String.class).findOne().map(m -> Mode.valueOf(m.toUpperCase(java.util.Locale.ROOT))));
    }

    /** The gated ones among {@code repoIds} and their modes, for a listing page. */
    public java.util.Map<String, String> modes(java.util.Collection<String> repoIds) {
        if (repoIds.isEmpty()) {
            return java.util.Map.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT repo_id, mode FROM repo_gates WHERE repo_id IN (<ids>)")
                .bindList("ids", List.copyOf(repoIds))
                .map((rs, c) -> java.util.Map.entry(rs.getString(1), rs.getString(2)))
                .collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)));
    }

    /** Gates the repo in {@code mode}, or opens it with an empty one; requests already made are kept. */
    public void setMode(String repoId, Optional<Mode> mode) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM repo_gates WHERE repo_id = :r").bind("r", repoId).execute();
            mode.ifPresent(m -> h.createUpdate("INSERT INTO repo_gates (repo_id, mode) VALUES (:r, :m)")
                    .bind("r", repoId).bind("m", m.wireName()).execute());
        });
    }

    @Override
    public boolean isGated(String repoId) {
        return mode(repoId).isPresent();
    }

    @Override
    public Optional<AccessRequestStatus> requestStatus(String repoId, String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT status FROM access_requests WHERE repo_id = :r AND user_id = :u")
                .bind("r", repoId).bind("u", userId).mapTo(String.class).findOne().flatMap(AccessRequestStatus::parse));
    }

    /**
     * Records a user's request with what they filled in: accepted at once when the gate is automatic, else
     * pending. Asking again does not undo an answer already given (a rejected user stays rejected).
     */
    public AccessRequestStatus ask(String repoId, User user, String fieldsJson, Mode mode) {
        Asked asked = jdbi.inTransaction(h -> {
            Optional<AccessRequestStatus> existing = h.createQuery(
                            "SELECT status FROM access_requests WHERE repo_id = :r AND user_id = :u")
                    .bind("r", repoId).bind("u", user.id()).mapTo(String.class).findOne().flatMap(AccessRequestStatus::parse);
            if (existing.isPresent()) {
                return new Asked(existing.get(), false);
            }
            AccessRequestStatus status = mode == Mode.AUTO ? AccessRequestStatus.ACCEPTED : AccessRequestStatus.PENDING;
            long now = clock.millis();
            h.createUpdate("""
                    INSERT INTO access_requests (repo_id, user_id, status, fields_json, created_at, updated_at)
                    VALUES (:r, :u, :s, :f, :t, :t)""")
                    .bind("r", repoId).bind("u", user.id()).bind("s", status.wireName()).bind("f", fieldsJson)
                    .bind("t", now).execute();
            return new Asked(status, true);
        });
        if (asked.isNew() && asked.status() == AccessRequestStatus.PENDING) {
            askedListeners.forEach(listener -> listener.accept(repoId, user));
        }
        return asked.status();
    }

    /** A request as asking left it, and whether this asking made it. */
    private record Asked(AccessRequestStatus status, boolean isNew) {}

    /** Told of each new request that waits for a review (manual approval), once stored: notifications listen. */
    public void onAsked(BiConsumer<String, User> listener) {
        askedListeners.add(listener);
    }

    /** Sets a user's request to {@code status} (creating it for a grant); false when there is none to change. */
    public boolean set(String repoId, User user, AccessRequestStatus status, String reason, boolean createIfMissing) {
        return jdbi.inTransaction(h -> {
            long now = clock.millis();
            int changed = h.createUpdate("""
                    UPDATE access_requests SET status = :s, reason = :reason, updated_at = :t
                    WHERE repo_id = :r AND user_id = :u""")
                    .bind("s", status.wireName()).bind("reason", reason).bind("t", now).bind("r", repoId)
                    .bind("u", user.id()).execute();
            if (changed == 0 && createIfMissing) {
                h.createUpdate("""
                        INSERT INTO access_requests (repo_id, user_id, status, fields_json, created_at, updated_at,
                                                     asked)
                        VALUES (:r, :u, :s, '{}', :t, :t, FALSE)""")
                        .bind("r", repoId).bind("u", user.id()).bind("s", status.wireName()).bind("t", now).execute();
                return true;
            }
            return changed > 0;
        });
    }

    /** Requests of one status, oldest answer first, and where the next page starts (null after the last). */
    public record RequestPage(List<Request> items, @Nullable String next) {}

    /**
     * Up to {@code limit} requests of {@code status} after the cursor {@code after} (null: from the first): pages by
     * key, so a repo with 100,000 requests is never read whole and a page stays right while requests are answered.
     *
     * @throws IllegalArgumentException for a cursor this did not make
     */
    public RequestPage requests(String repoId, AccessRequestStatus status, @Nullable String after, int limit) {
        TimeIdCursor from = after == null ? new TimeIdCursor(Long.MIN_VALUE, "") : TimeIdCursor.parse(after);
        List<Request> rows = jdbi.withHandle(h -> h.createQuery("""
                        SELECT u.id, u.name, u.email, u.fullname, u.is_admin, u.created_at, a.fields_json, a.updated_at,
                               a.asked
                        FROM access_requests a JOIN users u ON u.id = a.user_id
                        WHERE a.repo_id = :r AND a.status = :s
                          AND (a.updated_at > :t OR (a.updated_at = :t AND a.user_id > :u))
                        ORDER BY a.updated_at, a.user_id LIMIT :n""")
                .bind("r", repoId).bind("s", status.wireName()).bind("t", from.time()).bind("u", from.id())
                .bind("n", limit + 1)
                .map((rs, c) -> new Request(Users.ROW.map(rs, c), status, rs.getString("fields_json"),
                        rs.getLong("updated_at"), rs.getBoolean("asked")))
                .list());
        if (rows.size() <= limit) {
            return new RequestPage(rows, null);
        }
        Request last = rows.get(limit - 1);
        return new RequestPage(rows.subList(0, limit), new TimeIdCursor(last.updatedAt(), last.user().id()).text());
    }

    /** How many requests of {@code status} a repo has. */
    public int count(String repoId, AccessRequestStatus status) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*) FROM access_requests WHERE repo_id = :r AND status = :s")
                .bind("r", repoId).bind("s", status.wireName()).mapTo(Integer.class).one());
    }
}
