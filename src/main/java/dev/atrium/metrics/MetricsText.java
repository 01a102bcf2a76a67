package dev.atrium.metrics;

import java.util.Locale;
import java.util.Map;

/**
 * Prometheus's text exposition format (version 0.0.4), the one every scraper reads: a {@code # HELP} and
 * {@code # TYPE} line per metric, then one line per series, label values escaped.
 */
final class MetricsText {
    private final StringBuilder out = new StringBuilder();

    /** Starts a metric; its series follow. {@code type}: counter, gauge or histogram. */
    MetricsText metric(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One series: {@code name{labels} value}; labels in the order given. */
    MetricsText sample(String name, Map<String, String> labels, double value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> label : labels.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(label.getKey()).append("=\"").append(escape(label.getValue())).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    MetricsText sample(String name, double value) {
        return sample(name, Map.of(), value);
    }

    static String number(double value) {
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%s", value);
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** The label map for {@code pairs} (name, value, name, value...), in that order. */
    static Map<String, String> labels(String... pairs) {
        Map<String, String> labels = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            labels.put(pairs[i], pairs[i + 1]);
        }
        return labels;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
