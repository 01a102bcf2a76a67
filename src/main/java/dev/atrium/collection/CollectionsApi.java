package dev.atrium.collection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.collection.Collections.Collection;
import dev.atrium.http.BaseUrl;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.http.Json;
import dev.atrium.http.Pagination;
import dev.atrium.org.Organization;
import dev.atrium.org.Organizations;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import dev.atrium.repo.Repos;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Collections, as {@code huggingface_hub}'s collection calls expect them (hub-api.md §11.2). A collection is seen by
 * everyone unless private, then by its namespace's members; it is changed by whoever may create repos in its
 * namespace. Each viewer sees only the items they may see: a private repo in a public collection stays hidden from
 * others, and a deleted repo drops out.
 */
public final class CollectionsApi {
    private static final Set<String> ITEM_TYPES = Set.of("model", "dataset", "space", "paper", "collection");
    private static final Pattern PAPER_ID = Pattern.compile("\\d{4}\\.\\d{4,5}");
    /** Listings show the first items of each collection only, as on the Hub. */
    private static final int LISTED_ITEMS = 4;
    private static final int PAGE = 100;

    private final Collections collections;
    private final CollectionReader reader;
    private final Repos repos;
    private final AccessPolicy policy;
    private final Organizations orgs;
    private final Users users;
    private final BaseUrl baseUrl;

    public CollectionsApi(Collections collections, CollectionReader reader, Repos repos, AccessPolicy policy,
                          Organizations orgs, Users users, BaseUrl baseUrl) {
        this.collections = collections;
        this.reader = reader;
        this.repos = repos;
        this.policy = policy;
        this.orgs = orgs;
        this.users = users;
        this.baseUrl = baseUrl;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/collections", this::list);
        routes.post("/api/collections", this::create);
        routes.get("/api/collections/{ns}/{slug}", ctx -> Json.send(ctx, json(ctx, visible(ctx), false)));
        routes.patch("/api/collections/{ns}/{slug}", this::update);
        routes.delete("/api/collections/{ns}/{slug}", this::delete);
        routes.post("/api/collections/{ns}/{slug}/items", this::addItem);
        routes.patch("/api/collections/{ns}/{slug}/items/{item}", this::updateItem);
        routes.delete("/api/collections/{ns}/{slug}/items/{item}", this::deleteItem);
    }

    private void list(Context ctx) {
        String sort = Optional.ofNullable(ctx.queryParam("sort")).orElse("lastModified");
        if (!List.of("lastModified", "trending", "upvotes").contains(sort)) {
            throw new Errors.BadRequest("'sort' must be lastModified, trending or upvotes");
        }
        int offset = Pagination.intParam(ctx, "cursor", 0, Integer.MAX_VALUE);
        int limit = Math.max(1, Pagination.intParam(ctx, "limit", PAGE, PAGE));
        List<Collections.ItemKey> items = new java.util.ArrayList<>();
        for (String item : ctx.queryParams("item")) {
            Optional<ItemRef> ref = itemFromPath(ctx, item);
            if (ref.isEmpty()) { // names nothing this caller can see: no collection holds it for them
                Json.send(ctx, Json.MAPPER.createArrayNode());
                return;
            }
            items.add(new Collections.ItemKey(ref.get().type(), ref.get().ref()));
        }
        String query = ctx.queryParam("q");
        // No upvotes or trends here: every order is the most recently changed first.
        List<Collection> page = reader.list(Caller.of(ctx), ctx.queryParams("owner"), items,
                query == null || query.isBlank() ? null : query.strip(), offset, limit + 1);
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (Collection c : page.subList(0, Math.min(limit, page.size()))) {
            out.add(json(ctx, c, true));
        }
        if (page.size() > limit) {
            Pagination.linkNext(ctx, baseUrl, "cursor", String.valueOf(offset + limit));
        }
        Json.send(ctx, out);
    }

    private void create(Context ctx) {
        Principal caller = Caller.required(ctx);
        JsonNode body = Json.body(ctx);
        String title = text(body, "title", true);
        String description = text(body, "description", false);
        String namespace = Optional.ofNullable(Json.text(body, "namespace")).orElse(caller.user().name());
        policy.requireNamespaceWrite(caller, namespace);
        JsonNode isPrivate = body.path("private");
        if (!isPrivate.isMissingNode() && !isPrivate.isNull() && !isPrivate.isBoolean()) {
            throw new Errors.BadRequest("'private' must be true or false");
        }
        try {
            Collection created = collections.create(namespace, title, description, isPrivate.asBoolean(false));
            Json.send(ctx, json(ctx, created, false));
        } catch (Collections.TitleTaken e) {
            conflict(ctx, e);
        }
    }

