package dev.atrium.web;

import dev.atrium.collection.CollectionReader;
import dev.atrium.collection.Collections.Collection;
import dev.atrium.http.Caller;
import dev.atrium.http.Errors;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A collection's page ({@code Collection.url} in the Python client): its items, as its viewer may see them. */
public final class CollectionPages {
    /** An item as the page lists it. */
    public record Entry(String label, String href, String kind, boolean isPrivate, String note) {}

    private final Pages pages;
    private final CollectionReader reader;

    CollectionPages(Pages pages, CollectionReader reader) {
        this.pages = pages;
        this.reader = reader;
    }

    void register(RoutesConfig routes) {
        routes.get("/collections/{ns}/{slug}", pages.page(this::page));
    }

    private void page(Context ctx) {
        Collection collection = reader.find(Caller.of(ctx), ctx.pathParam("ns"), ctx.pathParam("slug"))
                .orElseThrow(() -> new Errors.NotFound("Collection not found"));
        List<Entry> entries = reader.items(Caller.of(ctx), collection, Integer.MAX_VALUE).stream().map(shown -> {
            String note = shown.item().note() == null ? "" : shown.item().note();
            if (shown.repo() != null) {
                return new Entry(shown.id(), "/" + shown.repo().type().urlPrefix() + shown.id(),
                        shown.repo().type().singular(), shown.repo().isPrivate(), note);
            }
            if (shown.collection() != null) {
                return new Entry(shown.collection().title(), "/collections/" + shown.id(), "collection", false, note);
            }
            return new Entry("arXiv:" + shown.id(), "https://arxiv.org/abs/" + shown.id(), "paper", false, note);
        }).toList();
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, collection.title() + " · " + collection.namespace()));
        params.put("collection", collection);
        params.put("entries", entries);
        pages.render(ctx, 200, "collection.jte", params);
    }
}
