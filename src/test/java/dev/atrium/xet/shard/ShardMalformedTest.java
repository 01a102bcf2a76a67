package dev.atrium.xet.shard;

import static dev.atrium.xet.shard.ShardFixtures.CAS_A_CHUNK_0;
import static dev.atrium.xet.shard.ShardFixtures.CAS_A_HEADER;
import static dev.atrium.xet.shard.ShardFixtures.CAS_BOOKEND;
import static dev.atrium.xet.shard.ShardFixtures.CAS_END;
import static dev.atrium.xet.shard.ShardFixtures.FILE_1_HEADER;
import static dev.atrium.xet.shard.ShardFixtures.FILE_1_TERM_0;
import static dev.atrium.xet.shard.ShardFixtures.FILE_BOOKEND;
import static dev.atrium.xet.shard.ShardFixtures.hash;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ShardMalformedTest {

    private static byte[] set(byte[] base, int offset, long value, int width) {
        byte[] copy = base.clone();
        ByteBuffer b = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        if (width == 4) {
            b.putInt(offset, (int) value);
        } else {
            b.putLong(offset, value);
        }
        return copy;
    }

    private static byte[] fill(byte[] base, int offset, int length, byte value) {
        byte[] copy = base.clone();
        Arrays.fill(copy, offset, offset + length, value);
        return copy;
    }

    private static byte[] append(byte[] base, byte[] more) {
        byte[] copy = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, copy, base.length, more.length);
        return copy;
    }

    private static int footer(byte[] full) {
        return full.length - ShardLayout.FOOTER_SIZE;
    }

    private static Arguments bad(String name, Supplier<byte[]> bytes, String messagePart) {
        return Arguments.of(name, bytes, messagePart);
    }

    static Stream<Arguments> malformed() {
        byte[] up = ShardFixtures.upload();
        byte[] full = ShardFixtures.full();
        int f = footer(full);
        int verifiedAndSha = ShardLayout.FILE_FLAG_WITH_VERIFICATION | ShardLayout.FILE_FLAG_WITH_METADATA_EXT;
        return Stream.of(
                bad("empty input", () -> new byte[0], "truncated"),
                bad("wrong magic tag", () -> fill(up, 0, 1, (byte) 'X'), "not a shard"),
                bad("header version 1", () -> set(up, 32, 1, 8), "header version 1"),
                bad("header version 3", () -> set(up, 32, 3, 8), "header version 3"),
                bad("footer_size neither 0 nor 200", () -> set(up, 40, 100, 8), "footer_size is 100"),
                bad("footer announced but absent", () -> set(up, 40, 200, 8), "only 0 bytes follow"),
                bad("footer present but not announced", () -> set(full, 40, 0, 8), "unexpected bytes"),
                bad("bytes after the CAS bookend", () -> append(up, new byte[1]), "unexpected bytes"),
                bad("unknown file flag", () -> set(up, FILE_1_HEADER + 32, verifiedAndSha | 1, 4), "unknown flags"),
                bad("empty chunk range", () -> set(up, FILE_1_TERM_0 + 44, 0, 4), "must be non-empty"),
                bad("reversed chunk range", () -> set(up, FILE_1_TERM_0 + 40, 4, 4), "must be non-empty"),
                bad("term of zero bytes", () -> set(up, FILE_1_TERM_0 + 36, 0, 4), "unpacked length"),
                bad("chunk index past 2^31", () -> set(up, FILE_1_TERM_0 + 44, 0x8000_0000L, 4), "out of range"),
                bad("term naming the bookend hash", () -> fill(up, FILE_1_TERM_0, 32, (byte) -1), "bookend"),
                bad("verification on some files only", () -> new SpecWriter().header(2, 0)
                        .fileHeader(hash(1), ShardLayout.FILE_FLAG_WITH_VERIFICATION, 1).term(hash(2), 0, 5, 0, 1)
                        .hashEntry(hash(3)).fileHeader(hash(4), 0, 1).term(hash(2), 0, 5, 0, 1).bookend().bookend()
                        .bytes(), "1 of 2 files"),
                bad("file bookend with a non-zero tail", () -> set(up, FILE_BOOKEND + 40, 1, 8), "non-zero bytes"),
                bad("CAS bookend with a non-zero tail", () -> set(up, CAS_BOOKEND + 36, 1, 4), "non-zero bytes"),
                bad("xorb without chunks", () -> new SpecWriter().header(2, 0).bookend()
                        .casHeader(hash(1), 0, 0, 0, 0).bookend().bytes(), "lists no chunks"),
                bad("chunk offsets with a gap", () -> set(up, CAS_A_CHUNK_0 + 48 + 32, 65537, 4), "starts at 65537"),
                bad("num_bytes_in_cas not the chunks' sum", () -> set(up, CAS_A_HEADER + 40, 1, 4), "add up to"),
                bad("chunk of zero bytes", () -> set(up, CAS_A_CHUNK_0 + 4 * 48 + 36, 0, 4), "positive u32"),
                bad("file entry count past the size limit", () -> set(up, FILE_1_HEADER + 36, -1, 4), "size limit"),
                bad("chunk entry count past the size limit", () -> set(up, CAS_A_HEADER + 36, -1, 4), "size limit"),
                bad("footer version 2", () -> set(full, f, 2, 8), "footer version 2"),
                bad("wrong file_info_offset", () -> set(full, f + 8, 96, 8), "file_info_offset"),
                bad("wrong cas_info_offset", () -> set(full, f + 16, 48, 8), "cas_info_offset"),
                bad("wrong file_lookup_offset", () -> set(full, f + 24, 0, 8), "file_lookup_offset"),
                bad("wrong chunk_lookup_offset", () -> set(full, f + 56, 0, 8), "chunk_lookup_offset"),
                bad("wrong footer_offset", () -> set(full, f + 192, 0, 8), "footer_offset"),
                bad("no lookup tables but an offset to one", () -> set(ShardFixtures.footerWithoutTables(),
                        ShardFixtures.footerWithoutTables().length - ShardLayout.FOOTER_SIZE + 40, 8, 8),
                        "file_lookup_offset is 0"),
                bad("absurd lookup count", () -> set(full, f + 32, 1L << 40, 8), "cannot fit"),
                bad("lookup counts not matching the bytes", () -> set(full, f + 64, 7, 8), "lookup tables end"),
                bad("file lookup pointing into a file block", () -> set(full, CAS_END + 8, 1, 4), "not a file header"),
                bad("file lookup with a wrong key", () -> set(full, CAS_END, 12345, 8), "wrong key"),
                bad("unsorted file lookup", () -> swapFileLookup(full), "not sorted"),
                bad("chunk lookup pointing past the xorb", () -> set(full, CAS_END + 48 + 12, 9, 4), "no chunk"),
                bad("negative lookup index", () -> set(full, CAS_END + 8, -1, 4), "out of range"));
    }

    private static byte[] swapFileLookup(byte[] full) {
        byte[] copy = full.clone();
        System.arraycopy(full, CAS_END, copy, CAS_END + 12, 12);
        System.arraycopy(full, CAS_END + 12, copy, CAS_END, 12);
        return copy;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void isRejected_withAMessageSayingWhy(String name, Supplier<byte[]> bytes, String messagePart) {
        ShardFormatException e = assertThrows(ShardFormatException.class, () -> ShardParser.parse(bytes.get()));
        assertTrue(e.getMessage().contains(messagePart), () -> "message was: " + e.getMessage());
    }

    static Stream<Arguments> valid() {
        return Stream.of(Arguments.of("upload", ShardFixtures.upload()), Arguments.of("full", ShardFixtures.full()),
                Arguments.of("dedup", ShardFixtures.dedup()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void everyTruncation_isRejected(String name, byte[] bytes) {
        for (int length = 0; length < bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            assertThrows(ShardFormatException.class, () -> ShardParser.parse(prefix), "prefix of " + length);
        }
    }

    @Test
    void shardLargerThanTheLimit_isRejected() {
        byte[] up = ShardFixtures.upload();
        ShardFormatException e = assertThrows(ShardFormatException.class,
                () -> ShardParser.parse(new ByteArrayInputStream(up), up.length - 1));
        assertTrue(e.getMessage().contains("size limit"), e.getMessage());
    }

    @Test
    void tailLargerThanTheLimit_isRejected() {
        byte[] full = ShardFixtures.full();
        ShardFormatException e = assertThrows(ShardFormatException.class,
                () -> ShardParser.parse(new ByteArrayInputStream(full), CAS_END + 100));
        assertTrue(e.getMessage().contains("size limit"), e.getMessage());
    }

    @Test
    void shardAtExactlyTheLimit_isAccepted() throws Exception {
        byte[] full = ShardFixtures.full();
        ShardParser.parse(new ByteArrayInputStream(full), full.length);
    }

    @Test
    void defaultLimit_isSixtyFourMebibytes() {
        assertTrue(ShardLayout.MAX_SHARD_BYTES == 64L * 1024 * 1024);
    }
}
