package dev.atrium.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.card.CardMetadata;
import java.util.List;
import java.util.Optional;

/**
 * What discovery knows about a repo at one commit of its default branch: its card, what its files say, and the tags
 * the Hub would show. {@code filterTags} adds to {@code tags} the prefixed forms the listing filters accept
 * ({@code language:en} beside a model's bare {@code en}, {@code library:...}).
 */
public record RepoFacts(String sha, long lastModified, CardMetadata card, Optional<String> pipelineTag,
                        Optional<String> libraryName, List<String> tags, List<String> filterTags, ObjectNode extra) {}
