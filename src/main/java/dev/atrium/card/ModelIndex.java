package dev.atrium.card;

import java.util.List;
import java.util.Map;

/**
 * The shape of a card's {@code model-index} (evaluation results): a list of models, each with a list of results,
 * each a mapping whose {@code task} and {@code dataset} are mappings and whose {@code metrics} is a list of mappings.
 * The Hub refuses a card whose model-index has another shape, and the Python client's card tools fail on one; other
 * keys are read leniently ({@link CardMetadata}).
 */
final class ModelIndex {
    static final String KEY = "model-index";

    private ModelIndex() {}

    /** Throws {@link InvalidCardException} naming the first value of the wrong shape. */
    static void check(Map<String, Object> metadata) {
        // An empty value (a template's "model-index:" left blank) says nothing, here as for its parts below.
        if (metadata.get(KEY) == null) {
            return;
        }
        List<?> models = list(metadata.get(KEY), KEY);
        for (int m = 0; m < models.size(); m++) {
            String model = KEY + "[" + m + "]";
            Map<?, ?> entry = mapping(models.get(m), model);
            if (entry.get("results") == null) {
                continue;
            }
            List<?> results = list(entry.get("results"), model + ".results");
            for (int r = 0; r < results.size(); r++) {
                String result = model + ".results[" + r + "]";
                Map<?, ?> fields = mapping(results.get(r), result);
                for (String key : new String[] {"task", "dataset"}) {
                    if (fields.get(key) != null) {
                        mapping(fields.get(key), result + "." + key);
                    }
                }
                if (fields.get("metrics") != null) {
                    List<?> metrics = list(fields.get("metrics"), result + ".metrics");
                    for (int i = 0; i < metrics.size(); i++) {
                        mapping(metrics.get(i), result + ".metrics[" + i + "]");
                    }
                }
            }
        }
    }

    private static List<?> list(Object value, String where) {
        if (value instanceof List<?> list) {
            return list;
        }
        throw new InvalidCardException("\"" + where + "\" must be a list, not " + describe(value));
    }

    private static Map<?, ?> mapping(Object value, String where) {
        if (value instanceof Map<?, ?> map) {
            return map;
        }
        throw new InvalidCardException("\"" + where + "\" must be a mapping of keys to values, not " + describe(value));
    }

    private static String describe(Object value) {
        if (value == null) {
            return "empty";
        }
        if (value instanceof String s) {
            return "the text \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        }
        return value instanceof List ? "a list" : value instanceof Map ? "a mapping" : "the value " + value;
    }
}
