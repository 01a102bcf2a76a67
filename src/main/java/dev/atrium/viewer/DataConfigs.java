package dev.atrium.viewer;

import dev.atrium.viewer.DataFiles.Split;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A dataset's configs, as {@code load_dataset} sees them: those its README's {@code configs:} section declares
 * ({@code config_name}, {@code data_files} as a pattern, a list of patterns, a list of {@code {split, path}} or a
 * mapping of split to patterns; the one marked {@code default: true} first), or else one config, {@code default},
 * with the splits {@link DataFiles#detect} finds from file names. Patterns are globs over repo paths ({@code *}
 * within a folder, {@code **} across folders).
 */
public final class DataConfigs {
    /** A config and its splits, in the order declared. */
    public record Config(String name, List<Split> splits) {}

    private DataConfigs() {}

    public static List<Config> of(Map<String, Object> card, List<String> paths) {
        List<Config> declared = new ArrayList<>();
        if (card.get("configs") instanceof List<?> configs) {
            for (Object entry : configs) {
                if (entry instanceof Map<?, ?> config && config.get("config_name") instanceof String name
                        && config.containsKey("data_files")) {
                    Config parsed = new Config(name, splits(config.get("data_files"), paths));
                    if (Boolean.TRUE.equals(config.get("default"))) {
                        declared.add(0, parsed);
                    } else {
                        declared.add(parsed);
                    }
                }
            }
        }
        if (!declared.isEmpty()) {
            return declared;
        }
        List<Split> detected = DataFiles.detect(paths);
        return detected.isEmpty() ? List.of() : List.of(new Config("default", detected));
    }

    /** The splits {@code dataFiles} (any of the forms the datasets library accepts) names among {@code paths}. */
    private static List<Split> splits(Object dataFiles, List<String> paths) {
        Map<String, List<String>> patterns = new LinkedHashMap<>();
        if (dataFiles instanceof String pattern) {
            patterns.put("train", List.of(pattern));
        } else if (dataFiles instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof String pattern) {
                    patterns.computeIfAbsent("train", k -> new ArrayList<>()).add(pattern);
                } else if (item instanceof Map<?, ?> split && split.get("split") instanceof String name) {
                    patterns.computeIfAbsent(name, k -> new ArrayList<>()).addAll(strings(split.get("path")));
                }
            }
        } else if (dataFiles instanceof Map<?, ?> map) {
            map.forEach((split, value) -> patterns.computeIfAbsent(String.valueOf(split), k -> new ArrayList<>())
                    .addAll(strings(value)));
        }
        List<Split> out = new ArrayList<>();
        patterns.forEach((name, globs) -> {
            List<Pattern> compiled = globs.stream().map(DataConfigs::glob).toList();
            DataFiles.of(name, paths.stream().filter(p -> compiled.stream().anyMatch(g -> g.matcher(p).matches()))
                    .toList()).ifPresent(out::add);
        });
        return out;
    }

    private static List<String> strings(Object value) {
        if (value instanceof String s) {
            return List.of(s);
        }
        List<String> out = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.stream().filter(String.class::isInstance).map(String.class::cast).forEach(out::add);
        }
        return out;
    }

    /** A glob as fsspec reads it in {@code data_files}: {@code **} spans folders, {@code *} and {@code ?} do not. */
    static Pattern glob(String glob) {
        String g = glob.startsWith("./") ? glob.substring(2) : glob;
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
                boolean slash = i + 2 < g.length() && g.charAt(i + 2) == '/';
                regex.append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else if (c == '[') {
                int end = g.indexOf(']', i + 1);
                if (end < 0) {
                    regex.append("\\[");
                } else {
                    String set = g.substring(i + 1, end);
                    regex.append('[').append(set.startsWith("!") ? "^" + quoteSet(set.substring(1)) : quoteSet(set))
                            .append(']');
                    i = end;
                }
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static String quoteSet(String set) {
        return set.replace("\\", "\\\\").replace("[", "\\[").replace("&", "\\&");
    }

    static Optional<Config> find(List<Config> configs, String name) {
        return configs.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
