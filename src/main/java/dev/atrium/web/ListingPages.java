package dev.atrium.web;

import dev.atrium.auth.AccessPolicy;
import dev.atrium.auth.Principal;
import dev.atrium.auth.User;
import dev.atrium.auth.Users;
import dev.atrium.card.KnownValues;
import dev.atrium.collection.CollectionReader;
import dev.atrium.follow.Followee;
import dev.atrium.follow.Follows;
import dev.atrium.http.Caller;
import dev.atrium.http.Dates;
import dev.atrium.http.Errors;
import dev.atrium.repo.RepoType;
import dev.atrium.search.ListingApi;
import dev.atrium.search.RepoListing;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import dev.atrium.org.Organization;
import dev.atrium.org.Organizations;
import org.jdbi.v3.core.Jdbi;

/** {@code /models}, {@code /datasets}, {@code /spaces} with filters and sorts in the URL; the home and profile pages. */
public final class ListingPages {
    private static final int PAGE = 30;
    private static final int FACETS = 10;
    /** Followers (and followed) named on a profile: the rest are counted, and listed by the API. */
    private static final int FOLLOWS_SHOWN = 30;
    /** Members named on an organization's page (a university's has thousands): the settings page lists them all. */
    private static final int MEMBERS_SHOWN = 60;
    private static final List<String[]> SORTS = List.of(new String[] {"trendingScore", "Trending"},
            new String[] {"downloads", "Most downloads"}, new String[] {"likes", "Most likes"},
            new String[] {"lastModified", "Recently updated"}, new String[] {"createdAt", "Recently created"});

    private final Pages pages;
    private final RepoListing listing;
    private final AccessPolicy policy;
    private final Users users;
    private final Jdbi jdbi;
    private final Organizations orgs;
    private final Follows follows;
    private final CollectionReader collectionReader;
    private final Optional<String> warmTag;

    ListingPages(Pages pages, RepoListing listing, AccessPolicy policy, Users users, Jdbi jdbi, Organizations orgs,
                 Follows follows, CollectionReader collectionReader, Optional<String> warmTag) {
        this.follows = follows;
        this.warmTag = warmTag;
        this.pages = pages;
        this.listing = listing;
        this.policy = policy;
        this.users = users;
        this.jdbi = jdbi;
        this.orgs = orgs;
        this.collectionReader = collectionReader;
    }

    void register(RoutesConfig routes) {
        routes.get("/", pages.page(this::home));
        routes.post("/settings/following/{name}", pages.page(this::follow));
        for (RepoType type : RepoType.values()) {
            routes.get("/" + type.plural(), pages.page(ctx -> listing(ctx, type)));
        }
    }

    /** Registered after every other route: a single segment is a user or organization name. */
    void registerProfiles(RoutesConfig routes) {
        routes.get("/{owner}", pages.page(this::profile));
    }

    private void listing(Context ctx, RepoType type) {
        RepoListing.Query query = ListingApi.queryOf(ctx, type, policy, PAGE, warmTag);
        List<RepoListing.Row> rows = listing.find(query);
        String next = null;
        if (rows.size() > PAGE) {
            rows = rows.subList(0, PAGE);
            RepoListing.Row last = rows.get(rows.size() - 1);
            next = withParam(ctx, "cursor", ListingApi.encodeCursor(new RepoListing.Cursor(last.sortValue(), last.id())));
        }
        List<String> activeTags = new ArrayList<>(query.tags());
        query.pipelineTag().ifPresent(activeTags::add);
        List<RepoViews.Link> active = new ArrayList<>();
        for (String tag : activeTags) {
            boolean warm = ctx.queryParam("inference") != null && tag.equals(warmTag.orElse(""));
            active.add(new RepoViews.Link(warm ? "runs on this hub" : tag, warm ? withoutParam(ctx, "inference")
                    : without(ctx, tag)));
        }
        String sort = Optional.ofNullable(ctx.queryParam("sort")).orElse("trendingScore");
        List<ListingViews.SortOption> sorts = new ArrayList<>();
        for (String[] s : SORTS) {
            sorts.add(new ListingViews.SortOption(s[1], withParam(ctx, "sort", s[0]), s[0].equals(sort)));
        }
        String search = String.join(" ", ctx.queryParams("search"));
        ListingViews.ListingPage page = new ListingViews.ListingPage(type.singular(), type.plural(),
                cards(rows, type), facets(ctx, type, activeTags), sorts, active, next, search);
        String title = Character.toUpperCase(type.plural().charAt(0)) + type.plural().substring(1);
        pages.render(ctx, 200, "listing.jte", Map.of("frame", Frame.of(ctx, title).withQuery(search), "page", page));
    }

