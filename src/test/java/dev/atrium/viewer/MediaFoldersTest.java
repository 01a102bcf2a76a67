package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which folders of images or sounds get labels: as the datasets library's imagefolder and audiofolder decide. */
class MediaFoldersTest {

    private static List<String> labels(String... paths) {
        List<String> all = List.of(paths);
        return MediaFolders.labels(List.of(new DataConfigs.Config("default", DataFiles.detect(all))), all);
    }

    @Test
    void foldersOfSeveralNames_atOneDepth_areClassNames_sorted() {
        assertEquals(List.of("cat", "dog"), labels("train/dog/1.png", "train/cat/2.png", "test/cat/3.png"));
        assertEquals(List.of("cat", "dog"), labels("dog/1.png", "cat/2.png"), "without splits too");
        assertEquals(List.of("no", "yes"), labels("train/yes/1.wav", "train/no/2.flac"), "sounds too");
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
