package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.repo.FileEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an export groups a folder's rows into files, and where it stops. */
class ExportShardsTest {
    @TempDir
    Path dir;

    private final List<List<String>> written = new ArrayList<>();

    private ExportShards<String> shards(long maxSplitBytes, long shardBytes) {
        return new ExportShards<>("train", dir, maxSplitBytes, shardBytes, (rows, target) -> {
            written.add(rows);
            Files.writeString(target, String.join(",", rows));
        });
    }

    private static List<FileEntry> file(long size) {
        return List.of(new FileEntry("train/x.png", false, "0".repeat(40), size, null, size));
    }

    @Test
    void rows_areGroupedIntoFilesOfAboutTheShardSize_eachWrittenWhenFull() throws Exception {
        try (ExportShards<String> shards = shards(1000, 100)) {
            assertTrue(shards.add("a", file(60)));
            assertTrue(shards.add("b", file(40)));
            assertEquals(List.of(), written, "nothing written before a file is full");
            assertTrue(shards.add("c", file(150)));
            assertEquals(List.of(List.of("a", "b")), written, "written once the next row would not fit");
            assertTrue(shards.add("d", file(10)));
            DatasetViewer.Converted converted = shards.finish();
            assertEquals(List.of(List.of("a", "b"), List.of("c"), List.of("d")), written,
                    "a row larger than a file's size is a file of its own");
            assertFalse(converted.partial());
            assertEquals(List.of("a,b", "c", "d"), converted.files().stream().map(p -> {
                try {
                    return Files.readString(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList());
        }
    }

    @Test
    void rowsPastTheLimit_areLeftOut_andTheExportIsPartial() throws Exception {
        try (ExportShards<String> shards = shards(100, 1000)) {
            assertTrue(shards.add("a", file(60)));
            assertFalse(shards.add("b", file(50)));
            assertFalse(shards.add("c", file(1)), "nothing after the first row left out, though it would fit");
            DatasetViewer.Converted converted = shards.finish();
            assertTrue(converted.partial());
            assertEquals(List.of(List.of("a")), written);
        }
    }

    @Test
    void aFirstRowOverTheLimit_isTooBig_andAFileOverWhatIsHeldInMemory_refused() throws Exception {
        try (ExportShards<String> shards = shards(100, 1000)) {
            assertFalse(shards.add("a", file(101)));
            assertThrows(ViewerErrors.SplitTooBig.class, shards::finish);
        }
        try (ExportShards<String> shards = shards(Long.MAX_VALUE, Long.MAX_VALUE)) {
            assertThrows(ViewerErrors.FileTooBig.class, () -> shards.add("a", file(MediaFolders.MAX_FILE_BYTES + 1L)));
        }
    }

    @Test
    void anUnfinishedExport_leavesNoFileBehind() throws Exception {
        try (ExportShards<String> shards = shards(1000, 10)) {
            shards.add("a", file(10));
            shards.add("b", file(10));
            assertEquals(1, written.size());
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList());
        }
    }
}
