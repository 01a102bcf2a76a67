package dev.atrium.lfs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.ServerSecret;
import dev.atrium.storage.Sha256;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TransferSignerTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Sha256 OID = Sha256.of("hello".getBytes(StandardCharsets.UTF_8));
    private static final Sha256 OTHER = Sha256.of("other".getBytes(StandardCharsets.UTF_8));

    private static final String CRED = "0123456789abcdef01234567";

    private final ServerSecret secret = new ServerSecret(key((byte) 1));
    private final TransferSigner signer = signerAt(NOW, secret);

    @Test
    void verify_untouchedGrant_accepts() {
        TransferSigner.Grant grant = signer.sign(TransferSigner.Operation.UPLOAD, "repo1", CRED, OID, 5);

        assertTrue(signer.verify(TransferSigner.Operation.UPLOAD, "repo1", CRED, OID, 5,
                String.valueOf(grant.expiresAt()), grant.signature()));
    }

    @Test
    void verify_anyOtherField_rejects() {
        TransferSigner.Grant grant = signer.sign(TransferSigner.Operation.UPLOAD, "repo1", CRED, OID, 5);
        String expires = String.valueOf(grant.expiresAt());

        assertFalse(signer.verify(TransferSigner.Operation.DOWNLOAD, "repo1", CRED, OID, 5, expires, grant.signature()));
        assertFalse(signer.verify(TransferSigner.Operation.UPLOAD, "repo2", CRED, OID, 5, expires, grant.signature()));
        assertFalse(signer.verify(TransferSigner.Operation.UPLOAD, "repo1", CRED, OTHER, 5, expires, grant.signature()));
        assertFalse(signer.verify(TransferSigner.Operation.UPLOAD, "repo1", CRED, OID, 6, expires, grant.signature()));
        // Another credential: a grant cannot be passed off as someone else's, whose token may still be live.
        assertFalse(signer.verify(TransferSigner.Operation.UPLOAD, "repo1", "anonymous", OID, 5, expires,
                grant.signature()));
        assertFalse(signer.verify(TransferSigner.Operation.UPLOAD, "repo1", null, OID, 5, expires, grant.signature()));
        assertFalse(signer.verify(TransferSigner.Operation.UPLOAD, "repo1", CRED, OID, 5,
                String.valueOf(grant.expiresAt() + 3600), grant.signature()));
    }

    @Test
    void verify_afterExpiry_rejects() {
        TransferSigner.Grant grant = signer.sign(TransferSigner.Operation.DOWNLOAD, "repo1", CRED, OID, 5);
        TransferSigner later = signerAt(NOW.plus(Duration.ofHours(1)).plusSeconds(1), secret);

        assertFalse(later.verify(TransferSigner.Operation.DOWNLOAD, "repo1", CRED, OID, 5,
                String.valueOf(grant.expiresAt()), grant.signature()));
    }

    @Test
    void verify_otherServerKey_rejects() {
        TransferSigner.Grant grant = signer.sign(TransferSigner.Operation.UPLOAD, "repo1", CRED, OID, 5);
        TransferSigner other = signerAt(NOW, new ServerSecret(key((byte) 2)));

        assertFalse(other.verify(TransferSigner.Operation.UPLOAD, "repo1", CRED, OID, 5,
                String.valueOf(grant.expiresAt()), grant.signature()));
    }

    @Test
    void verify_missingOrGarbageParameters_rejects() {
        assertFalse(signer.verify(TransferSigner.Operation.UPLOAD, "repo1", CRED, OID, 5, null, null));
        assertFalse(signer.verify(TransferSigner.Operation.UPLOAD, "repo1", CRED, OID, 5, "soon", "abc"));
        assertFalse(signer.verify(TransferSigner.Operation.UPLOAD, "repo1", CRED, OID, 5, "99999999999", ""));
    }

    @Test
    void sign_grantQuery_isUrlSafe() {
        TransferSigner.Grant grant = signer.sign(TransferSigner.Operation.UPLOAD, "repo1", CRED, OID, 5);

        assertTrue(grant.query().matches("cred=[0-9a-f]{24}&expires=\\d+&signature=[A-Za-z0-9_-]+"), grant.query());
        assertNotEquals(grant, signer.sign(TransferSigner.Operation.VERIFY, "repo1", CRED, OID, 5));
    }

    private static TransferSigner signerAt(Instant now, ServerSecret secret) {
        return new TransferSigner(secret, Clock.fixed(now, ZoneOffset.UTC), Duration.ofHours(1));
    }

    private static byte[] key(byte fill) {
        byte[] key = new byte[32];
        Arrays.fill(key, fill);
        return key;
    }
}