    private void home(Context ctx) {
        List<ListingViews.Section> sections = new ArrayList<>();
        for (RepoType type : RepoType.values()) {
            List<RepoListing.Row> rows = listing.find(new RepoListing.Query(type, policy.readableRepos(Caller.of(ctx)),
                    List.of(), Optional.empty(), List.of(), Optional.empty(), RepoListing.Sort.TRENDING, true, 6,
                    Optional.empty()));
            sections.add(new ListingViews.Section("Trending " + type.plural(), "/" + type.plural(),
                    cards(rows.subList(0, Math.min(6, rows.size())), type)));
        }
        pages.render(ctx, 200, "home.jte", Map.of("frame", Frame.of(ctx, "Home"),
                "page", new ListingViews.HomePage(sections)));
    }

    private void profile(Context ctx) {
        String owner = ctx.pathParam("owner");
        var user = users.byName(owner);
        List<ListingViews.Section> sections = new ArrayList<>();
        for (RepoType type : RepoType.values()) {
            List<RepoListing.Row> rows = listing.find(new RepoListing.Query(type, policy.readableRepos(Caller.of(ctx)),
                    List.of(), Optional.of(owner), List.of(), Optional.empty(), RepoListing.Sort.LAST_MODIFIED, true,
                    100, Optional.empty()));
            if (!rows.isEmpty()) {
                sections.add(new ListingViews.Section(type.plural().substring(0, 1).toUpperCase(java.util.Locale.ROOT)
                        + type.plural().substring(1), "/" + type.plural() + "?author=" + Urls.query(owner),
                        cards(rows.subList(0, Math.min(100, rows.size())), type)));
            }
        }
        var org = user.isPresent() ? Optional.<Organization>empty() : orgs.byName(owner);
        List<RepoViews.Link> collections = collectionReader.list(Caller.of(ctx), List.of(owner), List.of(), null, 0,
                        100).stream()
                .map(c -> new RepoViews.Link(c.title(), "/collections/" + c.slug())).toList();
        if (user.isEmpty() && org.isEmpty() && sections.isEmpty()) {
            throw new Errors.NotFound("No user or organization named " + owner);
        }
        List<RepoViews.Link> people = new ArrayList<>();
        int peopleCount = 0;
        if (org.isPresent()) {
            for (Organizations.Member m : orgs.members(org.get(), MEMBERS_SHOWN)) {
                people.add(new RepoViews.Link(m.user().name() + " (" + m.role().wireName() + ")", "/" + m.user().name()));
            }
            peopleCount = people.size() < MEMBERS_SHOWN ? people.size() : orgs.memberCount(org.get());
        } else if (user.isPresent()) {
            for (Organizations.Membership m : orgs.of(user.get())) {
                people.add(new RepoViews.Link(m.org().name(), "/" + m.org().name()));
            }
            peopleCount = people.size();
        }
        String fullname = user.map(u -> u.fullname()).orElse(org.map(Organization::fullname).orElse(null));
        Optional<Followee> followee = user.map(Followee::of).or(() -> org.map(Followee::of));
        pages.render(ctx, 200, "profile.jte", Map.of("frame", Frame.of(ctx, owner), "page",
                new ListingViews.ProfilePage(owner, fullname, org.isPresent(), people, peopleCount, sections, collections,
                        followee.map(f -> follows(ctx, f)).orElse(null))));
    }

