package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private static final PasswordHasher HASHER = new PasswordHasher();
    // Each hash costs 600,000 PBKDF2 iterations, so the suite shares two.
    private static String first;
    private static String second;

    @BeforeAll
    static void hashTwice() {
        first = HASHER.hash("correct horse battery staple");
        second = HASHER.hash("correct horse battery staple");
    }

    @Test
    void verify_rightPassword_isTrue() {
        assertTrue(HASHER.verify("correct horse battery staple", first));
    }

    @Test
    void verify_wrongPassword_isFalse() {
        assertFalse(HASHER.verify("correct horse battery stapler", first));
        assertFalse(HASHER.verify("", first));
    }

    @Test
    void hash_samePasswordTwice_usesDifferentSalts() {
        assertNotEquals(first, second);
        assertNotEquals(first.split("\\$")[2], second.split("\\$")[2]);
        assertTrue(HASHER.verify("correct horse battery staple", second));
    }

    @Test
    void hash_password_isSchemeIterationsSaltAndKeyWithoutThePassword() {
        String[] parts = first.split("\\$");
        assertEquals(4, parts.length);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertEquals("600000", parts[1]);
        assertEquals(16, java.util.Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, java.util.Base64.getDecoder().decode(parts[3]).length);
        assertFalse(first.contains("correct horse"));
    }

    @Test
    void verify_hashWithOtherIterationCount_usesTheStoredCount() throws Exception {
        // Hashes made before the cost is raised must keep verifying, so verify must read the count it was made with.
        byte[] salt = new byte[16];
        javax.crypto.SecretKeyFactory factory = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] key = factory.generateSecret(
                new javax.crypto.spec.PBEKeySpec("old password".toCharArray(), salt, 1000, 256)).getEncoded();
        java.util.Base64.Encoder b64 = java.util.Base64.getEncoder().withoutPadding();
        String legacy = "pbkdf2-sha256$1000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
        assertTrue(HASHER.verify("old password", legacy));
        assertFalse(HASHER.verify("old passwort", legacy));
    }

    @Test
    void verify_otherScheme_isFalse() {
        assertFalse(HASHER.verify("x", "bcrypt$2b$12$abcdefghijklmnopqrstuv"));
        assertFalse(HASHER.verify("x", "plaintext"));
    }
}
