package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a folder's metadata names its files, as the datasets library's imagefolder and audiofolder read it. */
class FolderMetadataTest {

    @Test
    void fileNames_areRelativeToTheMetadataFilesFolder() {
        assertEquals(Optional.of("train/a.png"), FolderMetadata.resolve("train/metadata.csv", "a.png"));
        assertEquals(Optional.of("train/img/a.png"), FolderMetadata.resolve("train/metadata.csv", "./img//a.png"));
        assertEquals(Optional.of("train/a.png"), FolderMetadata.resolve("train/metadata.csv", "img/../a.png"));
        assertEquals(Optional.of("img/a.png"), FolderMetadata.resolve("metadata.jsonl", "img\\a.png"));
    }

    @Test
    void fileNames_thatLeaveTheFolder_nameNothing() {
        assertEquals(Optional.empty(), FolderMetadata.resolve("train/metadata.csv", "../test/a.png"));
        assertEquals(Optional.empty(), FolderMetadata.resolve("train/metadata.csv", "img/../../a.png"));
        assertEquals(Optional.empty(), FolderMetadata.resolve("train/metadata.csv", "/etc/passwd"));
        assertEquals(Optional.empty(), FolderMetadata.resolve("train/metadata.csv", "file:///etc/passwd"));
        assertEquals(Optional.empty(), FolderMetadata.resolve("train/metadata.csv", "."));
    }

    @Test
    void textColumnsNamedFileName_becomeImagesOrSounds_andListsOfThemLists() {
        List<DuckTables.Column> columns = List.of(new DuckTables.Column("file_name", "VARCHAR"),
                new DuckTables.Column("text", "VARCHAR"), new DuckTables.Column("mask_file_name", "VARCHAR"),
                new DuckTables.Column("size_file_name", "BIGINT"), new DuckTables.Column("_file_name", "VARCHAR"),
                new DuckTables.Column("file_names", "VARCHAR[]"), new DuckTables.Column("view_file_names", "VARCHAR[]"),
                new DuckTables.Column("file_names_too", "VARCHAR[]"), new DuckTables.Column("x_file_names", "VARCHAR"));
        assertEquals(List.of(new DuckTables.MediaColumn(0, "file_name", "image", false),
                        new DuckTables.MediaColumn(2, "mask_file_name", "mask", false),
                        new DuckTables.MediaColumn(5, "file_names", "images", true),
                        new DuckTables.MediaColumn(6, "view_file_names", "view", true)),
                FolderMetadata.mediaColumns(columns, DataFiles.Format.IMAGE));
        assertEquals("audio", FolderMetadata.mediaColumns(columns, DataFiles.Format.AUDIO).get(0).name());
    }

    @Test
    void eachRow_belongsToTheMetadataFileWhoseRowsItFollows() {
        DataFiles.Split split = new DataFiles.Split("train", DataFiles.Format.IMAGE, List.of(),
                List.of("train/a/metadata.csv", "train/b/metadata.csv", "train/c/metadata.csv"));
        long[] starts = {0, 2, 2};
        assertEquals("train/a/metadata.csv", FolderMetadata.metadataOf(split, starts, 1));
        assertEquals("train/c/metadata.csv", FolderMetadata.metadataOf(split, starts, 2), "b has no rows");
        assertEquals("train/c/metadata.csv", FolderMetadata.metadataOf(split, starts, 9));
    }
}
