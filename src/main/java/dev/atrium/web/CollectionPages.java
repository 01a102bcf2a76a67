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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A collection's page ({@code Collection.url} in the Python client): its items, as its viewer may see them, and for
 * whoever may change it (write access to its namespace, as in the API) forms to remove items, change its visibility
 * and delete it.
 */
public final class CollectionPages {
    /** An item as the page lists it. */
    public record Entry(String itemId, String label, String href, String kind, boolean isPrivate, String note) {}

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
        Collection collection = visible(ctx);
        List<Entry> entries = reader.items(Caller.of(ctx), collection, Integer.MAX_VALUE).stream().map(shown -> {
            String id = shown.item().id();
            String note = shown.item().note() == null ? "" : shown.item().note();
            if (shown.repo() != null) {
                return new Entry(id, shown.id(), "/" + shown.repo().type().urlPrefix() + shown.id(),
                        shown.repo().type().singular(), shown.repo().isPrivate(), note);
            }
            if (shown.collection() != null) {
                return new Entry(id, shown.collection().title(), "/collections/" + shown.id(), "collection", false,
                        note);
            }
            return new Entry(id, "arXiv:" + shown.id(), "https://arxiv.org/abs/" + shown.id(), "paper", false, note);
        }).toList();
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, collection.title() + " · " + collection.namespace()));
        params.put("collection", collection);
        params.put("entries", entries);
        params.put("canEdit", Caller.of(ctx) != null
                && policy.mayWriteNamespace(Caller.of(ctx), collection.namespace()));
        pages.render(ctx, 200, "collection.jte", params);
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
