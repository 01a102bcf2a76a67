package dev.atrium.collection;

import dev.atrium.db.Ids;
import dev.atrium.db.LikePatterns;
import dev.atrium.http.HubException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.jspecify.annotations.Nullable;

/**
 * The collections tables: a namespace's curated lists. Items keep their order in {@code position}, 0 to n - 1, which
 * every change renumbers in one transaction. Who may see or change what is decided by {@link CollectionsApi}.
 */
public final class Collections {
    /** The colours the Hub offers; a collection without one gets the first. */
    public static final List<String> THEMES = List.of("orange", "blue", "green", "purple", "pink", "indigo");
    private static final List<String> REPO_TYPES = List.of("model", "dataset", "space");
    /**
     * The texts of a collection and its items, and their lengths. Every change here checks them; callers strip
     * whitespace first, and may check early (before work that would have to be undone).
     */
    public enum Text {
        TITLE("A title", 1, 200), DESCRIPTION("A description", 0, 2000), NOTE("A note", 0, 1000);

        private final String what;
        private final int min;
        private final int max;

        Text(String what, int min, int max) {
            this.what = what;
            this.min = min;
            this.max = max;
        }

        public int max() {
            return max;
        }

        /** @throws TextOutOfBounds when {@code value} is too short or too long; null (unchanged) passes */
        public void check(@Nullable String value) {
            if (value != null && (value.length() < min || value.length() > max)) {
                throw new TextOutOfBounds(what + (min > 0 ? " has " + min + " to " : " has at most ") + max
                        + " characters.");
            }
        }
    }

    /** A title, description or note outside its {@link Text} limits: 400, whoever asked. */
    public static final class TextOutOfBounds extends HubException {
        private static final long serialVersionUID = 1L;

        TextOutOfBounds(String message) {
            super(message);
        }

        @Override
        public int status() {
            return 400;
        }
    }

    /** A collection without its items. */
    public record Collection(String id, String namespace, String title, @Nullable String description,
                             boolean isPrivate, String theme, int position, long updatedAt) {
        /** {@code <namespace>/<title slug>-<id>}, as on the Hub. */
        public String slug() {
            String words = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
            return namespace + "/" + (words.isEmpty() ? "collection" : words) + "-" + id;
        }
    }

    /** One entry of a collection: what it names ({@code ref}: a repo id, a collection id or a paper id). */
    public record Item(String id, String type, String ref, int position, @Nullable String note) {}

    /** The title is taken in that namespace; the existing collection is given. */
    public static final class TitleTaken extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Collection existing;

        TitleTaken(Collection existing) {
            super("a collection titled '" + existing.title() + "' already exists");
            this.existing = existing;
        }