    private void update(Context ctx) {
        Collection collection = changeable(ctx);
        JsonNode body = Json.body(ctx);
        String theme = Json.text(body, "theme");
        if (theme != null && !Collections.THEMES.contains(theme)) {
            throw new Errors.BadRequest("'theme' must be one of " + String.join(", ", Collections.THEMES));
        }
        JsonNode position = body.path("position");
        if (!position.isMissingNode() && !position.canConvertToInt()) {
            throw new Errors.BadRequest("'position' must be a whole number");
        }
        JsonNode isPrivate = body.path("private");
        if (!isPrivate.isMissingNode() && !isPrivate.isBoolean()) {
            throw new Errors.BadRequest("'private' must be true or false");
        }
        try {
            Collection updated = collections.update(collection,
                    text(body, "title", false), text(body, "description", false),
                    position.isMissingNode() ? null : position.asInt(),
                    isPrivate.isMissingNode() ? null : isPrivate.asBoolean(), theme);
            ObjectNode out = Json.MAPPER.createObjectNode();
            out.set("data", json(ctx, updated, false));
            Json.send(ctx, out);
        } catch (Collections.TitleTaken e) {
            conflict(ctx, e);
        }
    }

    private void delete(Context ctx) {
        collections.delete(changeable(ctx));
        ctx.status(204);
    }

    private void addItem(Context ctx) {
        Collection collection = changeable(ctx);
        JsonNode body = Json.body(ctx);
        JsonNode item = body.path("item");
        String type = item.path("type").asText("");
        String id = item.path("id").asText("");
        if (!ITEM_TYPES.contains(type) || id.isEmpty()) {
            throw new Errors.BadRequest("'item' must be {\"id\", \"type\"} with type model, dataset, space, paper or "
                    + "collection");
        }
        String note = text(body, "note", false);
        ItemRef ref = resolve(ctx, type, id);
        if (ref.type().equals("collection") && ref.ref().equals(collection.id())) {
            throw new Errors.BadRequest("a collection cannot hold itself");
        }
        try {
            collections.addItem(collection, ref.type(), ref.ref(), note);
        } catch (Collections.ItemExists e) {
            throw new Errors.Conflict("the collection already has " + type + " " + id);
        }
        Json.send(ctx, json(ctx, collections.byId(collection.id()).orElseThrow(), false));
    }

    private void updateItem(Context ctx) {
        Collection collection = changeable(ctx);
        JsonNode body = Json.body(ctx);
        JsonNode position = body.path("position");
        if (!position.isMissingNode() && !position.canConvertToInt()) {
            throw new Errors.BadRequest("'position' must be a whole number");
        }
        String note = text(body, "note", false);
        if (!collections.updateItem(collection, ctx.pathParam("item"), note,
                position.isMissingNode() ? null : position.asInt())) {
            throw new Errors.NotFound("the collection has no item " + ctx.pathParam("item"));
        }
        Json.send(ctx, json(ctx, collections.byId(collection.id()).orElseThrow(), false));
    }

    private void deleteItem(Context ctx) {
        if (!collections.deleteItem(changeable(ctx), ctx.pathParam("item"))) {
            throw new Errors.NotFound("the collection has no item " + ctx.pathParam("item"));
        }
        ctx.status(204);
    }

    /** The collection of the path, when the caller may see it; a 404 otherwise, as for a repo. */
    private Collection visible(Context ctx) {
        return reader.visible(Caller.of(ctx), ctx.pathParam("ns"), ctx.pathParam("slug"));
    }

    private Collection changeable(Context ctx) {
        return reader.changeable(Caller.of(ctx), ctx.pathParam("ns"), ctx.pathParam("slug"));
    }

    /** What an item names, as stored. */
    private record ItemRef(String type, String ref) {}

    /** The item the request names, which the caller must be able to see; a 404 otherwise. */
    private ItemRef resolve(Context ctx, String type, String id) {
        switch (type) {
            case "paper" -> {
                if (!PAPER_ID.matcher(id).matches()) {
                    throw new Errors.BadRequest("'" + id + "' is not an arXiv id (such as 2307.09288)");
                }
                return new ItemRef(type, id);
            }
            case "collection" -> {
                // By slug (ns/title-id), or by the id alone, which the JS client sends.
                int slash = id.indexOf('/');
                Collection other = (slash < 0 ? reader.findById(Caller.of(ctx), id)
                        : reader.find(Caller.of(ctx), id.substring(0, slash), id.substring(slash + 1)))
                        .orElseThrow(() -> new Errors.NotFound("Collection not found: " + id));
                return new ItemRef(type, other.id());
            }
            default -> {
                RepoType repoType = RepoType.fromSingular(type).orElseThrow();
                String prefix = repoType.plural() + "/";
                String name = id.startsWith(prefix) ? id.substring(prefix.length()) : id;
                Repo repo = readableRepo(ctx, repoType, name)
                        .orElseThrow(() -> new Errors.RepoNotFound(Caller.of(ctx) == null));
                return new ItemRef(type, repo.id());
            }
        }
    }

