package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which folders of images or sounds get labels: as the datasets library's imagefolder and audiofolder decide. */
class MediaFoldersTest {

    private static List<String> labels(String... paths) {
        List<String> all = List.of(paths);
        return MediaFolders.labels(List.of(new DataConfigs.Config("default", DataFiles.detect(all))));
    }

    @Test
    void foldersOfSeveralNames_atOneDepth_areClassNames_sorted() {
        assertEquals(List.of("cat", "dog"), labels("train/dog/1.png", "train/cat/2.png", "test/cat/3.png"));
        assertEquals(List.of("cat", "dog"), labels("dog/1.png", "cat/2.png"), "without splits too");
        assertEquals(List.of("no", "yes"), labels("train/yes/1.wav", "train/no/2.flac"), "sounds too");
    }

    @Test
    void statistics_countEachClass_mostFrequentFirst() {
        DataFiles.Split train = DataFiles.detect(List.of("train/dog/1.png", "train/cat/2.png", "train/dog/3.png",
                "train/ant/4.png")).get(0);
        SplitStatistics.Result result = MediaFolders.statistics(train, List.of("ant", "bee", "cat", "dog"));
        assertEquals(4, result.numExamples());
        assertEquals(List.of(new SplitStatistics.Column("label", SplitStatistics.Kind.CLASS_LABEL, 0, 0.0, null,
                java.util.Map.of("dog", 2L, "ant", 1L, "cat", 1L))), result.columns());
        assertEquals(List.of("dog", "ant", "cat"), List.copyOf(result.columns().get(0).frequencies().keySet()));
        assertEquals(List.of(), MediaFolders.statistics(train, List.of()).columns(), "without labels, nothing");
    }

    @Test
    void noLabels_forOneFolder_mixedDepths_orAMetadataFile() {
        assertEquals(List.of(), labels("images/1.png", "images/2.png"), "one name is no class");
        assertEquals(List.of(), labels("train/cat/1.png", "train/dog/sub/2.png"), "files at two depths");
        assertEquals(List.of(), labels("train/cat/1.png", "train/dog/2.png", "train/metadata.csv"),
                "a metadata file gives columns instead");
        assertEquals(List.of(), labels("data.csv"), "no images");
    }
}
