package dev.atrium.xet.cas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atrium.auth.ServerSecret;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class XetTokensTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final String REPO = "0123456789abcdef01234567";
    private static final String USER = "89abcdef0123456789abcdef";
    private static final String TOKEN_ID = "aaaaaaaaaaaaaaaaaaaaaaaa";

    private final ServerSecret secret = new ServerSecret(filled((byte) 3));

    @Test
    void verify_issuedToken_carriesItsGrantAndCredential() {
        XetTokens.Issued issued = at(NOW).issue(REPO, USER, TOKEN_ID, XetGrant.Scope.WRITE);

        assertEquals(Optional.of(new XetGrant(REPO, USER, TOKEN_ID, XetGrant.Scope.WRITE, issued.expiresAt())),
                at(NOW).verify(issued.accessToken()));
        XetTokens.Issued session = at(NOW).issue(REPO, USER, "session:" + TOKEN_ID, XetGrant.Scope.READ);
        assertEquals("session:" + TOKEN_ID, at(NOW).verify(session.accessToken()).orElseThrow().credential());
    }

    @Test
    void verify_editedToken_rejects() {
        String token = at(NOW).issue(REPO, USER, TOKEN_ID, XetGrant.Scope.READ).accessToken();

        // Swapping the credential would let a revoked token's grant ride on a live one.
        assertEquals(Optional.empty(), at(NOW).verify(token.replace(TOKEN_ID, "bbbbbbbbbbbbbbbbbbbbbbbb")));
        assertEquals(Optional.empty(), at(NOW).verify(token.replace(".read.", ".write.")));
        assertEquals(Optional.empty(), at(NOW).verify(token + "x"));
        assertEquals(Optional.empty(), at(NOW).verify("xet_v1." + REPO + "." + USER + ".read.99999999999.sig"));
        assertEquals(Optional.empty(), at(NOW).verify(null));
    }

    @Test
    void verify_afterExpiry_rejects() {
        String token = at(NOW).issue(REPO, USER, "anonymous", XetGrant.Scope.READ).accessToken();

        assertEquals(Optional.empty(), at(NOW.plus(Duration.ofHours(1))).verify(token));
        assertEquals(Optional.empty(), new XetTokens(new ServerSecret(filled((byte) 4)),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1)).verify(token), "another server's secret");
    }

    @Test
    void issue_notACredentialId_throws() {
        assertThrows(IllegalArgumentException.class, () -> at(NOW).issue(REPO, USER, "a.b", XetGrant.Scope.READ));
    }

    private XetTokens at(Instant now) {
        return new XetTokens(secret, Clock.fixed(now, ZoneOffset.UTC), Duration.ofHours(1));
    }

    private static byte[] filled(byte b) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, b);
        return bytes;
    }
}
