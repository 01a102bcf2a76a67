package dev.atrium.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.viewer.DataConfigs;
import dev.atrium.viewer.DataFiles;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pandas snippet of a dataset page, for the splits the viewer finds. */
class PandasSnippetTest {

    private static Optional<String> of(String... paths) {
        return PandasSnippet.of("alice/ds", List.of(new DataConfigs.Config("default", DataFiles.detect(List.of(paths)))));
    }

    @Test
    void eachSplitByItsFile_theFirstRead() {
        assertEquals(Optional.of("""
                import pandas as pd

                splits = {"train": "data/train.csv", "test": "data/test.csv"}
                df = pd.read_csv("hf://datasets/alice/ds/" + splits["train"])"""), of("data/train.csv", "data/test.csv"));
    }

    @Test
    void aSplitOfSeveralFiles_saysItReadsTheFirst() {
        assertEquals(Optional.of("""
                import pandas as pd

                splits = {"train": "data/train-00000-of-00002.parquet"}
                df = pd.read_parquet("hf://datasets/alice/ds/" + splits["train"])
                # train has 2 files: this reads the first"""),
                of("data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet"));
    }

    @Test
    void theReader_followsTheFormat() {
        assertEquals("df = pd.read_json(\"hf://datasets/alice/ds/\" + splits[\"train\"], lines=True)",
                of("train.jsonl").orElseThrow().lines().toList().get(3));
        assertEquals("df = pd.read_csv(\"hf://datasets/alice/ds/\" + splits[\"train\"], sep=\"\\t\")",
                of("train.tsv").orElseThrow().lines().toList().get(3));
        assertEquals("splits = {\"train\": \"train.jsonl\"}", of("train.jsonl", "test.json").orElseThrow()
                .lines().toList().get(2), "a split pandas reads otherwise is left out");
    }

    @Test
    void folders_haveNone() {
        assertEquals(Optional.empty(), of("train/cat/1.png", "train/dog/2.png"));
        assertEquals(Optional.empty(), PandasSnippet.of("alice/ds", List.of()));
    }
}
