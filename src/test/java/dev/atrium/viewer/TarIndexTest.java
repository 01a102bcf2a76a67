package dev.atrium.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tar archive's members, from its headers alone. */
class TarIndexTest {

    private static List<TarIndex.Member> read(byte[] tar, int max) throws IOException {
        return TarIndex.read((offset, length) -> Arrays.copyOfRange(tar, (int) offset,
                (int) Math.min(tar.length, offset + length)), tar.length, max);
    }

    private static String at(byte[] tar, TarIndex.Member member) {
        return new String(tar, (int) member.offset(), (int) member.size(), StandardCharsets.UTF_8);
    }

    @Test
    void regularFiles_withWhereTheirBytesAre_directoriesPassedOver() throws IOException {
        byte[] tar = new TestTar().entry("a/", '5', new byte[0]).file("a/1.txt", "one").file("a/1.json", "{}")
                .file("a/2.txt", "x".repeat(700)).bytes();
        List<TarIndex.Member> members = read(tar, 100);
        assertEquals(List.of("a/1.txt", "a/1.json", "a/2.txt"), members.stream().map(TarIndex.Member::name).toList());
        assertEquals("one", at(tar, members.get(0)));
        assertEquals("x".repeat(700), at(tar, members.get(2)), "data over one block");
        assertEquals(2, read(tar, 2).size(), "no more than asked for");
    }

    @Test
    void longNames_fromGnuAndPaxHeaders() throws IOException {
        String deep = "deep/".repeat(30) + "000001.jpg";
        byte[] tar = new TestTar().entry("././@LongLink", 'L', (deep + "\0").getBytes(StandardCharsets.UTF_8))
                .file("truncated", "gnu")
                .entry("PaxHeaders/x", 'x', ("30 path=" + "p".repeat(18) + ".txt\n").getBytes(StandardCharsets.UTF_8))
                .file("short", "pax").file("plain.txt", "after").bytes();
        List<TarIndex.Member> members = read(tar, 100);
        assertEquals(List.of(deep, "p".repeat(18) + ".txt", "plain.txt"),
                members.stream().map(TarIndex.Member::name).toList(), "an extended name holds for one member only");
        assertEquals(List.of("gnu", "pax", "after"), members.stream().map(m -> at(tar, m)).toList());
    }

    @Test
    void aWrongChecksum_orNotATar_isMalformed() {
        byte[] tar = new TestTar().file("a.txt", "one").bytes();
        tar[0] = 'b';
        assertThrows(TarIndex.Malformed.class, () -> read(tar, 100));
        byte[] text = "just text, not a tar at all".repeat(40).getBytes(StandardCharsets.UTF_8);
        assertThrows(TarIndex.Malformed.class, () -> read(text, 100));
    }
}