        public Collection existing() {
            return existing;
        }
    }

    /** The collection has that item already. */
    public static final class ItemExists extends Exception {
        private static final long serialVersionUID = 1L;

        ItemExists() {
            super("the collection already has this item");
        }
    }

    private static final String COLUMNS =
            "id, namespace, title, description, private, theme, position, updated_at";

    private final Jdbi jdbi;
    private final Clock clock;

    public Collections(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Collection create(String namespace, String title, @Nullable String description, boolean isPrivate)
            throws TitleTaken {
        Text.TITLE.check(title);
        Text.DESCRIPTION.check(description);
        Optional<Collection> taken = byTitle(namespace, title);
        if (taken.isPresent()) {
            throw new TitleTaken(taken.get());
        }
        String id = Ids.newId();
        long now = clock.millis();
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                            INSERT INTO collections (id, namespace, title, description, private, theme, position,
                                                     created_at, updated_at)
                            SELECT :id, :ns, :title, :description, :private, :theme, COUNT(*), :now, :now
                            FROM collections WHERE namespace = :ns""")
                    .bind("id", id).bind("ns", namespace).bind("title", title).bind("description", description)
                    .bind("private", isPrivate).bind("theme", THEMES.get(0)).bind("now", now).execute());
        } catch (UnableToExecuteStatementException e) {
            // Created concurrently under the same title: the unique key decided.
            throw new TitleTaken(byTitle(namespace, title).orElseThrow(() -> e));
        }
        return byId(id).orElseThrow();
    }

    public Optional<Collection> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM collections WHERE id = :id")
                .bind("id", id).map((rs, c) -> collection(rs)).findOne());
    }

    private Optional<Collection> byTitle(String namespace, String title) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT " + COLUMNS + " FROM collections WHERE namespace = :ns AND title = :title")
                .bind("ns", namespace).bind("title", title).map((rs, c) -> collection(rs)).findOne());
    }

    /** An item a listing filters by: its type and what it names, as stored. */
    public record ItemKey(String type, String ref) {}

    /**
     * A page of the collections matching the filters, most recently changed first: of {@code owners} (any when
     * empty), holding every one of {@code items}, with {@code query} in their title (any when null), and public or
     * of one of {@code privateNamespaces} (null: any).
     */
    public List<Collection> list(List<String> owners, List<ItemKey> items, @Nullable String query,
                                 @Nullable Set<String> privateNamespaces, int offset, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM collections c WHERE 1 = 1");
        if (!owners.isEmpty()) {
            sql.append(" AND c.namespace IN (<owners>)");
        }
        if (privateNamespaces != null) {
            sql.append(privateNamespaces.isEmpty() ? " AND c.private = FALSE"
                    : " AND (c.private = FALSE OR c.namespace IN (<privateNamespaces>))");
        }
        for (int i = 0; i < items.size(); i++) {
            sql.append(" AND EXISTS (SELECT 1 FROM collection_items i WHERE i.collection_id = c.id")
                    .append(" AND i.item_type = :itemType").append(i).append(" AND i.item_ref = :itemRef").append(i)
                    .append(")");
        }
        if (query != null) {
            sql.append(" AND LOWER(c.title) LIKE :query ").append(LikePatterns.ESCAPE);
        }
        sql.append(" ORDER BY c.updated_at DESC, c.id LIMIT :limit OFFSET :offset");
        return jdbi.withHandle(h -> {
            var select = h.createQuery(sql.toString()).bind("limit", limit).bind("offset", offset);
            if (!owners.isEmpty()) {
                select.bindList("owners", owners);
            }
            if (privateNamespaces != null && !privateNamespaces.isEmpty()) {
                select.bindList("privateNamespaces", List.copyOf(privateNamespaces));
            }
            for (int i = 0; i < items.size(); i++) {
                select.bind("itemType" + i, items.get(i).type()).bind("itemRef" + i, items.get(i).ref());
            }
            if (query != null) {
                select.bind("query", LikePatterns.containing(query.toLowerCase(Locale.ROOT)));
            }
            return select.map((rs, c) -> collection(rs)).list();
        });
    }

    public List<Item> items(String collectionId) {
        return jdbi.withHandle(h -> items(h, collectionId));
    }

    /** The items in order; an item's position is its rank, which stays dense when a deleted repo's item goes. */
    private static List<Item> items(Handle h, String collectionId) {
        List<Item> items = new ArrayList<>();
        h.createQuery("""
                        SELECT id, item_type, item_ref, note FROM collection_items
                        WHERE collection_id = :c ORDER BY position, added_at, id""")
                .bind("c", collectionId)
                .map((rs, c) -> new Item(rs.getString(1), rs.getString(2), rs.getString(3), 0, rs.getString(4)))
                .forEach(item -> items.add(new Item(item.id(), item.type(), item.ref(), items.size(), item.note())));
        return items;
    }

    /** Changes what is given (null: unchanged). */
    public Collection update(Collection collection, @Nullable String title, @Nullable String description,
                             @Nullable Integer position, @Nullable Boolean isPrivate, @Nullable String theme)
            throws TitleTaken {
        Text.TITLE.check(title);
        Text.DESCRIPTION.check(description);
        if (title != null && !title.equals(collection.title())) {
            Optional<Collection> taken = byTitle(collection.namespace(), title);
            if (taken.isPresent()) {
                throw new TitleTaken(taken.get());
            }
        }
        try {
            jdbi.useHandle(h -> h.createUpdate("""
                            UPDATE collections SET title = :title, description = :description, position = :position,
                                private = :private, theme = :theme, updated_at = :now WHERE id = :id""")
                    .bind("title", title != null ? title : collection.title())
                    .bind("description", description != null ? description : collection.description())
                    .bind("position", position != null ? position : collection.position())
                    .bind("private", isPrivate != null ? isPrivate : collection.isPrivate())
                    .bind("theme", theme != null ? theme : collection.theme())
                    .bind("now", clock.millis()).bind("id", collection.id()).execute());
        } catch (UnableToExecuteStatementException e) {
            // Another collection took the title meanwhile: the unique key decided.
            throw new TitleTaken(byTitle(collection.namespace(), title).orElseThrow(() -> e));
        }
        return byId(collection.id()).orElseThrow();
    }

    public void delete(Collection collection) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM collection_items WHERE collection_id = :id").bind("id", collection.id())
                    .execute();
            h.createUpdate("DELETE FROM collection_items WHERE item_type = 'collection' AND item_ref = :id")
                    .bind("id", collection.id()).execute();
            h.createUpdate("DELETE FROM collections WHERE id = :id").bind("id", collection.id()).execute();
        });
    }

    /** Appends an item. */
    public Item addItem(Collection collection, String type, String ref, @Nullable String note) throws ItemExists {
        Text.NOTE.check(note);
        String id = Ids.newId();
        try {
            jdbi.useTransaction(h -> {
                h.createUpdate("""
                                INSERT INTO collection_items (id, collection_id, item_type, item_ref, repo_id,
                                                              position, note, added_at)
                                SELECT :id, :c, :type, :ref, :repo, COALESCE(MAX(position) + 1, 0), :note, :now
                                FROM collection_items WHERE collection_id = :c""")
                        .bind("id", id).bind("c", collection.id()).bind("type", type).bind("ref", ref)
                        .bind("repo", REPO_TYPES.contains(type) ? ref : null)
                        .bind("note", note).bind("now", clock.millis()).execute();
                touch(h, collection);
            });
        } catch (UnableToExecuteStatementException e) {
            if (items(collection.id()).stream().anyMatch(i -> i.type().equals(type) && i.ref().equals(ref))) {
                throw new ItemExists();
            }
            throw e;
        }
        return items(collection.id()).stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    /**
     * Changes an item's note and moves it to {@code position} (0 first; past the end, last); false when the
     * collection has no such item.
     */
    public boolean updateItem(Collection collection, String itemId, @Nullable String note, @Nullable Integer position) {
        Text.NOTE.check(note);
        return jdbi.inTransaction(h -> {
            List<Item> items = new ArrayList<>(items(h, collection.id()));
            Item item = items.stream().filter(i -> i.id().equals(itemId)).findFirst().orElse(null);
            if (item == null) {
                return false;
            }
            if (note != null) {
                h.createUpdate("UPDATE collection_items SET note = :note WHERE id = :id")
                        .bind("note", note.isEmpty() ? null : note).bind("id", itemId).execute();
            }
            if (position != null) {
                items.remove(item);
                items.add(Math.max(0, Math.min(position, items.size())), item);
                renumber(h, items);
            }
            touch(h, collection);
            return true;
        });
    }

    /** False when the collection has no such item. */
    public boolean deleteItem(Collection collection, String itemId) {
        return jdbi.inTransaction(h -> {
            int deleted = h.createUpdate("DELETE FROM collection_items WHERE id = :id AND collection_id = :c")
                    .bind("id", itemId).bind("c", collection.id()).execute();
            if (deleted > 0) {
                renumber(h, items(h, collection.id()));
                touch(h, collection);
            }
            return deleted > 0;
        });
    }

    private static void renumber(Handle h, List<Item> ordered) {
        for (int i = 0; i < ordered.size(); i++) {
            h.createUpdate("UPDATE collection_items SET position = :p WHERE id = :id")
                    .bind("p", i).bind("id", ordered.get(i).id()).execute();
        }
    }

    private void touch(Handle h, Collection collection) {
        h.createUpdate("UPDATE collections SET updated_at = :now WHERE id = :id")
                .bind("now", clock.millis()).bind("id", collection.id()).execute();
    }

    private static Collection collection(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Collection(rs.getString("id"), rs.getString("namespace"), rs.getString("title"),
                rs.getString("description"), rs.getBoolean("private"), rs.getString("theme"), rs.getInt("position"),
                rs.getLong("updated_at"));
    }
}
