package dev.atrium.card;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a card's metadata means to the Hub: the fields search, filters and the repo page use, read leniently (a
 * string where a list is expected is a list of one), with a warning for every value the Hub would not recognise.
 * The metadata itself ({@link #data}) is kept whole, unknown keys included: it is the repo's {@code cardData}.
 */
public record CardMetadata(Map<String, Object> data, Optional<String> license, List<String> languages,
                           List<String> tags, List<String> datasets, List<String> baseModels,
                           Optional<String> baseModelRelation, Optional<String> pipelineTag,
                           Optional<String> libraryName, List<String> taskCategories, List<String> sizeCategories,
                           List<String> arxivIds, List<String> warnings) {
    private static final Pattern ARXIV = Pattern.compile(
            "arxiv\\.org/(?:abs|pdf)/(\\d{4}\\.\\d{4,5})(?:v\\d+)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern REPO_ID = Pattern.compile("[A-Za-z0-9][\\w.-]*(/[A-Za-z0-9][\\w.-]*)?");

    public static final CardMetadata EMPTY = of(Map.of(), "");

    /** Reads {@code data}, the parsed front matter of a card whose Markdown body is {@code body}. */
    public static CardMetadata of(Map<String, Object> data, String body) {
        List<String> warnings = new ArrayList<>();
        Optional<String> license = string(data.get("license"));
        license.ifPresent(l -> {
            if (!KnownValues.LICENSES.contains(l.toLowerCase(java.util.Locale.ROOT))) {
                warnings.add("license: \"" + l + "\" is not a license id the Hub knows; use \"other\" with "
                        + "license_name and license_link for a custom license");
            } else if (l.equalsIgnoreCase("other") && string(data.get("license_name")).isEmpty()) {
                warnings.add("license: \"other\" should come with license_name (and license_link)");
            }
        });
        List<String> languages = strings(data.get("language"));
        for (String language : languages) {
            if (!KnownValues.isLanguage(language)) {
                warnings.add("language: \"" + language + "\" is not an ISO 639-1, 639-2 or 639-3 code");
            }
        }
        Optional<String> pipelineTag = string(data.get("pipeline_tag"));
        pipelineTag.ifPresent(p -> {
            if (!KnownValues.PIPELINE_TAGS.contains(p)) {
                warnings.add("pipeline_tag: \"" + p + "\" is not a task the Hub knows");
            }
        });
        List<String> baseModels = strings(data.get("base_model"));
        for (String base : baseModels) {
            if (!REPO_ID.matcher(base).matches()) {
                warnings.add("base_model: \"" + base + "\" is not a repo id (namespace/name)");
            }
        }
        Optional<String> relation = string(data.get("base_model_relation"));
        relation.ifPresent(r -> {
            if (!KnownValues.BASE_MODEL_RELATIONS.contains(r)) {
                warnings.add("base_model_relation: \"" + r + "\" is not one of " + KnownValues.BASE_MODEL_RELATIONS);
            }
        });
        Set<String> arxiv = new LinkedHashSet<>();
        Matcher m = ARXIV.matcher(body);
        while (m.find()) {
            arxiv.add(m.group(1));
        }
        return new CardMetadata(data, license, languages, strings(data.get("tags")), strings(data.get("datasets")),
                baseModels, relation, pipelineTag, string(data.get("library_name")),
                strings(data.get("task_categories")), strings(data.get("size_categories")), List.copyOf(arxiv),
                List.copyOf(warnings));
    }

    private static Optional<String> string(Object value) {
        if (value instanceof String s && !s.isBlank()) {
            return Optional.of(s.strip());
        }
        if (value instanceof Number || value instanceof Boolean) {
            return Optional.of(String.valueOf(value));
        }
        return Optional.empty();
    }

    /** A list of strings from a string, a number or a list of them; other shapes are ignored. */
    private static List<String> strings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                string(item).ifPresent(out::add);
            }
        } else {
            string(value).ifPresent(out::add);
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }
}
