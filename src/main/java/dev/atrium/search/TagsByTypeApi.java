package dev.atrium.search;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.atrium.card.KnownValues;
import dev.atrium.http.Json;
import dev.atrium.repo.RepoType;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /api/models-tags-by-type} and {@code /api/datasets-tags-by-type} ({@code get_model_tags},
 * {@code get_dataset_tags}): the tags one can filter by, grouped by kind, each {@code {id, label, type}} where
 * {@code id} is what {@code filter=} takes. Tasks and licenses are the Hub's whole lists; the other kinds are the tags
 * public repos of this type carry, so a private repo's tags never show.
 */
public final class TagsByTypeApi {
    /** Prefixed tags whose prefix names their kind. */
    private static final List<String> KINDS = List.of("library", "language", "dataset", "license", "arxiv", "doi",
            "region", "task_categories", "size_categories", "modality", "format");

    private final Jdbi jdbi;

    public TagsByTypeApi(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    public void register(RoutesConfig routes) {
        routes.get("/api/models-tags-by-type", ctx -> send(ctx, RepoType.MODEL));
        routes.get("/api/datasets-tags-by-type", ctx -> send(ctx, RepoType.DATASET));
    }

    private void send(Context ctx, RepoType type) {
        Map<String, Map<String, String>> byKind = new TreeMap<>(); // kind -> id -> label
        if (type == RepoType.MODEL) {
            for (String task : KnownValues.PIPELINE_TAGS) {
                byKind.computeIfAbsent("pipeline_tag", k -> new TreeMap<>()).put(task, title(task));
            }
        }
        for (String license : KnownValues.LICENSES) {
            byKind.computeIfAbsent("license", k -> new TreeMap<>()).put("license:" + license, license);
        }
        List<String> listed = listedTags(type);
        // A model's library and languages are also plain tags: those are listed under their kind, not as "other".
        Set<String> plainTwins = new HashSet<>();
        for (String tag : listed) {
            int colon = tag.indexOf(':');
            String prefix = colon < 0 ? "" : tag.substring(0, colon);
            if (KINDS.contains(prefix)) {
                boolean plain = type == RepoType.MODEL && (prefix.equals("library") || prefix.equals("language"));
                String value = tag.substring(colon + 1);
                if (plain) {
                    plainTwins.add(value);
                }
                String label = prefix.equals("language") ? languageLabel(value) : value;
                byKind.computeIfAbsent(prefix, k -> new TreeMap<>()).put(plain ? value : tag, label);
            }
        }
        for (String tag : listed) {
            if (tag.indexOf(':') < 0 && !KnownValues.PIPELINE_TAGS.contains(tag) && !plainTwins.contains(tag)) {
                byKind.computeIfAbsent("other", k -> new TreeMap<>()).put(tag, tag);
            }
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        byKind.forEach((kind, tags) -> {
            ArrayNode list = out.putArray(kind);
            tags.forEach((id, label) -> list.addObject().put("id", id).put("label", label).put("type", kind));
        });
        Json.send(ctx, out);
    }

    private List<String> listedTags(RepoType type) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT tag FROM listed_tag_counts WHERE type = :type AND repos > 0 ORDER BY tag")
                .bind("type", type.name()).mapTo(String.class).list());
    }

    /** A language code as people read it ("en": "English"); a code Java does not know stays as it is. */
    static String languageLabel(String code) {
        String name = Locale.forLanguageTag(code).getDisplayLanguage(Locale.ENGLISH);
        return name.isBlank() || name.equalsIgnoreCase(code) ? code : name;
    }

    /** "text-generation" as the Hub labels it: "Text Generation". */
    private static String title(String task) {
        StringBuilder label = new StringBuilder();
        for (String word : task.split("-")) {
            if (!label.isEmpty()) {
                label.append(' ');
            }
            label.append(word.substring(0, 1).toUpperCase(Locale.ROOT)).append(word.substring(1));
        }
        return label.toString();
    }
}
