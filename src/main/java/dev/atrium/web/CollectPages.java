package dev.atrium.web;

import dev.atrium.api.RepoLookup;
import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.collection.CollectionReader;
import dev.atrium.collection.Collections;
import dev.atrium.collection.Collections.Collection;
import dev.atrium.http.Caller;
import dev.atrium.http.HubException;
import dev.atrium.http.RepoRoutes;
import dev.atrium.org.Organizations;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * "Add to collection": a form for anyone signed in who can see the repo, to put it in one of the collections they
 * may change, or in a new one; the same rules as the API's {@code add_collection_item}.
 */
final class CollectPages {
    private final Pages pages;
    private final RepoAccess access;
    private final RepoLookup lookup;
    private final AccessPolicy policy;
    private final Organizations orgs;
    private final Collections collections;
    private final CollectionReader reader;

    CollectPages(Pages pages, RepoAccess access, RepoLookup lookup, AccessPolicy policy, Organizations orgs,
                 Collections collections, CollectionReader reader) {
        this.pages = pages;
        this.access = access;
        this.lookup = lookup;
        this.policy = policy;
        this.orgs = orgs;
        this.collections = collections;
        this.reader = reader;
    }

    void register(RoutesConfig routes) {
        RepoRoutes.add(routes, HandlerType.GET, "/collect",
                (ctx, t, ns, n) -> pages.run(ctx, () -> form(ctx, repo(ctx, t, ns, n), 200, null)));
        RepoRoutes.add(routes, HandlerType.POST, "/collect",
                (ctx, t, ns, n) -> pages.run(ctx, () -> collect(ctx, repo(ctx, t, ns, n))));
    }

    private Repo repo(Context ctx, RepoType type, String namespace, String name) {
        SignedIn.require(ctx);
        return lookup.load(ctx, type, namespace, name, AccessPolicy.Action.READ);
    }

    /** The collections the viewer may add to: those of the namespaces where they may create repos. */
    private List<Collection> writable(Principal viewer, List<String> owners) {
        return reader.list(viewer, owners, List.of(), null, 0, 200);
    }

    private void form(Context ctx, Repo repo, int status, String error) {
        Principal viewer = Caller.required(ctx);
        List<String> owners = Owners.of(viewer.user(), orgs);
        Map<String, Object> params = new HashMap<>();
        params.put("frame", Frame.of(ctx, "Add to collection · " + repo.repoId()));
        params.put("header", access.header(ctx, repo, "card", "main"));
        params.put("collections", writable(viewer, owners));
        params.put("owners", owners);
        params.put("error", error);
        pages.render(ctx, status, "repo/collect.jte", params);
    }

    private void collect(Context ctx, Repo repo) {
        Principal viewer = Caller.required(ctx);
        String chosen = Optional.ofNullable(ctx.formParam("collection")).orElse("");
        String note = Optional.ofNullable(ctx.formParam("note")).map(String::strip).filter(n -> !n.isEmpty())
                .orElse(null);
        try {
            // Before a new collection is made: a note refused after it would leave it made, and empty.
            Collections.Text.NOTE.check(note);
            Collection target;
            if (chosen.equals("new")) {
                String owner = Optional.ofNullable(ctx.formParam("owner")).orElse("");
                String title = Optional.ofNullable(ctx.formParam("title")).orElse("").strip();
                policy.requireNamespaceWrite(viewer, owner);
                target = collections.create(owner, title, null, false);
            } else {
                target = collections.byId(chosen).filter(c -> reader.canSee(viewer, c)).orElse(null);
                if (target == null) {
                    form(ctx, repo, 400, "Choose a collection.");
                    return;
                }
                policy.requireNamespaceWrite(viewer, target.namespace());
            }
            collections.addItem(target, repo.type().singular(), repo.id(), note);
            ctx.redirect("/collections/" + target.slug(), HttpStatus.SEE_OTHER);
        } catch (Collections.TitleTaken e) {
            form(ctx, repo, 409, "There is already a collection titled '" + e.existing().title()
                    + "': choose it in the list.");
        } catch (Collections.ItemExists e) {
            form(ctx, repo, 409, "This " + repo.type().singular() + " is in that collection already.");
        } catch (HubException e) {
            form(ctx, repo, e.status(), e.getMessage());
        }
    }
}
