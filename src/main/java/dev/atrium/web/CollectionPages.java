package dev.atrium.web;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.collection.CollectionReader;
import dev.atrium.collection.Collections;
import dev.atrium.collection.Collections.Collection;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A collection's page ({@code Collection.url} in the Python client): its items, as its viewer may see them, and for
 * whoever may change it (write access to its namespace, as in the API) forms to edit its title and description, edit
 * an item's note, move items up and down, remove them, change its visibility and delete it.
 */
public final class CollectionPages {
    /**
     * An item as the page lists it; {@code upTo} and {@code downTo} are the positions that move it past its visible
     * neighbours (null at either end).
     */
    public record Entry(String itemId, String label, String href, String kind, boolean isPrivate, String note,
                        @Nullable Integer upTo, @Nullable Integer downTo) {}

    private final Pages pages;
    private final CollectionReader reader;
    private final Collections collections;
    private final AccessPolicy policy;

    CollectionPages(Pages pages, CollectionReader reader, Collections collections, AccessPolicy policy) {
        this.pages = pages;
        this.reader = reader;
        this.collections = collections;
        this.policy = policy;
    }

    void register(RoutesConfig routes) {
        routes.get("/collections/{ns}/{slug}", pages.page(this::page));
        routes.post("/collections/{ns}/{slug}/edit", pages.page(this::edit));
        routes.post("/collections/{ns}/{slug}/items/{item}/note", pages.page(this::editNote));
        routes.post("/collections/{ns}/{slug}/items/{item}/position", pages.page(this::move));
        routes.post("/collections/{ns}/{slug}/items/{item}/remove", pages.page(this::removeItem));
        routes.post("/collections/{ns}/{slug}/visibility", pages.page(this::visibility));
        routes.post("/collections/{ns}/{slug}/delete", pages.page(this::delete));
    }

    private Collection visible(Context ctx) {
        return reader.visible(Caller.of(ctx), ctx.pathParam("ns"), ctx.pathParam("slug"));
    }

    private Collection changeable(Context ctx) {
        return reader.changeable(SignedIn.require(ctx), ctx.pathParam("ns"), ctx.pathParam("slug"));
    }

    private void page(Context ctx) {
        render(ctx, visible(ctx), 200, null);
    }

    private void render(Context ctx, Collection collection, int status, @Nullable String error) {
        List<CollectionReader.Shown> shown = reader.items(Caller.of(ctx), collection, Integer.MAX_VALUE);
        List<Entry> entries = new ArrayList<>(shown.size());
        for (int i = 0; i < shown.size(); i++) {
            Integer upTo = i > 0 ? shown.get(i - 1).item().position() : null;
            Integer downTo = i + 1 < shown.size() ? shown.get(i + 1).item().position() : null;
            entries.add(entry(shown.get(i), upTo, downTo));
        }
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, collection.title() + " · " + collection.namespace()));
        params.put("collection", collection);
        params.put("entries", entries);
        params.put("canEdit", Caller.of(ctx) != null
                && policy.mayWriteNamespace(Caller.of(ctx), collection.namespace()));
        params.put("error", error);
        pages.render(ctx, status, "collection.jte", params);
    }

    private static Entry entry(CollectionReader.Shown shown, @Nullable Integer upTo, @Nullable Integer downTo) {
        String id = shown.item().id();
        String note = shown.item().note() == null ? "" : shown.item().note();
        if (shown.repo() != null) {
            return new Entry(id, shown.id(), "/" + shown.repo().type().urlPrefix() + shown.id(),
                    shown.repo().type().singular(), shown.repo().isPrivate(), note, upTo, downTo);
        }
        if (shown.collection() != null) {
            return new Entry(id, shown.collection().title(), "/collections/" + shown.id(), "collection", false, note,
                    upTo, downTo);
        }
        return new Entry(id, "arXiv:" + shown.id(), "https://arxiv.org/abs/" + shown.id(), "paper", false, note, upTo,
                downTo);
    }

    /** Title and description; a new title gives the page a new address (the old one still leads to it). */
    private void edit(Context ctx) {
        Collection collection = changeable(ctx);
        String title = Optional.ofNullable(ctx.formParam("title")).orElse("").strip();
        String description = Optional.ofNullable(ctx.formParam("description")).orElse("").strip();
        try {
            Collection updated = collections.update(collection, title, description, null, null, null);
            ctx.redirect("/collections/" + updated.slug(), HttpStatus.SEE_OTHER);
        } catch (Collections.TextOutOfBounds e) {
            render(ctx, collection, 400, e.getMessage());
        } catch (Collections.TitleTaken e) {
            render(ctx, collection, 409, "There is already a collection titled '" + e.existing().title() + "'.");
        }
    }

    /** An empty note removes it. */
    private void editNote(Context ctx) {
        Collection collection = changeable(ctx);
        String note = Optional.ofNullable(ctx.formParam("note")).orElse("").strip();
        try {
            if (!collections.updateItem(collection, ctx.pathParam("item"), note, null)) {
                throw new Errors.NotFound("The collection has no such item");
            }
        } catch (Collections.TextOutOfBounds e) {
            render(ctx, collection, 400, e.getMessage());
            return;
        }
        ctx.redirect("/collections/" + collection.slug(), HttpStatus.SEE_OTHER);
    }

    private void move(Context ctx) {
        Collection collection = changeable(ctx);
        int position;
        try {
            position = Integer.parseInt(Optional.ofNullable(ctx.formParam("position")).orElse(""));
        } catch (NumberFormatException e) {
            throw new Errors.BadRequest("'position' must be a number");
        }
        if (!collections.updateItem(collection, ctx.pathParam("item"), null, position)) {
            throw new Errors.NotFound("The collection has no such item");
        }
        ctx.redirect("/collections/" + collection.slug(), HttpStatus.SEE_OTHER);
    }

    private void removeItem(Context ctx) {
        Collection collection = changeable(ctx);
        if (!collections.deleteItem(collection, ctx.pathParam("item"))) {
            throw new Errors.NotFound("The collection has no such item");
        }
        ctx.redirect("/collections/" + collection.slug(), HttpStatus.SEE_OTHER);
    }

    private void visibility(Context ctx) throws Collections.TitleTaken {
        Collection collection = changeable(ctx);
        Collection updated = collections.update(collection, null, null, null,
                "private".equals(ctx.formParam("visibility")), null);
        ctx.redirect("/collections/" + updated.slug(), HttpStatus.SEE_OTHER);
    }

    /** Needs an explicit confirmation, as deleting a repo does. */
    private void delete(Context ctx) {
        Collection collection = changeable(ctx);
        if (!"yes".equals(ctx.formParam("confirm"))) {
            throw new Errors.BadRequest("Confirm that the collection is to be deleted.");
        }
        collections.delete(collection);
        ctx.redirect("/" + collection.namespace(), HttpStatus.SEE_OTHER);
    }
}
