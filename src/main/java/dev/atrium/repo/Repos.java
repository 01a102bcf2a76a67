package dev.atrium.repo;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectId;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;
import org.jdbi.v3.core.mapper.RowMapper;

/** The repos table. */
public final class Repos {
    static final RowMapper<Repo> MAPPER = (rs, ctx) -> new Repo(rs.getString("id"),
            RepoType.valueOf(rs.getString("type")), new RepoId(rs.getString("namespace"), rs.getString("name")),
            rs.getBoolean("private"), rs.getString("sdk"), rs.getLong("created_at"), rs.getLong("updated_at"));

    private final Jdbi jdbi;
    private final List<ContentListener> contentListeners = new CopyOnWriteArrayList<>();

    /** A ref a content change moved: created (no old id), updated, or deleted (no new id). */
    public record RefChange(String ref, @Nullable String oldSha, @Nullable String newSha) {
        public static RefChange of(String ref, @Nullable AnyObjectId oldId, @Nullable AnyObjectId newId) {
            return new RefChange(ref, name(oldId), name(newId));
        }

        private static @Nullable String name(@Nullable AnyObjectId id) {
            return id == null || ObjectId.zeroId().equals(id) ? null : id.name();
        }
    }

    /** Told after a repo's content changed, with the refs that moved when the caller knows them. */
    public interface ContentListener {
        void changed(Repo repo, List<RefChange> refs);
    }

    public Repos(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /**
     * Runs {@code listener} after every change of a repo's content (see {@link #touch}): how derived data such as
     * the search index follows API commits and pushes alike.
     */
    public void onContentChange(ContentListener listener) {
        contentListeners.add(listener);
    }

    public Optional<Repo> findById(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM repos WHERE id = :id").bind("id", id)
                .map(MAPPER).findOne());
    }

    /** Up to {@code limit} repos with ids after {@code afterId}, in id order: for walking every repo in pages. */
    public List<Repo> pageAfter(String afterId, int limit) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM repos WHERE id > :after ORDER BY id LIMIT :n")
                .bind("after", afterId).bind("n", limit).map(MAPPER).list());
    }

    public Optional<Repo> find(RepoType type, RepoId id) {
        return jdbi.withHandle(h -> find(h, type, id));
    }

    /**
     * The repo called {@code id} in any case, as on the Hub ({@code Org/Model} and {@code org/model} are one repo);
     * the exact spelling first, should a hub hold two ids that differ only in case.
     */
    static Optional<Repo> find(Handle h, RepoType type, RepoId id) {
        return h.createQuery("""
                SELECT * FROM repos
                WHERE type = :type AND lower(namespace) = :nsLower AND lower(name) = :nameLower
                ORDER BY CASE WHEN namespace = :ns AND name = :name THEN 0 ELSE 1 END, created_at
                LIMIT 1""")
                .bind("type", type.name()).bind("ns", id.namespace()).bind("name", id.name())
                .bind("nsLower", id.namespace().toLowerCase(Locale.ROOT))
                .bind("nameLower", id.name().toLowerCase(Locale.ROOT))
                .map(MAPPER).findOne();
    }

    /** Where a moved repo went, so its old URLs can redirect. */
    public Optional<Repo> findRedirect(RepoType type, RepoId id) {
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT r.* FROM repo_redirects d JOIN repos r ON r.id = d.repo_id
                WHERE d.type = :type AND d.namespace = :ns AND d.name = :name""")
                .bind("type", type.name()).bind("ns", id.namespace()).bind("name", id.name())
                .map(MAPPER).findOne());
    }

    static void insert(Handle h, Repo repo) {
        h.createUpdate("""
                INSERT INTO repos (id, type, namespace, name, private, sdk, created_at, updated_at)
                VALUES (:id, :type, :ns, :name, :private, :sdk, :created, :updated)""")
                .bind("id", repo.id()).bind("type", repo.type().name())
                .bind("ns", repo.repoId().namespace()).bind("name", repo.repoId().name())
                .bind("private", repo.isPrivate()).bind("sdk", repo.sdk())
                .bind("created", repo.createdAt()).bind("updated", repo.updatedAt())
                .execute();
    }

    public void setPrivate(Repo repo, boolean isPrivate, long now) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE repos SET private = :p, updated_at = :now WHERE id = :id")
                .bind("p", isPrivate).bind("now", now).bind("id", repo.id()).execute());
    }

    /** Called after every change of content, from the API and from git pushes alike. */
    public void touch(Repo repo, long now) {
        touch(repo, now, List.of());
    }

    /** {@link #touch(Repo, long)} with the refs the change moved. */
    public void touch(Repo repo, long now, List<RefChange> refs) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE repos SET updated_at = :now WHERE id = :id")
                .bind("now", now).bind("id", repo.id()).execute());
        contentListeners.forEach(listener -> listener.changed(repo, refs));
    }
}
