package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.card.FrontMatter;
import dev.atrium.viewer.DataConfigs.Config;
import dev.atrium.viewer.DataFiles.Format;
import dev.atrium.viewer.DataFiles.Split;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataConfigsTest {
    private static final List<String> PATHS = List.of("README.md", "data/train-00000-of-00001.parquet",
            "data/test-00000-of-00001.parquet", "extra/train-00000-of-00002.parquet",
            "extra/train-00001-of-00002.parquet", "raw/a.csv", "raw/nested/b.csv", "raw/notes.txt");

    private static Map<String, Object> card(String yaml) {
        return FrontMatter.parse(yaml);
    }

    @Test
    void pushToHubConfigs_areReadAsDeclared_theDefaultFirst() {
        Map<String, Object> card = card("""
                configs:
                - config_name: extra
                  data_files:
                  - split: train
                    path: extra/train-*
                - config_name: default
                  default: true
                  data_files:
                  - split: train
                    path: data/train-*
                  - split: test
                    path: data/test-*
                """);
        assertEquals(List.of(
                new Config("default", List.of(
                        new Split("train", Format.PARQUET, List.of("data/train-00000-of-00001.parquet")),
                        new Split("test", Format.PARQUET, List.of("data/test-00000-of-00001.parquet")))),
                new Config("extra", List.of(new Split("train", Format.PARQUET, List.of(
                        "extra/train-00000-of-00002.parquet", "extra/train-00001-of-00002.parquet"))))),
                DataConfigs.of(card, PATHS));
    }

    @Test
    void dataFiles_asAPattern_aList_orAMapping_andDoubleStarsSpanFolders() {
        assertEquals(List.of(new Config("csv", List.of(new Split("train", Format.CSV,
                        List.of("raw/a.csv", "raw/nested/b.csv"))))),
                DataConfigs.of(card("configs:\n- config_name: csv\n  data_files: raw/**/*.csv\n"), PATHS));
        assertEquals(List.of(new Config("two", List.of(new Split("train", Format.CSV, List.of("raw/a.csv"))))),
                DataConfigs.of(card("configs:\n- config_name: two\n  data_files: [raw/*.csv, none/*.csv]\n"), PATHS));
        assertEquals(List.of(new Config("m", List.of(
                        new Split("train", Format.CSV, List.of("raw/a.csv")),
                        new Split("test", Format.PARQUET, List.of("data/test-00000-of-00001.parquet"))))),
                DataConfigs.of(card("configs:\n- config_name: m\n  data_files:\n    train: raw/?.csv\n"
                        + "    test: [\"./data/test-*\"]\n"), PATHS));
    }

    @Test
    void withoutConfigs_orWithUnusableOnes_theSplitsComeFromFileNames() {
        List<Config> detected = List.of(new Config("default", DataFiles.detect(PATHS)));
        assertEquals(detected, DataConfigs.of(Map.of(), PATHS));
        assertEquals(detected, DataConfigs.of(card("configs:\n- data_files: raw/*.csv\n- config_name: x\n"), PATHS));
        assertEquals(List.of(new Config("empty", List.of())),
                DataConfigs.of(card("configs:\n- config_name: empty\n  data_files: nothing/*\n"), PATHS));
        assertEquals(List.of(), DataConfigs.of(Map.of(), List.of("README.md")));
    }

    @Test
    void globs_matchAsFsspecDoes() {
        assertTrue(DataConfigs.glob("data/*.csv").matcher("data/a.csv").matches());
        assertFalse(DataConfigs.glob("data/*.csv").matcher("data/x/a.csv").matches());
        assertTrue(DataConfigs.glob("**/*.csv").matcher("a.csv").matches());
        assertTrue(DataConfigs.glob("data/**").matcher("data/x/y.json").matches());
        assertTrue(DataConfigs.glob("part-[0-9].json").matcher("part-3.json").matches());
        assertFalse(DataConfigs.glob("part-[!0-9].json").matcher("part-3.json").matches());
        assertFalse(DataConfigs.glob("a.b").matcher("axb").matches());
    }
}
