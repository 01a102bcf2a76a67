package dev.atrium.org;

import dev.atrium.http.Errors;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Whether a repo is private when made or changed, for every way of making one (the API, the pages, duplicates,
 * mirrors, moves): the hub's {@code --default-visibility}, unless the namespace is an organization whose admins chose
 * otherwise, as Enterprise organizations on the Hub do. A company's organization can make its repos private by default,
 * or private only, so that nothing in it is ever published by a member's slip.
 */
public final class RepoVisibility {
    /** An organization's choice. */
    public enum Rule {
        HUB("hub"), PRIVATE("private"), PRIVATE_ONLY("private-only");

        private final String wireName;

        Rule(String wireName) {
            this.wireName = wireName;
        }

        public String wireName() {
            return wireName;
        }

        public static Optional<Rule> of(@Nullable String wireName) {
            return Arrays.stream(values()).filter(r -> r.wireName.equals(wireName)).findFirst();
        }
    }

    private final Organizations orgs;
    private final boolean hubPrivate;

    public RepoVisibility(Organizations orgs, boolean hubPrivate) {
        this.orgs = orgs;
        this.hubPrivate = hubPrivate;
    }

    /** The rule of {@code namespace}: its admins' when it is an organization, {@link Rule#HUB} otherwise. */
    public Rule rule(String namespace) {
        return orgs.visibilityRule(namespace);
    }

    /** Whether a new repo in {@code namespace} that its maker says nothing about is private. */
    public boolean privateByDefault(String namespace) {
        return switch (orgs.visibilityRule(namespace)) {
            case HUB -> hubPrivate;
            case PRIVATE, PRIVATE_ONLY -> true;
        };
    }

    /**
     * Whether a new repo in {@code namespace} is private: as asked, else the namespace's default.
     *
     * @throws Errors.Forbidden when a public repo is asked of an organization whose repos are private only
     */
    public boolean forNew(String namespace, @Nullable Boolean askedPrivate) {
        boolean makePrivate = askedPrivate == null ? privateByDefault(namespace) : askedPrivate;
        requireAllowed(namespace, makePrivate);
        return makePrivate;
    }

    /**
     * Refuses a public repo in {@code namespace} (made, copied, moved there or made public) when its organization
     * keeps repos private only.
     */
    public void requireAllowed(String namespace, boolean makePrivate) {
        if (!makePrivate && orgs.visibilityRule(namespace) == Rule.PRIVATE_ONLY) {
            throw new Errors.Forbidden("Repos of " + namespace + " are private only: its admins chose so in its"
                    + " settings");
        }
    }

    /** The rule of an organization's settings, read from a form or a request: {@code hub}, {@code private}... */
    public static Rule parse(String text) {
        return Rule.of(text.strip().toLowerCase(Locale.ROOT)).orElseThrow(() -> new Errors.BadRequest(
                "'repoVisibility' must be hub, private or private-only, not '" + text + "'"));
    }
}