    /** An {@code item=} filter ({@code models/ns/name}, {@code papers/id}...), or empty when it names nothing. */
    private Optional<ItemRef> itemFromPath(Context ctx, String item) {
        int slash = item.indexOf('/');
        String kind = slash < 0 ? "" : item.substring(0, slash);
        String id = item.substring(slash + 1);
        if (kind.equals("papers")) {
            return Optional.of(new ItemRef("paper", id));
        }
        for (RepoType type : RepoType.values()) {
            if (kind.equals(type.plural())) {
                return readableRepo(ctx, type, id).map(r -> new ItemRef(type.singular(), r.id()));
            }
        }
        throw new Errors.BadRequest("'item' must look like models/{id}, datasets/{id}, spaces/{id} or papers/{id}");
    }

    private Optional<Repo> readableRepo(Context ctx, RepoType type, String name) {
        try {
            return repos.find(type, RepoId.parse(name)).filter(r -> policy.canRead(Caller.of(ctx), r));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private ObjectNode json(Context ctx, Collection c, boolean listed) {
        Principal caller = Caller.of(ctx);
        ObjectNode out = Json.MAPPER.createObjectNode()
                .put("_id", c.id())
                .put("slug", c.slug())
                .put("title", c.title());
        if (c.description() != null) {
            out.put("description", c.description());
        }
        ObjectNode owner = out.putObject("owner").put("name", c.namespace())
                .put("avatarUrl", baseUrl.of(ctx) + "/avatars/" + c.namespace())
                .put("isHf", false).put("isHfAdmin", false).put("isMod", false);
        Optional<Organization> org = orgs.byName(c.namespace());
        if (org.isPresent()) {
            owner.put("fullname", org.get().fullname()).put("type", "org");
        } else {
            Optional<User> user = users.byName(c.namespace());
            owner.put("fullname", user.map(User::fullname).orElse(c.namespace())).put("type", "user")
                    .put("isPro", false);
            user.ifPresent(u -> owner.put("_id", u.id()));
        }
        ArrayNode items = out.putArray("items");
        for (CollectionReader.Shown shown : reader.items(caller, c, listed ? LISTED_ITEMS : Integer.MAX_VALUE)) {
            items.add(itemJson(shown));
        }
        if (!listed) {
            // list_collections numbers the collections itself and fails on a position of the server's.
            out.put("position", c.position());
        }
        out.put("lastUpdated", Dates.iso(c.updatedAt()))
                .put("private", c.isPrivate())
                .put("theme", c.theme())
                .put("gating", false)
                .put("upvotes", 0)
                .put("isUpvotedByUser", false)
                .put("shareUrl", baseUrl.of(ctx) + "/collections/" + c.slug());
        return out;
    }

    private static ObjectNode itemJson(CollectionReader.Shown shown) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("_id", shown.item().id()).put("id", shown.id());
        if (shown.collection() != null) {
            out.put("slug", shown.id()).put("title", shown.collection().title());
        }
        if (shown.repo() != null) {
            out.put("author", shown.repo().repoId().namespace()).put("private", shown.repo().isPrivate())
                    .put("repoType", shown.repo().type().singular())
                    .put("lastModified", Dates.iso(shown.repo().updatedAt()));
        }
        out.put("type", shown.item().type()).put("position", shown.item().position());
        if (shown.item().note() != null) {
            out.putObject("note").put("text", shown.item().note());
        }
        return out;
    }

    private static void conflict(Context ctx, Collections.TitleTaken e) {
        ObjectNode out = Json.MAPPER.createObjectNode().put("error", e.getMessage()).put("slug", e.existing().slug());
        Json.send(ctx, 409, out);
    }

    /** A text field, checked: absent is null unless required; over {@code max} characters is a 400. */
    /** A text field, stripped; {@link Collections} checks its length. */
    private static @Nullable String text(JsonNode body, String field, boolean required) {
        JsonNode node = body.path(field);
        if (node.isMissingNode() || node.isNull()) {
            if (required) {
                throw new Errors.BadRequest("'" + field + "' is required");
            }
            return null;
        }
        if (!node.isTextual()) {
            throw new Errors.BadRequest("'" + field + "' must be text");
        }
        return node.asText().strip();
    }
}
