package dev.atrium.mirror;

import dev.atrium.http.Errors;
import dev.atrium.repo.InvalidRepoIdException;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A repo on another hub, named by its page's URL as people copy it from their browser:
 * {@code https://huggingface.co/org/model}, {@code https://hub.example.com/datasets/org/data}. What comes before the
 * repo's path is the hub's endpoint (what {@code HF_ENDPOINT} would be), so hubs served under a path work too.
 */
public record MirrorSource(URI endpoint, RepoType type, RepoId id) {

    /**
     * Reads a repo page's URL; a trailing {@code .git} (a clone URL) or {@code /tree/main} is taken off.
     *
     * @throws Errors.BadRequest when it is not an http(s) URL ending in a repo's path
     */
    public static MirrorSource parse(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new Errors.BadRequest("The source '" + url + "' is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw new Errors.BadRequest("The source must be an http(s) URL of a repo, such as"
                    + " https://huggingface.co/openai-community/gpt2");
        }
        if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new Errors.BadRequest("The source URL must carry no user name, query or fragment; give a token"
                    + " apart if the source needs one");
        }
        List<String> segments = new ArrayList<>(Arrays.stream(uri.getPath().split("/"))
                .filter(s -> !s.isEmpty()).toList());
        int tree = segments.indexOf("tree");
        if (tree >= 2) {
            segments = segments.subList(0, tree);
        }
        if (segments.size() < 2) {
            throw new Errors.BadRequest("The source URL must end in the repo's namespace and name, such as"
                    + " https://huggingface.co/openai-community/gpt2");
        }
        String name = segments.get(segments.size() - 1);
        if (name.endsWith(".git")) {
            name = name.substring(0, name.length() - 4);
        }
        RepoId id;
        try {
            id = new RepoId(segments.get(segments.size() - 2), name);
        } catch (InvalidRepoIdException e) {
            throw new Errors.BadRequest(e.getMessage());
        }
        List<String> before = segments.subList(0, segments.size() - 2);
        RepoType type = RepoType.MODEL;
        if (!before.isEmpty()) {
            Optional<RepoType> named = RepoType.fromPlural(before.get(before.size() - 1));
            if (named.isPresent()) {
                type = named.get();
                before = before.subList(0, before.size() - 1);
            }
        }
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String path = before.isEmpty() ? "" : "/" + String.join("/", before);
        return new MirrorSource(URI.create(scheme + "://" + uri.getHost() + port + path), type, id);
    }

    /** The repo's page: how the source is shown and stored. */
    public String pageUrl() {
        return endpoint + "/" + type.urlPrefix() + id;
    }

    public URI gitUrl() {
        return URI.create(pageUrl() + ".git");
    }

    public URI lfsBatchUrl() {
        return URI.create(pageUrl() + ".git/info/lfs/objects/batch");
    }
}
