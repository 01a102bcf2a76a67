package dev.atrium.web;

import dev.atrium.viewer.DataConfigs;
import dev.atrium.viewer.DataFiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The "pandas" way to use a dataset, as the Hub's dataset pages offer it: its default config's splits by file, and
 * the first one read through {@code hf://} (huggingface_hub's file system, which follows {@code HF_ENDPOINT}). Only
 * for tables: a folder of images has no reader in pandas.
 */
final class PandasSnippet {
    private PandasSnippet() {}

    /** The code, for the dataset {@code id} with {@code configs} (the default first); empty when it has no table. */
    static Optional<String> of(String id, List<DataConfigs.Config> configs) {
        // pandas reads tables: not folders of images or WebDataset shards, nor text a line a row.
        List<DataFiles.Split> tables = configs.isEmpty() ? List.of() : configs.get(0).splits().stream()
                .filter(s -> s.format().isTable() && s.format() != DataFiles.Format.TXT).toList();
        if (tables.isEmpty()) {
            return Optional.empty();
        }
        DataFiles.Split first = tables.get(0);
        String reader = reader(first.paths().get(0));
        List<DataFiles.Split> alike = new ArrayList<>();
        for (DataFiles.Split split : tables) {
            if (reader(split.paths().get(0)).equals(reader)) {
                alike.add(split);
            }
        }
        String splits = alike.stream().map(s -> literal(s.name()) + ": " + literal(s.paths().get(0)))
                .collect(Collectors.joining(", ", "{", "}"));
        String more = first.paths().size() == 1 ? "" : "\n# " + first.name() + " has " + first.paths().size()
                + " files: this reads the first";
        return Optional.of("import pandas as pd\n\nsplits = " + splits + "\ndf = pd." + reader.replace("PATH",
                literal("hf://datasets/" + id + "/") + " + splits[" + literal(first.name()) + "]") + more);
    }

    /** How pandas reads a file like {@code path}, its path in place of {@code PATH}. */
    private static String reader(String path) {
        String name = path.toLowerCase(Locale.ROOT);
        if (name.endsWith(".parquet")) {
            return "read_parquet(PATH)";
        }
        if (name.endsWith(".tsv")) {
            return "read_csv(PATH, sep=\"\\t\")";
        }
        if (name.endsWith(".csv")) {
            return "read_csv(PATH)";
        }
        return name.endsWith(".json") ? "read_json(PATH)" : "read_json(PATH, lines=True)";
    }

    /** A Python string literal of {@code text}. */
    private static String literal(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
