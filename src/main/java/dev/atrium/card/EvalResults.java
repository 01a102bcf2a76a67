package dev.atrium.card;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A model card's evaluation results ({@code model-index}), one per metric, as the Hub's model page lists them:
 * the task, the dataset (with its config and split), the metric and its value, and where the authors say it comes
 * from. All are as the card's authors report them: the Hub marks a value "verified" by a token its own evaluation
 * service signed ({@code verifyToken}), which no other hub can check, so a card's {@code verified: true} is not
 * shown. A {@code model-index} of the wrong shape never gets here: pushes refuse it ({@link ModelIndex}); missing
 * parts are left blank.
 */
public final class EvalResults {
    /** One metric's value on one dataset; {@code datasetId} is the dataset's Hub id when the card gives one. */
    public record Result(String task, String dataset, @Nullable String datasetId, String metric, String value,
                         @Nullable String sourceName, @Nullable String sourceUrl) {}

    /** More than any card needs: the model page lists them all, a card cannot make it list a million. */
    static final int MAX = 200;

    private EvalResults() {}

    public static List<Result> of(Map<String, Object> metadata) {
        List<Result> out = new ArrayList<>();
        for (Object model : list(metadata.get(ModelIndex.KEY))) {
            for (Object r : list(map(model).get("results"))) {
                Map<?, ?> result = map(r);
                Map<?, ?> task = map(result.get("task"));
                Map<?, ?> dataset = map(result.get("dataset"));
                Map<?, ?> source = map(result.get("source"));
                String taskName = text(task.get("name"), text(task.get("type"), ""));
                String datasetId = repoId(text(dataset.get("type"), null));
                String datasetName = text(dataset.get("name"), text(dataset.get("type"), ""))
                        + suffix(text(dataset.get("config"), null), text(dataset.get("split"), null));
                for (Object m : list(result.get("metrics"))) {
                    Map<?, ?> metric = map(m);
                    if (out.size() == MAX) {
                        return out;
                    }
                    out.add(new Result(taskName, datasetName, datasetId,
                            text(metric.get("name"), text(metric.get("type"), "")), value(metric.get("value")),
                            text(source.get("name"), null),
                            httpUrl(text(source.get("url"), null))));
                }
            }
        }
        return out;
    }

    /** " (config, split)" when either is given. */
    private static String suffix(@Nullable String config, @Nullable String split) {
        if (config == null && split == null) {
            return "";
        }
        return " (" + (config == null ? split : split == null ? config : config + ", " + split) + ")";
    }

    /** Numbers as written, without a float's noise (0.1 + 0.2 stays 0.3 as YAML read it). */
    private static String value(@Nullable Object value) {
        if (value instanceof Double || value instanceof Float) {
            return new BigDecimal(value.toString()).stripTrailingZeros().toPlainString();
        }
        return value == null ? "" : value.toString();
    }

    /** A dataset's Hub id ({@code namespace/name}) becomes a link to its page; anything else stays text. */
    private static @Nullable String repoId(@Nullable String type) {
        return type != null && REPO_ID.matcher(type).matches() && !type.contains("..") ? type : null;
    }

    private static final java.util.regex.Pattern REPO_ID =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*");

    /** Only a web link becomes one: a card must not make the page link to javascript: or data: URLs. */
    private static @Nullable String httpUrl(@Nullable String url) {
        return url != null && (url.startsWith("https://") || url.startsWith("http://")) ? url : null;
    }

    private static List<?> list(@Nullable Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static Map<?, ?> map(@Nullable Object value) {
        return value instanceof Map<?, ?> m ? m : Map.of();
    }

    private static @Nullable String text(@Nullable Object value, @Nullable String fallback) {
        return value == null || value.toString().isBlank() ? fallback : value.toString();
    }
}
