package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Keys made by OpenSSH's ssh-keygen; fingerprints as its {@code ssh-keygen -l} printed them. */
class SshPublicKeyTest {
    private static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG/H2NUbFyVIGstX69iSBz8aIXGaw3BfEZptQvKfZdK1 alice@lap"
            + "top";
    private static final String RSA_1024 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDCiW7uA6zouqkC3QORTw2y1BKEZEpFFDkLv/wj7vX6rgqNFdrX+Y"
            + "/OrLmxSXB+reiqT0E0Lh8fv7+DVjqQ4tb6G5QwQEAM5NWb6nGg+XTe4rvD2ZtT1GqEpxQGUEhPvA/Lt4TaaJhL0iPh"
            + "qVfb7vlgI/AUaJzUR4EX6vXVcuU8+w== root@vm";
    private static final String RSA_3072 = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQCdgqB87HbEHq0Lk6gUGxhCkLwmc6Mx7HPRin2ynIg5Va/yxkVVAB"
            + "/c71NbiJI+LalwNBKyAfIIU5DI+qpRd0OA3u/lpEGYpD5PXscu/DlGoUreeugNi2DWtR3RbjsjiMjQ4oYJRGP8SoFh"
            + "ZMQhXeQhBqiBvFIX4lBUetPNVnuCknPlYCE36Kqpfpw0PRxvvh1mCHT4txIAEIfACBsHqxU5M0fOO5xvwcmcqTLBzJ"
            + "+piRgZbDmrRxLkCJq1/fKZc3yEMarlj3aw2hLjYW1y4PMrs/+c3Wcag2A1usidoM0869cLAIYQURYcwpq0KwegGji9"
            + "0a1VutzXh/2dFoist/kRRaaQ39Pc7h9SA/f1+UQ6Ykfc2DSnlG4APFubRSTWjWDpKcT59Uc4P6GBS0khsI1a/kZxTB"
            + "oqniddeMBH2d2ykFRlUTxxhlGDP6Dj68yfdTQqy/Mo6XUHzlM73N9emgQJVydPNHTfW7GrBR7cVGK6ShqjlOyOkXxg"
            + "TJGb7lfNd9k= bob";
    private static final String ECDSA_384 = "ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBGrQkmX3913uNEVDSA"
            + "QuX+iofQsYXAQHG9ZggPvUM5eq3hFMpurGzqD3E1WmQb14X+gdxyJy0syrgeTLWE8y9DxWs9bwkZnGETxWmh6ggbRX"
            + "X7p7mAQb7NQQFeYXxI72nQ== ec";

    @Test
    void parse_keysOfEveryCommonType_giveSshKeygensFingerprint() {
        SshPublicKey ed = SshPublicKey.parse(ED25519 + "\n");
        assertEquals("SHA256:AW7UhbCH8NGEph9Ha0H6SCS05kq7FAPrpWa/ri81dBo", ed.fingerprint());
        assertEquals("alice@laptop", ed.comment());
        assertEquals("ssh-ed25519", ed.type());
        assertEquals("SHA256:K9TXAm01yo3WCmoJpwD7mkb+Z/r89HAw/nQ9CTAXPig", SshPublicKey.parse(RSA_3072).fingerprint());
        assertEquals("SHA256:PvhOuQkHFQTAWOnQ1X2EQZTiG6052z/9GzgHKk3ilMg", SshPublicKey.parse(ECDSA_384).fingerprint());
        assertEquals(ed.fingerprint(), SshPublicKey.parse(ed.line()).fingerprint(), "the comment is not the key");
    }

    @Test
    void parse_refusesWeakForeignAndPrivateKeys_sayingWhatToDo() {
        assertTrue(assertThrows(InvalidSshKey.class, () -> SshPublicKey.parse(RSA_1024)).getMessage()
                .startsWith("RSA keys need at least 2048 bits; this one has 1024."));
        assertTrue(assertThrows(InvalidSshKey.class, () -> SshPublicKey.parse(
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----"))
                .getMessage().startsWith("That is a private key"));
        assertTrue(assertThrows(InvalidSshKey.class, () -> SshPublicKey.parse("ssh-dss AAAAB3NzaC1kc3M= old"))
                .getMessage().startsWith("DSA keys are no longer accepted"));
        String[] parts = ED25519.split(" ");
        assertEquals("The key's data is of type 'ssh-ed25519', not ssh-rsa", assertThrows(InvalidSshKey.class,
                () -> SshPublicKey.parse("ssh-rsa " + parts[1])).getMessage());
        assertThrows(InvalidSshKey.class, () -> SshPublicKey.parse("ssh-ed25519 " + parts[1].substring(0, 30)));
        assertThrows(InvalidSshKey.class, () -> SshPublicKey.parse("ssh-ed25519 not*base64"));
        assertThrows(InvalidSshKey.class, () -> SshPublicKey.parse(ED25519 + "\n" + RSA_3072));
        assertThrows(InvalidSshKey.class, () -> SshPublicKey.parse(" "));
    }
}
