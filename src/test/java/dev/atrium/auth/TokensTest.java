package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.testing.SettableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;
    private Jdbi jdbi;
    private SettableClock clock;
    private Tokens tokens;
    private User alice;

    @BeforeEach
    void setUp() {
        jdbi = AuthDb.open(dir);
        clock = new SettableClock(T0);
        tokens = new Tokens(jdbi, clock);
        alice = AuthDb.insertUser(jdbi, "alice", false);
    }

    private Long lastUsedAt(String tokenId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT last_used_at FROM tokens WHERE id = :id")
                .bind("id", tokenId).mapTo(Long.class).one());
    }

    @Test
    void create_token_hasHfPrefixAnd37Base62Characters() {
        Tokens.Issued issued = tokens.create(alice, "laptop", TokenRole.WRITE);
        assertTrue(issued.secret().matches("hf_[A-Za-z0-9]{37}"), issued.secret());
        assertEquals(40, issued.secret().length());
    }

    @Test
    void create_token_returnsItsInfo() {
        TokenInfo info = tokens.create(alice, "laptop", TokenRole.READ).info();
        assertEquals(alice.id(), info.userId());
        assertEquals("laptop", info.displayName());
        assertEquals(TokenRole.READ, info.role());
        assertEquals(T0, info.createdAt());
        assertNull(info.lastUsedAt());
        assertNull(info.revokedAt());
        assertEquals(24, info.id().length());
    }

    @Test
    void create_twice_givesDifferentSecrets() {
        assertNotEquals(tokens.create(alice, "a", TokenRole.READ).secret(),
                tokens.create(alice, "b", TokenRole.READ).secret());
    }

    @Test
    void create_storedValue_isTheSha256NotTheToken() throws Exception {
        Tokens.Issued issued = tokens.create(alice, "laptop", TokenRole.WRITE);
        Map<String, Object> row = jdbi.withHandle(h -> h.createQuery("SELECT * FROM tokens WHERE id = :id")
                .bind("id", issued.info().id()).mapToMap().one());
        for (Map.Entry<String, Object> column : row.entrySet()) {
            assertFalse(String.valueOf(column.getValue()).contains(issued.secret().substring(3)),
                    "column " + column.getKey() + " holds the token");
        }
        String expectedHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(issued.secret().getBytes(StandardCharsets.UTF_8)));
        assertEquals(expectedHash, row.get("token_hash"));
    }

    @Test
    void authenticate_issuedSecret_findsTheToken() {
        Tokens.Issued issued = tokens.create(alice, "laptop", TokenRole.WRITE);
        TokenInfo found = tokens.authenticate(issued.secret()).orElseThrow();
        assertEquals(issued.info().id(), found.id());
        assertEquals(alice.id(), found.userId());
        assertEquals(TokenRole.WRITE, found.role());
        assertEquals("laptop", found.displayName());
    }

    @Test
    void authenticate_unknownOrAlteredSecret_isEmpty() {
        String secret = tokens.create(alice, "laptop", TokenRole.WRITE).secret();
        char last = secret.charAt(secret.length() - 1);
        String altered = secret.substring(0, secret.length() - 1) + (last == 'a' ? 'b' : 'a');
        assertEquals(Optional.empty(), tokens.authenticate(altered));
        assertEquals(Optional.empty(), tokens.authenticate("hf_" + "x".repeat(37)));
        assertEquals(Optional.empty(), tokens.authenticate(""));
    }

    @Test
    void revoke_token_authenticateIsEmpty() {
        Tokens.Issued issued = tokens.create(alice, "laptop", TokenRole.WRITE);
        assertTrue(tokens.revoke(issued.info().id()));
        assertEquals(Optional.empty(), tokens.authenticate(issued.secret()));
    }

    @Test
    void revoke_twiceOrUnknown_isFalse() {
        Tokens.Issued issued = tokens.create(alice, "laptop", TokenRole.WRITE);
        assertTrue(tokens.revoke(issued.info().id()));
        assertFalse(tokens.revoke(issued.info().id()));
        assertFalse(tokens.revoke("000000000000000000000000"));
    }

    @Test
    void revoke_oneToken_leavesOthersWorking() {
        Tokens.Issued a = tokens.create(alice, "a", TokenRole.WRITE);
        Tokens.Issued b = tokens.create(alice, "b", TokenRole.READ);
        tokens.revoke(a.info().id());
        assertTrue(tokens.authenticate(b.secret()).isPresent());
    }

    @Test
    void authenticate_firstUse_recordsLastUsedAt() {
        Tokens.Issued issued = tokens.create(alice, "laptop", TokenRole.WRITE);
        assertNull(lastUsedAt(issued.info().id()));
        clock.advance(5_000);
        tokens.authenticate(issued.secret());
        assertEquals(T0 + 5_000, lastUsedAt(issued.info().id()));
    }

    @Test
    void authenticate_againWithinAMinute_keepsLastUsedAt() {
        Tokens.Issued issued = tokens.create(alice, "laptop", TokenRole.WRITE);
        tokens.authenticate(issued.secret());
        clock.advance(59_000);
        tokens.authenticate(issued.secret());
        assertEquals(T0, lastUsedAt(issued.info().id()));
    }

    @Test
    void authenticate_againAfterAMinute_updatesLastUsedAt() {
        Tokens.Issued issued = tokens.create(alice, "laptop", TokenRole.WRITE);
        tokens.authenticate(issued.secret());
        clock.advance(61_000);
        TokenInfo seen = tokens.authenticate(issued.secret()).orElseThrow();
        assertEquals(T0, seen.lastUsedAt());
        assertEquals(T0 + 61_000, lastUsedAt(issued.info().id()));
    }

    @Test
    void authenticate_revokedToken_doesNotRecordUse() {
        Tokens.Issued issued = tokens.create(alice, "laptop", TokenRole.WRITE);
        tokens.revoke(issued.info().id());
        tokens.authenticate(issued.secret());
        assertNull(lastUsedAt(issued.info().id()));
    }

    @Test
    void listFor_user_hasOnlyTheirLiveTokensOldestFirst() {
        User bob = AuthDb.insertUser(jdbi, "bob", false);
        Tokens.Issued first = tokens.create(alice, "first", TokenRole.READ);
        clock.advance(1);
        Tokens.Issued second = tokens.create(alice, "second", TokenRole.WRITE);
        clock.advance(1);
        Tokens.Issued revoked = tokens.create(alice, "revoked", TokenRole.WRITE);
        tokens.create(bob, "bob's", TokenRole.WRITE);
        tokens.revoke(revoked.info().id());

        List<String> names = tokens.listFor(alice).stream().map(TokenInfo::displayName).toList();
        assertEquals(List.of("first", "second"), names);
        assertEquals(first.info().id(), tokens.listFor(alice).get(0).id());
        assertEquals(second.info().id(), tokens.listFor(alice).get(1).id());
    }
}
