package dev.atrium.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DirectReadsTest {
    private static final int MIB = 1024 * 1024;
    /** Past the reader's 4 MiB buffer, and not a whole number of blocks. */
    private static final int SIZE = 9 * MIB + 12_345;

    @TempDir
    Path dir;
    private Path file;
    private byte[] content;
    private DirectReads reads;

    @BeforeEach
    void writeFile() throws Exception {
        Optional<DirectReads> probed = DirectReads.probe(dir);
        assumeTrue(probed.isPresent(), "this file system has no O_DIRECT");
        reads = probed.get();
        content = new byte[SIZE];
        new Random(7).nextBytes(content);
        file = dir.resolve("blob");
        Files.write(file, content);
    }

    @ParameterizedTest
    @CsvSource({
        "0, 0",
        "0, 1",
        "0, " + SIZE,
        "1, 4095",
        "4095, 2",
        "4096, 4096",
        // across the first buffer's end
        "4190000, 20000",
        "4194303, 4194306",
        "5000001, 4437776",
    })
    void aRange_readsExactlyItsBytes(long offset, int length) throws Exception {
        try (InputStream in = reads.open(file, offset, length)) {
            assertArrayEquals(Arrays.copyOfRange(content, (int) offset, (int) offset + length), in.readAllBytes());
        }
    }

    @Test
    void aRangePastTheEnd_readsShort() throws Exception {
        try (InputStream in = reads.open(file, SIZE - 10, 100)) {
            assertArrayEquals(Arrays.copyOfRange(content, SIZE - 10, SIZE), in.readAllBytes());
        }
        try (InputStream in = reads.open(file, SIZE + 5000, 100)) {
            assertEquals(-1, in.read());
        }
    }

    @Test
    void singleBytesAndSmallReads_followEachOther() throws Exception {
        int offset = 4 * MIB - 3;
        try (InputStream in = reads.open(file, offset, 10)) {
            assertEquals(content[offset] & 0xff, in.read());
            byte[] next = new byte[4];
            assertEquals(4, in.readNBytes(next, 0, 4));
            assertArrayEquals(Arrays.copyOfRange(content, offset + 1, offset + 5), next);
            assertArrayEquals(Arrays.copyOfRange(content, offset + 5, offset + 10), in.readAllBytes());
            assertEquals(-1, in.read());
        }
    }

    @Test
    void closingTwice_givesTheBufferBackOnce() throws Exception {
        InputStream first = reads.open(file, 0, 100);
        first.close();
        first.close();
        // Were the buffer pooled twice, these two streams would share it and read each other's bytes.
        try (InputStream a = reads.open(file, 0, 2 * MIB); InputStream b = reads.open(file, 6 * MIB, 2 * MIB)) {
            byte[] fromA = a.readNBytes(MIB);
            byte[] fromB = b.readNBytes(MIB);
            assertArrayEquals(Arrays.copyOfRange(content, 0, MIB), fromA);
            assertArrayEquals(Arrays.copyOfRange(content, 6 * MIB, 7 * MIB), fromB);
            assertArrayEquals(Arrays.copyOfRange(content, MIB, 2 * MIB), a.readAllBytes());
        }
    }

    @Test
    void aMissingFile_isNoSuchFile() {
        assertThrows(NoSuchFileException.class, () -> reads.open(dir.resolve("gone"), 0, 1));
    }

    @Test
    void theStore_readsOnceWhatItStored() throws Exception {
        LocalBlobStore store = new LocalBlobStore(dir.resolve("store"));
        Sha256 oid = Sha256.of(content);
        try (InputStream in = Files.newInputStream(file)) {
            store.put(oid, SIZE, in);
        }
        try (InputStream in = store.openOnce(oid, 3, SIZE - 3)) {
            assertArrayEquals(Arrays.copyOfRange(content, 3, SIZE), in.readAllBytes());
        }
    }
}
