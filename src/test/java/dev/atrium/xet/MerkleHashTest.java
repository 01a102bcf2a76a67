package dev.atrium.xet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MerkleHashTest {

    private static byte[] counting() {
        byte[] bytes = new byte[32];
        for (int i = 0; i < 32; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    @Test
    void toHex_reversesEachEightByteGroup_asTheSpecExampleDescribes() {
        // api.md: bytes [0..32) print as 0706050403020100 0f0e0d0c0b0a0908 ... (its sample string drops 2 digits)
        assertEquals("0706050403020100" + "0f0e0d0c0b0a0908" + "1716151413121110" + "1f1e1d1c1b1a1918",
                new MerkleHash(counting()).toHex());
    }

    @Test
    void fromHex_isTheInverseOfToHex() {
        MerkleHash hash = new MerkleHash(counting());
        assertEquals(hash, MerkleHash.fromHex(hash.toHex()));
        assertArrayEquals(counting(), MerkleHash.fromHex(hash.toHex()).bytes());
    }

    @Test
    void sha256_storedAsXetCoreStoresIt_printsAsTheOrdinaryDigestHex() throws Exception {
        // xet-core's Sha256Generator: Sha256::from_be_bytes(digest); its test expects hex() == `sha256sum` output.
        byte[] digest = MessageDigest.getInstance("SHA-256").digest("some data".getBytes(StandardCharsets.UTF_8));
        String plainHex = HexFormat.of().formatHex(digest);
        assertEquals("1307990e6ba5ca145eb35e99182a9bec46531bc54ddf656a602c780fa0240dee", plainHex);
        byte[] stored = new byte[32];
        for (int i = 0; i < 32; i++) {
            stored[(i / 8) * 8 + 7 - i % 8] = digest[i];
        }
        assertEquals(plainHex, new MerkleHash(stored).toHex());
        assertArrayEquals(stored, MerkleHash.fromHex(plainHex).bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "0706050403020100",
        "07060504030201000f0e0d0c0b0a0908171615141312111f1e1d1c1b1a1918", // the spec's 62-character sample
        "07060504030201000F0E0D0C0B0A090817161514131211101F1E1D1C1B1A1918", // uppercase
        "07060504030201000f0e0d0c0b0a090817161514131211101f1e1d1c1b1a191g",
        "07060504030201000f0e0d0c0b0a090817161514131211101f1e1d1c1b1a1918 ",
    })
    void fromHex_rejectsAnythingButSixtyFourLowercaseHexDigits(String hex) {
        assertThrows(IllegalArgumentException.class, () -> MerkleHash.fromHex(hex));
    }

    @Test
    void constructor_rejectsWrongLength() {
        assertThrows(IllegalArgumentException.class, () -> new MerkleHash(new byte[31]));
        assertThrows(NullPointerException.class, () -> new MerkleHash(null));
    }

    @Test
    void isAValue_immuneToChangesOfTheArrays() {
        byte[] bytes = counting();
        MerkleHash hash = new MerkleHash(bytes);
        bytes[0] = 99;
        hash.bytes()[1] = 99;
        assertEquals(new MerkleHash(counting()), hash);
        assertEquals(new MerkleHash(counting()).hashCode(), hash.hashCode());
        assertNotEquals(new MerkleHash(new byte[32]), hash);
        assertEquals(hash.toHex(), hash.toString());
    }
}
