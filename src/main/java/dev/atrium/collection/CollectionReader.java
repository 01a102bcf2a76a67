package dev.atrium.collection;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.auth.TokenScopes;
import dev.atrium.collection.Collections.Collection;
import dev.atrium.collection.Collections.Item;
import dev.atrium.http.Errors;
import dev.atrium.org.Organizations;
import dev.atrium.repo.Repo;
import dev.atrium.repo.Repos;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a viewer may see of collections, for the API and the web page alike: a collection unless it is private and
 * they are not of its namespace, and of its items those they may see (a private repo in a public collection stays
 * hidden from others).
 */
public final class CollectionReader {
    /** An item as a viewer sees it: the repo or the collection it names, resolved; a paper names neither. */
    public record Shown(Item item, String id, @Nullable Repo repo, @Nullable Collection collection) {}

    private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{24}");

    private final Collections collections;
    private final Repos repos;
    private final AccessPolicy policy;
    private final Organizations orgs;

    public CollectionReader(Collections collections, Repos repos, AccessPolicy policy, Organizations orgs) {
        this.collections = collections;
        this.repos = repos;
        this.policy = policy;
        this.orgs = orgs;
    }

    /** The collection with this id (the last part of its slug), if the viewer may see it. */
    public Optional<Collection> findById(@Nullable Principal viewer, String id) {
        return Optional.of(id).filter(i -> OBJECT_ID.matcher(i).matches()).flatMap(collections::byId)
                .filter(c -> canSee(viewer, c));
    }

    /** The collection a slug names ({@code <title slug>-<id>}: the id decides) in {@code namespace}, if visible. */
    public Optional<Collection> find(@Nullable Principal viewer, String namespace, String slug) {
        return findById(viewer, slug.substring(slug.lastIndexOf('-') + 1))
                .filter(c -> c.namespace().equals(namespace));
    }

    /**
     * A page of the collections the viewer may see among those the filters select ({@link Collections#list}), most
     * recently changed first.
     */
    public List<Collection> list(@Nullable Principal viewer, List<String> owners, List<Collections.ItemKey> items,
                                 @Nullable String query, int offset, int limit) {
        return collections.list(owners, items, query, privateNamespaces(viewer), offset, limit);
    }

    /** The namespaces whose private collections the viewer may see; null for all (a site admin's full token). */
    private @Nullable Set<String> privateNamespaces(@Nullable Principal viewer) {
        if (viewer == null) {
            return Set.of();
        }
        TokenScopes scopes = viewer.token().scopes();
        if (viewer.user().isAdmin() && scopes == null) {
            return null;
        }
        Set<String> namespaces = new HashSet<>();
        namespaces.add(viewer.user().name());
        orgs.of(viewer.user()).forEach(m -> namespaces.add(m.org().name()));
        if (scopes != null) {
            namespaces.retainAll(scopes.readableNamespaces());
        }
        return namespaces;
    }

    /** {@link #find}, or the 404 of a collection that does not exist or that the viewer may not see. */
    public Collection visible(@Nullable Principal viewer, String namespace, String slug) {
        return find(viewer, namespace, slug)
                .orElseThrow(() -> new Errors.NotFound("Collection not found: " + namespace + "/" + slug));
    }

    /** {@link #visible}, when the viewer may also change it: write access to its namespace, as for its repos. */
    public Collection changeable(@Nullable Principal viewer, String namespace, String slug) {
        Collection collection = visible(viewer, namespace, slug);
        policy.requireNamespaceWrite(viewer, collection.namespace());
        return collection;
    }

    public boolean canSee(@Nullable Principal viewer, Collection collection) {
        if (!collection.isPrivate()) {
            return true;
        }
        if (viewer == null) {
            return false;
        }
        Set<String> namespaces = privateNamespaces(viewer);
        return namespaces == null || namespaces.contains(collection.namespace());
    }

    /** Up to {@code max} of the items the viewer may see, in order. */
    public List<Shown> items(@Nullable Principal viewer, Collection collection, int max) {
        List<Shown> shown = new ArrayList<>();
        for (Item item : collections.items(collection.id())) {
            if (shown.size() == max) {
                break;
            }
            switch (item.type()) {
                case "paper" -> shown.add(new Shown(item, item.ref(), null, null));
                case "collection" -> collections.byId(item.ref()).filter(c -> canSee(viewer, c))
                        .ifPresent(c -> shown.add(new Shown(item, c.slug(), null, c)));
                default -> repos.findById(item.ref()).filter(r -> policy.canRead(viewer, r))
                        .ifPresent(r -> shown.add(new Shown(item, r.repoId().toString(), r, null)));
            }
        }
        return shown;
    }
}
