package dev.atrium.viewer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Which files of a dataset repo make up which split, the way the {@code datasets} library finds them in a repo
 * without a loading script or a {@code configs} section: a split is named by a path segment or a file name word
 * ({@code train}, {@code data/test-00000-of-00001.parquet}, {@code imdb_valid.csv}); when nothing is named, every
 * data file is {@code train}. One format per split: the most common one, as the library refuses mixed ones (so a
 * split of images with a metadata.csv beside them is a folder of images, which the metadata file describes).
 */
public final class DataFiles {
    /** The formats the viewer reads, by file extension. */
    public enum Format {
        PARQUET("parquet"), CSV("csv"), TSV("tsv"), JSON("json", "jsonl", "ndjson"),
        /** Text, a row per line in a {@code text} column, as the datasets library's text builder reads it. */
        TXT("txt"),
        /** WebDataset shards, a row per key of their members ({@link WebDatasets}). */
        WEBDATASET("tar"),
        /** A folder of images, one row each ({@link MediaFolders}). */
        IMAGE("png", "jpg", "jpeg", "gif", "webp", "bmp"),
        /** A folder of sounds, one row each ({@link MediaFolders}). */
        AUDIO("wav", "flac", "mp3", "ogg");

        /** Whether DuckDB reads files of this format as tables. */
        public boolean isTable() {
            return this == PARQUET || this == CSV || this == TSV || this == JSON || this == TXT;
        }

        /** Whether files of this format are one row each rather than tables. */
        public boolean isFolder() {
            return this == IMAGE || this == AUDIO;
        }

        private final List<String> extensions;

        Format(String... extensions) {
            this.extensions = List.of(extensions);
        }

        static Optional<Format> of(String path) {
            String name = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            int dot = name.lastIndexOf('.');
            String extension = dot < 0 ? "" : name.substring(dot + 1);
            for (Format format : values()) {
                if (format.extensions.contains(extension)) {
                    return Optional.of(format);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * A split: its name, the format of its files, and their paths in the repo, sorted; for a folder of images or
     * sounds, also the metadata files among its files ({@link #METADATA}), whose rows are then the split's
     * ({@link FolderMetadata}).
     */
    public record Split(String name, Format format, List<String> paths, List<String> metadata) {
        public Split(String name, Format format, List<String> paths) {
            this(name, format, paths, List.of());
        }

        /**
         * Whether its rows are a table's, which can be searched and filtered: its files', or for a folder its metadata
         * files'.
         */
        public boolean isTable() {
            return format.isTable() || format.isFolder() && !metadata.isEmpty();
        }

        /** Every file of the split, its metadata files included. */
        public List<String> files() {
            List<String> all = new java.util.ArrayList<>(paths);
            all.addAll(metadata);
            return all;
        }
    }

    /** Split names with the words that name them, in the order the viewer lists them. */
    private static final List<Map.Entry<String, List<String>>> KEYWORDS = List.of(
            Map.entry("train", List.of("train", "training")),
            Map.entry("validation", List.of("validation", "valid", "val", "dev")),
            Map.entry("test", List.of("test", "testing", "eval", "evaluation")));

    /** The files that describe a folder of images or sounds, as the datasets library names them. */
    private static final List<String> METADATA = List.of("metadata.csv", "metadata.jsonl", "metadata.parquet");

    private DataFiles() {}

    /** The splits of the files at {@code paths} (a repo's whole tree); empty when none is a data file. */
    public static List<Split> detect(List<String> paths) {
        List<String> data = paths.stream().filter(p -> Format.of(p).isPresent() && !hidden(p)).sorted().toList();
        Map<String, List<String>> bySplit = new LinkedHashMap<>();
        for (String path : data) {
            split(path).ifPresent(s -> bySplit.computeIfAbsent(s, k -> new ArrayList<>()).add(path));
        }
        if (bySplit.isEmpty() && !data.isEmpty()) {
            bySplit.put("train", data);
        }
        List<Split> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> keyword : KEYWORDS) {
            List<String> files = bySplit.get(keyword.getKey());
            if (files != null) {
                out.add(split(keyword.getKey(), files));
            }
        }
        return out;
    }

    /**
     * The split {@code name} of the data files among {@code paths} (sorted), in their most common format; empty when
     * none is a data file.
     */
    static Optional<Split> of(String name, List<String> paths) {
        List<String> data = paths.stream().filter(p -> Format.of(p).isPresent()).sorted().toList();
        return data.isEmpty() ? Optional.empty() : Optional.of(split(name, data));
    }

    private static Split split(String name, List<String> files) {
        // A folder's metadata file never decides the format, as in the library, unless it is all there is.
        List<String> counted = files.stream().filter(p -> !isMetadata(p)).toList();
        Format format = (counted.isEmpty() ? files : counted).stream().map(p -> Format.of(p).orElseThrow())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting())).entrySet().stream()
                .max(Map.Entry.<Format, Long>comparingByValue()
                        .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                .orElseThrow().getKey();
        return new Split(name, format, files.stream().filter(p -> Format.of(p).orElseThrow() == format).toList(),
                format.isFolder() ? files.stream().filter(DataFiles::isMetadata).toList() : List.of());
    }

    static boolean isMetadata(String path) {
        return METADATA.contains(path.substring(path.lastIndexOf('/') + 1));
    }

    /** The split a path names: by its folders first, then by the words of its file name. */
    private static Optional<String> split(String path) {
        String[] segments = path.toLowerCase(Locale.ROOT).split("/");
        for (int i = 0; i < segments.length; i++) {
            String segment = i == segments.length - 1 ? stripExtension(segments[i]) : segments[i];
            for (String word : segment.split("[-._ 0-9]+")) {
                for (Map.Entry<String, List<String>> split : KEYWORDS) {
                    if (split.getValue().contains(word)) {
                        return Optional.of(split.getKey());
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /** Files under a folder starting with a dot or an underscore are not data (.github, __pycache__). */
    private static boolean hidden(String path) {
        for (String segment : path.split("/")) {
            if (segment.startsWith(".") || segment.startsWith("__")) {
                return true;
            }
        }
        return false;
    }
}
