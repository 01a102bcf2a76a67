package dev.atrium.xet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class MerkleHashTest {

    @Test
    void hex_specExample_reversesEachEightByteGroup() {
        // api.md, "Converting Hashes to Strings": raw bytes 0..31 print as this string, not as 000102...1f.
        byte[] raw = new byte[32];
        for (int i = 0; i < 32; i++) {
            raw[i] = (byte) i;
        }
        MerkleHash hash = MerkleHash.fromBytes(raw);
        assertEquals("07060504030201000f0e0d0c0b0a090817161514131211101f1e1d1c1b1a1918", hash.hex());
        assertNotEquals(HexFormat.of().formatHex(raw), hash.hex());
    }

    @Test
    void hex_xetCoreVector_matchesReference() {
        // xet-core merklehash/data_hash.rs tests: these raw bytes print as this string.
        int[] rawValues = {22, 175, 58, 132, 4, 75, 131, 214, 190, 153, 138, 66, 226, 3, 153, 242, 204, 86, 80, 234,
            249, 153, 80, 99, 159, 80, 65, 138, 236, 231, 149, 78};
        byte[] raw = new byte[32];
        for (int i = 0; i < 32; i++) {
            raw[i] = (byte) rawValues[i];
        }
        String expected = "d6834b04843aaf16f29903e2428a99be635099f9ea5056cc4e95e7ec8a41509f";
        assertEquals(expected, MerkleHash.fromBytes(raw).hex());
        assertArrayEquals(raw, MerkleHash.parse(expected).toBytes());
    }

    @Test
    void parse_hexRoundTrip_isIdentity() {
        String hex = "eea25d6ee393ccae385820daed127b96ef0ea034dfb7cf6da3a950ce334b7632";
        MerkleHash hash = MerkleHash.parse(hex);
        assertEquals(hex, hash.hex());
        assertEquals(hex, hash.toString());
        assertEquals(hash, MerkleHash.fromBytes(hash.toBytes()));
    }

    @Test
    void parse_upperCase_acceptedAndPrintedLower() {
        String lower = "eea25d6ee393ccae385820daed127b96ef0ea034dfb7cf6da3a950ce334b7632";
        assertEquals(MerkleHash.parse(lower), MerkleHash.parse(lower.toUpperCase()));
        assertEquals(lower, MerkleHash.parse(lower.toUpperCase()).hex());
    }

    @Test
    void equals_sameBytes_equalAndSameHashCode() {
        byte[] raw = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        MerkleHash a = MerkleHash.fromBytes(raw);
        MerkleHash b = MerkleHash.fromBytes(raw.clone());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        raw[31] ^= 1;
        assertNotEquals(a, MerkleHash.fromBytes(raw));
    }

    @Test
    void zero_isAllZeroBytes() {
        assertArrayEquals(new byte[32], MerkleHash.ZERO.toBytes());
        assertEquals("0".repeat(64), MerkleHash.ZERO.hex());
    }

    @Test
    void fromBytes_offset_readsThatWindow() {
        byte[] buffer = new byte[40];
        buffer[5] = 7;
        MerkleHash hash = MerkleHash.fromBytes(buffer, 5);
        assertEquals(7L, hash.word0());
        byte[] out = new byte[40];
        hash.writeTo(out, 5);
        assertArrayEquals(buffer, out);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "abc", "g000000000000000000000000000000000000000000000000000000000000000",
        "00000000000000000000000000000000000000000000000000000000000000000",
        "000000000000000000000000000000000000000000000000000000000000000 ",
        "-00000000000000000000000000000000000000000000000000000000000000f",
        "\u0663000000000000000000000000000000000000000000000000000000000000"})
    void parseOrNull_notSixtyFourHexDigits_null(String text) {
        assertNull(MerkleHash.parseOrNull(text));
        assertThrows(IllegalArgumentException.class, () -> MerkleHash.parse(text));
    }

    @Test
    void fromBytes_wrongLength_rejected() {
        assertThrows(IllegalArgumentException.class, () -> MerkleHash.fromBytes(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> MerkleHash.fromBytes(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> MerkleHash.fromBytes(new byte[40], 9));
    }
}
