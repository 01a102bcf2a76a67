package dev.atrium.web;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** What the listing, home and profile templates show. */
public final class ListingViews {
    private ListingViews() {}

    /** One repo in a list. */
    /**
     * @param emoji a Space's emoji, from its card
     * @param colors a Space's card colours as CSS classes ({@code from-indigo to-pink}), or empty
     */
    public record RepoCard(String id, String href, String kind, @Nullable String task, String downloads,
                           long likes, String updated, @Nullable String emoji, String colors) {}

    /** A filter value in the sidebar: how many repos carry it, and the listing with it added (or removed). */
    public record Facet(String label, long count, String href, boolean active) {}

    public record FacetGroup(String title, List<Facet> facets) {}

    public record SortOption(String label, String href, boolean active) {}

    public record ListingPage(String kind, String plural, List<RepoCard> repos, List<FacetGroup> groups,
                              List<SortOption> sorts, List<RepoViews.Link> activeFilters, @Nullable String nextUrl,
                              String search) {}

    public record Section(String title, String moreHref, List<RepoCard> repos) {}

    public record HomePage(List<Section> sections) {}

    /** @param people an organization's members, or the organizations a user belongs to */
    public record ProfilePage(String name, @Nullable String fullname, boolean isOrg, List<RepoViews.Link> people,
                              int peopleCount, List<Section> sections, List<RepoViews.Link> collections, @Nullable FollowBox follows) {}

    /**
     * A profile's followers, and for a user whom they follow (an organization follows nobody: {@code following}
     * null); {@code viewerFollows} is null when there is no button (not signed in, or one's own profile).
     */
    public record FollowBox(int followers, List<RepoViews.Link> latestFollowers, @Nullable Integer following,
                            List<RepoViews.Link> latestFollowing, @Nullable Boolean viewerFollows) {}
}