    /** The counts, the latest followers (and, for a user, the latest followed), and the viewer's button. */
    private ListingViews.FollowBox follows(Context ctx, Followee followee) {
        Follows.Page followers = follows.followers(followee, null, FOLLOWS_SHOWN);
        Function<User, RepoViews.Link> link = u -> new RepoViews.Link(u.name(), "/" + u.name());
        boolean isUser = followee.kind() == Followee.Kind.USER;
        Principal viewer = SignedIn.is(ctx) ? Caller.of(ctx) : null;
        Boolean viewerFollows = viewer == null || viewer.user().id().equals(followee.id()) ? null
                : follows.isFollowing(viewer.user(), followee);
        return new ListingViews.FollowBox(follows.followerCount(followee),
                followers.users().stream().map(link).toList(),
                isUser ? follows.followingCount(followee.id()) : null,
                isUser ? follows.followed(followee.id(), null, FOLLOWS_SHOWN).users().stream().map(link).toList()
                        : List.of(),
                viewerFollows);
    }

    /** The profile's Follow and Unfollow button; back to the profile. */
    private void follow(Context ctx) {
        Principal viewer = SignedIn.require(ctx);
        String name = ctx.pathParam("name");
        Followee followee = users.byName(name).map(Followee::of).or(() -> orgs.byName(name).map(Followee::of))
                .orElseThrow(() -> new Errors.NotFound("No user or organization named " + name));
        if ("true".equals(ctx.formParam("follow"))) {
            follows.follow(viewer.user(), followee);
        } else {
            follows.unfollow(viewer.user(), followee);
        }
        ctx.redirect("/" + followee.name(), io.javalin.http.HttpStatus.SEE_OTHER);
    }

    private static List<ListingViews.RepoCard> cards(List<RepoListing.Row> rows, RepoType type) {
        List<ListingViews.RepoCard> out = new ArrayList<>();
        for (RepoListing.Row r : rows) {
            String id = r.namespace() + "/" + r.name();
            SpaceLook look = type == RepoType.SPACE ? SpaceLook.of(r.cardJson()) : SpaceLook.NONE;
            out.add(new ListingViews.RepoCard(id, "/" + type.urlPrefix() + id, type.singular(), r.pipelineTag(),
                    Numbers.compact(r.downloads()), r.likes(), Dates.iso(r.lastModified()).substring(0, 10),
                    look.emoji(), look.colors()));
        }
        return out;
    }

    /**
     * The sidebar's filter values with their counts over the public repos of this type (listed_tag_counts, kept exact
     * by triggers; a private repo's tags never show here): tasks, libraries, languages and licenses, the most common
     * first.
     */
    private List<ListingViews.FacetGroup> facets(Context ctx, RepoType type, List<String> active) {
        Map<String, String> groups = new LinkedHashMap<>();
        groups.put("Tasks", "");
        groups.put("Libraries", "library:");
        groups.put("Languages", "language:");
        groups.put("Licenses", "license:");
        groups.put("Other tags", null);
        List<ListingViews.FacetGroup> out = new ArrayList<>();
        if (type == RepoType.MODEL && warmTag.isPresent()) {
            // The models this hub's inference runs: the API's inference=warm, counted like the other tags.
            long count = jdbi.withHandle(h -> h.createQuery("""
                    SELECT repos FROM listed_tag_counts WHERE type = :type AND tag = :tag""")
                    .bind("type", type.name()).bind("tag", warmTag.get()).mapTo(Long.class).findOne().orElse(0L));
            boolean on = ctx.queryParam("inference") != null;
            if (count > 0 || on) {
                out.add(new ListingViews.FacetGroup("Inference", List.of(new ListingViews.Facet("Runs on this hub",
                        count, on ? withoutParam(ctx, "inference") : withParam(ctx, "inference", "warm"), on))));
            }
        }
        for (Map.Entry<String, String> g : groups.entrySet()) {
            List<Map.Entry<String, Long>> top = g.getValue() == null ? topOtherTags(type)
                    : g.getValue().isEmpty() ? topTasks(type) : topWithPrefix(type, g.getValue());
            String prefix = g.getValue() == null ? "" : g.getValue();
            List<ListingViews.Facet> facets = new ArrayList<>();
            for (Map.Entry<String, Long> e : top) {
                boolean on = active.contains(e.getKey());
                String label = e.getKey().substring(prefix.length());
                facets.add(new ListingViews.Facet(label, e.getValue(),
                        on ? without(ctx, e.getKey()) : withFilter(ctx, e.getKey()), on));
            }
            if (!facets.isEmpty()) {
                out.add(new ListingViews.FacetGroup(g.getKey(), facets));
            }
        }
        return out;
    }

