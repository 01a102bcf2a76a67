package dev.atrium.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Keys exported by gpg 2.2 (src/test/resources/signing, made with gpg --armor --export). */
class GpgPublicKeyTest {

    static String resource(String name) {
        try (InputStream in = GpgPublicKeyTest.class.getResourceAsStream("/signing/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void parse_gpgExport_givesFingerprintKeyIdsOfPrimaryAndSubkeyAndEmail() {
        GpgPublicKey alice = GpgPublicKey.parse(resource("alice.asc"));
        assertEquals("4A0BEDCB9DF4F0D627AD7ABE1373F79311AE689C", alice.fingerprint(), "as gpg --fingerprint shows it");
        assertEquals(List.of("1373F79311AE689C", "207FE878317835EC"), alice.keyIds(), "the primary key, then the"
                + " signing subkey");
        assertEquals(Set.of("alice@atrium.test"), alice.emails());
        assertTrue(alice.key(0x207FE878317835ECL).isPresent());
    }

    @Test
    void parse_refusesWhatIsNotOnePublicKey_sayingWhatToPaste() {
        assertTrue(assertThrows(InvalidGpgKey.class, () -> GpgPublicKey.parse(resource("alice-secret-test-only.asc")))
                .getMessage().startsWith("That is a private key: never share it."));
        assertTrue(assertThrows(InvalidGpgKey.class, () -> GpgPublicKey.parse("ssh-ed25519 AAAAC3Nza alice@laptop"))
                .getMessage().contains("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
        assertThrows(InvalidGpgKey.class, () -> GpgPublicKey.parse("   "));
        assertThrows(InvalidGpgKey.class, () -> GpgPublicKey.parse(null));
        String truncated = resource("alice.asc");
        assertThrows(InvalidGpgKey.class, () -> GpgPublicKey.parse(truncated.substring(0, truncated.length() / 2)
                + "\n-----END PGP PUBLIC KEY BLOCK-----\n"));
        assertEquals("The text holds more than one key: add them one at a time", assertThrows(InvalidGpgKey.class,
                () -> GpgPublicKey.parse(twoKeysInOneBlock())).getMessage());
        assertThrows(InvalidGpgKey.class, () -> GpgPublicKey.parse("-----BEGIN PGP PUBLIC KEY BLOCK-----\n"
                + "x".repeat(GpgPublicKey.MAX_CHARS)));
    }

    @Test
    void expiryAndRevocation_asTheKeysSelfSignaturesSayThem() {
        GpgPublicKey carol = GpgPublicKey.parse(resource("carol-expiring.asc"));
        assertEquals(java.util.Optional.of(java.time.Instant.parse("2026-01-02T00:00:00Z")), carol.expiresAt());
        assertFalse(carol.revoked());
        GpgPublicKey dave = GpgPublicKey.parse(resource("dave-revoked.asc"));
        assertTrue(dave.revoked());
        assertEquals(java.util.Optional.empty(), dave.expiresAt());
        assertFalse(GpgPublicKey.parse(resource("alice.asc")).revoked());
    }

    @Test
    void emailOf_takesTheAddressOfAUserId() {
        assertEquals("alice@atrium.test", GpgPublicKey.emailOf("Alice (work) <Alice@Atrium.test>").orElseThrow());
        assertEquals("bob@example.org", GpgPublicKey.emailOf("bob@example.org").orElseThrow());
        assertTrue(GpgPublicKey.emailOf("Carol").isEmpty());
    }

    /** Both keys' packets under one armor, as gpg --armor --export KEY1 KEY2 writes them. */
    private static String twoKeysInOneBlock() {
        try {
            var out = new java.io.ByteArrayOutputStream();
            try (var armored = new org.bouncycastle.bcpg.ArmoredOutputStream(out)) {
                GpgPublicKey.parse(resource("alice.asc")).ring().encode(armored);
                GpgPublicKey.parse(resource("mallory.asc")).ring().encode(armored);
            }
            return out.toString(StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
