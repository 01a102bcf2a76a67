package dev.atrium.webhook;

import dev.atrium.http.Errors;
import dev.atrium.webhook.Webhooks.Watched;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a webhook is asked to be, checked the same way whether it comes from the API or the settings page: an http(s)
 * URL, 1 to 100 watched repos, users or organizations, the domains {@code repo} and {@code discussions}, and a secret
 * of at most 200 characters.
 */
public record WebhookSpec(String url, @Nullable String secret, List<Watched> watched, List<String> domains) {
    private static final Set<String> KINDS = Set.of("model", "dataset", "space", "user", "org");
    private static final Set<String> DOMAINS = Set.of("repo", "discussions");
    private static final int MAX_WATCHED = 100;

    /**
     * @param domains null for both; "discussion" (the client's docstring example) is taken for "discussions"
     * @throws Errors.BadRequest naming what is wrong
     */
    public static WebhookSpec checked(@Nullable String url, @Nullable String secret, List<Watched> watched,
                                      @Nullable List<String> domains) {
        if (url == null || !validUrl(url)) {
            throw new Errors.BadRequest("'url' must be an http or https URL");
        }
        if (watched.isEmpty() || watched.size() > MAX_WATCHED) {
            throw new Errors.BadRequest("'watched' must list 1 to " + MAX_WATCHED + " {type, name} items");
        }
        for (Watched w : watched) {
            boolean repo = !w.kind().equals("user") && !w.kind().equals("org");
            if (!KINDS.contains(w.kind()) || w.name().isEmpty() || w.name().length() > 200
                    || repo != w.name().contains("/")) {
                throw new Errors.BadRequest("each watched item needs a type (model, dataset, space, user or org) "
                        + "and a name (a repo id for a repo, a name for a user or organization)");
            }
        }
        List<String> named = domains == null ? List.of("repo", "discussions")
                : domains.stream().map(d -> d.equals("discussion") ? "discussions" : d).distinct().toList();
        if (named.isEmpty() || !DOMAINS.containsAll(named)) {
            throw new Errors.BadRequest("'domains' may hold repo and discussions");
        }
        if (secret != null && secret.length() > 200) {
            throw new Errors.BadRequest("'secret' has at most 200 characters");
        }
        return new WebhookSpec(url, secret == null || secret.isEmpty() ? null : secret, List.copyOf(watched),
                named);
    }

    private static boolean validUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && url.length() <= 2000;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