    private List<Map.Entry<String, Long>> topWithPrefix(RepoType type, String prefix) {
        // A range on the primary key rather than LIKE: both databases then read only the prefix's rows.
        return jdbi.withHandle(h -> h.createQuery("""
                SELECT tag, repos FROM listed_tag_counts WHERE type = :type AND tag >= :from AND tag < :to AND repos > 0
                ORDER BY repos DESC, tag LIMIT :n""")
                .bind("type", type.name()).bind("from", prefix).bind("to", prefix.substring(0, prefix.length() - 1) + ";")
                .bind("n", FACETS)
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getLong(2))).list());
    }

    /** Plain tags (no {@code prefix:}) that are not tasks: topics such as "chat" or "sentiment". */
    private List<Map.Entry<String, Long>> topOtherTags(RepoType type) {
        return jdbi.withHandle(h -> h.createQuery("SELECT tag, repos FROM listed_tag_counts WHERE type = :type"
                        + " AND tag NOT LIKE '%:%' AND tag NOT IN (<tasks>) AND repos > 0 ORDER BY repos DESC, tag LIMIT :n")
                .bind("type", type.name()).bindList("tasks", List.copyOf(KnownValues.PIPELINE_TAGS)).bind("n", FACETS)
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getLong(2))).list());
    }

    private List<Map.Entry<String, Long>> topTasks(RepoType type) {
        return jdbi.withHandle(h -> h.createQuery("SELECT tag, repos FROM listed_tag_counts WHERE type = :type"
                        + " AND tag IN (<tasks>) AND repos > 0 ORDER BY repos DESC, tag LIMIT :n")
                .bind("type", type.name()).bindList("tasks", List.copyOf(KnownValues.PIPELINE_TAGS)).bind("n", FACETS)
                .map((rs, c) -> Map.entry(rs.getString(1), rs.getLong(2))).list());
    }

    /** This listing's URL with {@code tag} added to the filters, back on the first page. */
    private static String withFilter(Context ctx, String tag) {
        Map<String, List<String>> params = new LinkedHashMap<>(ctx.queryParamMap());
        params.remove("cursor");
        List<String> filters = new ArrayList<>(params.getOrDefault("filter", List.of()));
        filters.add(tag);
        params.put("filter", filters);
        return url(ctx, params);
    }

    /** This listing's URL without {@code tag}, wherever it was given (filter, pipeline_tag, library, ...). */
    private static String without(Context ctx, String tag) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        ctx.queryParamMap().forEach((k, values) -> {
            if (k.equals("cursor")) {
                return;
            }
            List<String> kept = new ArrayList<>();
            for (String v : values) {
                boolean drop = switch (k) {
                    case "filter" -> v.equals(tag);
                    case "pipeline_tag" -> v.equals(tag);
                    case "library" -> tag.equals("library:" + v);
                    case "language" -> tag.equals("language:" + v);
                    case "license" -> tag.equals("license:" + v);
                    default -> false;
                };
                if (!drop) {
                    kept.add(v);
                }
            }
            if (!kept.isEmpty()) {
                params.put(k, kept);
            }
        });
        return url(ctx, params);
    }

    private static String withoutParam(Context ctx, String name) {
        Map<String, List<String>> params = new LinkedHashMap<>(ctx.queryParamMap());
        params.remove("cursor");
        params.remove(name);
        return url(ctx, params);
    }

    private static String withParam(Context ctx, String name, String value) {
        Map<String, List<String>> params = new LinkedHashMap<>(ctx.queryParamMap());
        if (!name.equals("cursor")) {
            params.remove("cursor");
        }
        params.put(name, List.of(value));
        return url(ctx, params);
    }

    private static String url(Context ctx, Map<String, List<String>> params) {
        StringBuilder out = new StringBuilder(ctx.path());
        char sep = '?';
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            for (String v : e.getValue()) {
                out.append(sep).append(Urls.query(e.getKey())).append('=').append(Urls.query(v));
                sep = '&';
            }
        }
        return out.toString();
    }
}
