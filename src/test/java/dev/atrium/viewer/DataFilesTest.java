package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.atrium.viewer.DataFiles.Format;
import dev.atrium.viewer.DataFiles.Split;
import java.util.List;
import org.junit.jupiter.api.Test;

class DataFilesTest {
    @Test
    void textFiles_areSplitsOfText_butLoseATieToTables() {
        assertEquals(List.of(new Split("train", Format.TXT, List.of("train/a.txt", "train/b.txt")),
                        new Split("test", Format.TXT, List.of("test.txt"))),
                DataFiles.detect(List.of("train/a.txt", "train/b.txt", "test.txt", "README.md")));
        assertEquals(List.of(new Split("train", Format.CSV, List.of("data.csv"))),
                DataFiles.detect(List.of("data.csv", "notes.txt")), "one each: the table");
    }

    @Test
    void tarFiles_areWebDatasetShards() {
        assertEquals(List.of(new Split("train", Format.WEBDATASET, List.of("train/shard-00000.tar",
                        "train/shard-00001.tar")), new Split("validation", Format.WEBDATASET, List.of("val.tar"))),
                DataFiles.detect(List.of("train/shard-00001.tar", "train/shard-00000.tar", "val.tar")));
        assertEquals(false, Format.WEBDATASET.isTable());
    }

    @Test
    void pushToHubLayout_givesOneSplitPerName() {
        assertEquals(List.of(
                        new Split("train", Format.PARQUET, List.of("data/train-00000-of-00002.parquet",
                                "data/train-00001-of-00002.parquet")),
                        new Split("test", Format.PARQUET, List.of("data/test-00000-of-00001.parquet"))),
                DataFiles.detect(List.of("README.md", ".gitattributes", "data/test-00000-of-00001.parquet",
                        "data/train-00001-of-00002.parquet", "data/train-00000-of-00002.parquet")));
    }

    @Test
    void folders_andFileNameWords_nameSplits_inTrainValidationTestOrder() {
        assertEquals(List.of(
                        new Split("train", Format.CSV, List.of("imdb_train.csv", "training/more.csv")),
                        new Split("validation", Format.JSON, List.of("dev.jsonl", "valid/part1.json")),
                        new Split("test", Format.TSV, List.of("eval-set.tsv"))),
                DataFiles.detect(List.of("valid/part1.json", "imdb_train.csv", "eval-set.tsv", "dev.jsonl",
                        "training/more.csv", "notes.txt")));
    }

    @Test
    void withoutSplitNames_everyDataFileIsTrain_andWordsInsideWordsDoNotCount() {
        assertEquals(List.of(new Split("train", Format.CSV, List.of("contest.csv", "data/latest.csv"))),
                DataFiles.detect(List.of("data/latest.csv", "contest.csv", "README.md")));
    }

    @Test
    void foldersOfImages_areSplitsOfImages_theirMetadataBeside() {
        assertEquals(List.of(
                        new Split("train", Format.IMAGE, List.of("train/cat/0.png", "train/cat/1.JPG", "train/dog/0.webp"),
                                List.of("train/metadata.csv")),
                        new Split("test", Format.IMAGE, List.of("test/dog/9.png"))),
                DataFiles.detect(List.of("README.md", "train/dog/0.webp", "train/cat/1.JPG", "train/cat/0.png",
                        "test/dog/9.png", "train/metadata.csv")));
        assertEquals(List.of(new Split("train", Format.IMAGE, List.of("train/1.png"), List.of("train/metadata.jsonl"))),
                DataFiles.detect(List.of("train/1.png", "train/metadata.jsonl")), "a metadata file never decides");
        assertEquals(List.of(new Split("train", Format.CSV, List.of("metadata.csv"))),
                DataFiles.detect(List.of("metadata.csv")), "unless it is all there is");
        assertEquals(List.of(new Split("train", Format.AUDIO, List.of("clips/a.wav", "clips/b.flac", "clips/c.mp3"))),
                DataFiles.detect(List.of("clips/c.mp3", "clips/b.flac", "clips/a.wav", "cover.png")), "sounds too");
        assertEquals(List.of(new Split("train", Format.CSV, List.of("data.csv", "more.csv"))),
                DataFiles.detect(List.of("data.csv", "more.csv", "banner.png")), "a picture beside tables is none");
    }

    @Test
    void oneFormatPerSplit_theMostCommon_andHiddenFoldersAreSkipped() {
        assertEquals(List.of(new Split("train", Format.PARQUET, List.of("train/a.parquet", "train/b.parquet"))),
                DataFiles.detect(List.of("train/a.parquet", "train/b.parquet", "train/c.csv",
                        ".github/train.csv", "__pycache__/test.json")));
        assertEquals(List.of(), DataFiles.detect(List.of("README.md", "model.safetensors")));
    }
}
