package dev.atrium.repo;

import java.util.Optional;

/** The three kinds of repository, with the two spellings the Hub uses for each in URLs. */
public enum RepoType {
    MODEL("model", "models", ""),
    DATASET("dataset", "datasets", "datasets/"),
    SPACE("space", "spaces", "spaces/");

    private final String singular;
    private final String plural;
    private final String urlPrefix;

    RepoType(String singular, String plural, String urlPrefix) {
        this.singular = singular;
        this.plural = plural;
        this.urlPrefix = urlPrefix;
    }

    /** {@code model}, as in request bodies. */
    public String singular() {
        return singular;
    }

    /** {@code models}, as in {@code /api/models/...}. */
    public String plural() {
        return plural;
    }

    /** Prefix of web, resolve and git paths: empty for models, {@code datasets/} for datasets. */
    public String urlPrefix() {
        return urlPrefix;
    }

    public static Optional<RepoType> fromPlural(String plural) {
        for (RepoType t : values()) {
            if (t.plural.equals(plural)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Body {@code type}; null or absent means a model, as the Python client omits it for models. */
    public static Optional<RepoType> fromSingular(String singular) {
        if (singular == null) {
            return Optional.of(MODEL);
        }
        for (RepoType t : values()) {
            if (t.singular.equals(singular)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
