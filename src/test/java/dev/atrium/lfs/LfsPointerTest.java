package dev.atrium.lfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.storage.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LfsPointerTest {
    private static final String HEX = "4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393";
    private static final String CANONICAL = "version https://git-lfs.github.com/spec/v1\n"
            + "oid sha256:" + HEX + "\n"
            + "size 12345\n";

    private static Optional<LfsPointer> parse(String text) {
        return LfsPointer.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encode_pointer_isCanonicalSpecText() {
        byte[] encoded = new LfsPointer(new Sha256(HEX), 12345).encode();
        assertArrayEquals(CANONICAL.getBytes(StandardCharsets.US_ASCII), encoded);
    }

    @Test
    void parse_canonicalPointer_readsOidAndSize() {
        assertEquals(Optional.of(new LfsPointer(new Sha256(HEX), 12345)), parse(CANONICAL));
    }

    @Test
    void parse_encodedPointer_roundTrips() {
        LfsPointer pointer = new LfsPointer(Sha256.of("hello".getBytes(StandardCharsets.UTF_8)), 5);
        assertEquals(Optional.of(pointer), LfsPointer.parse(pointer.encode()));
        LfsPointer empty = new LfsPointer(Sha256.of(new byte[0]), 0);
        assertEquals(Optional.of(empty), LfsPointer.parse(empty.encode()));
        LfsPointer huge = new LfsPointer(new Sha256(HEX), Long.MAX_VALUE);
        assertEquals(Optional.of(huge), LfsPointer.parse(huge.encode()));
    }

    @Test
    void parse_preReleaseHawserVersion_isAccepted() {
        String text = CANONICAL.replace("https://git-lfs.github.com/spec/v1", "https://hawser.github.com/spec/v1");
        assertEquals(Optional.of(new LfsPointer(new Sha256(HEX), 12345)), parse(text));
    }

    @Test
    void parse_extensionKeyLine_isAccepted() {
        String text = "version https://git-lfs.github.com/spec/v1\n"
                + "ext-0-foo sha256:" + HEX + "\n"
                + "oid sha256:" + HEX + "\n"
                + "size 1\n";
        assertEquals(Optional.of(new LfsPointer(new Sha256(HEX), 1)), parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://git-lfs.github.com/spec/v2", "https://git-lfs.github.com/spec/v1/",
            "HTTPS://git-lfs.github.com/spec/v1", "http://git-lfs.github.com/spec/v1"})
    void parse_wrongVersion_isEmpty(String version) {
        assertEquals(Optional.empty(), parse(CANONICAL.replace("https://git-lfs.github.com/spec/v1", version)));
    }

    @Test
    void parse_versionNotFirst_isEmpty() {
        String text = "oid sha256:" + HEX + "\nversion https://git-lfs.github.com/spec/v1\nsize 1\n";
        assertEquals(Optional.empty(), parse(text));
    }

    @Test
    void parse_uppercaseOid_isEmpty() {
        assertEquals(Optional.empty(), parse(CANONICAL.replace(HEX, HEX.toUpperCase())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"oid sha256:4d7a", "oid sha1:4d7a214614ab2935c943f9e0ff69d22eadbb8f32",
            "oid sha256:zz7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"})
    void parse_malformedOid_isEmpty(String oidLine) {
        assertEquals(Optional.empty(), parse(CANONICAL.replace("oid sha256:" + HEX, oidLine)));
    }

    @Test
    void parse_missingSize_isEmpty() {
        assertEquals(Optional.empty(), parse("version https://git-lfs.github.com/spec/v1\noid sha256:" + HEX + "\n"));
        assertEquals(Optional.empty(),
                parse("version https://git-lfs.github.com/spec/v1\noid sha256:" + HEX + "\next-0-x y\n"));
    }

    @Test
    void parse_missingOid_isEmpty() {
        assertEquals(Optional.empty(), parse("version https://git-lfs.github.com/spec/v1\nsize 1\next-0-x y\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"size -1", "size 12a", "size ", "size 1.5", "size 99999999999999999999"})
    void parse_badSize_isEmpty(String sizeLine) {
        assertEquals(Optional.empty(), parse(CANONICAL.replace("size 12345", sizeLine)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"junk", "Hello World", "KEY value", "\tsize 1", "", "key_with_underscore x"})
    void parse_extraJunkLine_isEmpty(String junk) {
        String text = "version https://git-lfs.github.com/spec/v1\n"
                + "oid sha256:" + HEX + "\n"
                + junk + "\n"
                + "size 12345\n";
        assertEquals(Optional.empty(), parse(text));
    }

    @Test
    void parse_missingTrailingNewline_isEmpty() {
        assertEquals(Optional.empty(), parse(CANONICAL.substring(0, CANONICAL.length() - 1)));
    }

    @Test
    void parse_crlfLineEndings_isEmpty() {
        assertEquals(Optional.empty(), parse(CANONICAL.replace("\n", "\r\n")));
    }

    @Test
    void parse_largerThan1024Bytes_isEmpty() {
        String padding = "ext-0-pad " + "x".repeat(LfsPointer.MAX_POINTER_SIZE) + "\n";
        String text = "version https://git-lfs.github.com/spec/v1\n" + padding + "oid sha256:" + HEX + "\nsize 1\n";
        assertTrue(text.length() > LfsPointer.MAX_POINTER_SIZE);
        assertEquals(Optional.empty(), parse(text));
    }

    @Test
    void parse_exactly1024Bytes_isAccepted() {
        String head = "version https://git-lfs.github.com/spec/v1\n";
        String tail = "oid sha256:" + HEX + "\nsize 1\n";
        int padLength = LfsPointer.MAX_POINTER_SIZE - head.length() - tail.length() - "ext-0-pad \n".length();
        String text = head + "ext-0-pad " + "x".repeat(padLength) + "\n" + tail;
        assertEquals(LfsPointer.MAX_POINTER_SIZE, text.length());
        assertEquals(Optional.of(new LfsPointer(new Sha256(HEX), 1)), parse(text));
    }

    @Test
    void parse_ordinaryTextOrEmpty_isEmpty() {
        assertEquals(Optional.empty(), parse(""));
        assertEquals(Optional.empty(), parse("# My model\n\nSome text\n"));
        assertEquals(Optional.empty(), LfsPointer.parse(new byte[] {0, 1, 2, 3}));
    }
}
