package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atrium.http.Errors;
import dev.atrium.testing.SettableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AuthenticatorTest {
    @TempDir
    Path dir;
    private Jdbi jdbi;
    private Tokens tokens;
    private Authenticator authenticator;
    private SettableClock clock;
    private SshKeys sshKeys;
    private SshLfsGrants grants;
    private User alice;
    private Tokens.Issued token;

    @BeforeEach
    void setUp() {
        jdbi = AuthDb.open(dir);
        clock = new SettableClock(1_700_000_000_000L);
        tokens = new Tokens(jdbi, clock);
        sshKeys = new SshKeys(jdbi, clock);
        grants = new SshLfsGrants(new ServerSecret(new byte[32]), clock);
        authenticator = new Authenticator(tokens, new Users(jdbi, new PasswordHasher(), clock), new Sessions(jdbi, clock),
                sshKeys, grants);
        alice = AuthDb.insertUser(jdbi, "alice", false);
        token = tokens.create(alice, "laptop", TokenRole.WRITE);
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    private void assertAlice(Optional<Principal> principal) {
        Principal p = principal.orElseThrow();
        assertEquals(alice, p.user());
        assertEquals(token.info().id(), p.token().id());
        assertEquals(TokenRole.WRITE, p.token().role());
    }

    @Test
    void authenticate_bearerToken_isItsUser() {
        assertAlice(authenticator.authenticate("Bearer " + token.secret()));
    }

    @Test
    void authenticate_lowercaseOrUppercaseScheme_isAccepted() {
        assertAlice(authenticator.authenticate("bearer " + token.secret()));
        assertAlice(authenticator.authenticate("BEARER " + token.secret()));
        assertAlice(authenticator.authenticate("basic " + basic("x:" + token.secret()).substring(6)));
    }

    @Test
    void authenticate_extraWhitespace_isTolerated() {
        assertAlice(authenticator.authenticate("  Bearer   " + token.secret() + "  "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "git", "anything-at-all", "", "__token__"})
    void authenticate_basicWithAnyUsername_usesThePasswordAsToken(String username) {
        assertAlice(authenticator.authenticate(basic(username + ":" + token.secret())));
    }

    @Test
    void authenticate_readToken_givesPrincipalThatCannotWrite() {
        Tokens.Issued read = tokens.create(alice, "ci", TokenRole.READ);
        Principal p = authenticator.authenticate("Bearer " + read.secret()).orElseThrow();
        assertEquals(false, p.canWrite());
        assertEquals(true, authenticator.authenticate("Bearer " + token.secret()).orElseThrow().canWrite());
    }

    @Test
    void authenticate_absentOrBlankHeader_isAnonymous() {
        assertEquals(Optional.empty(), authenticator.authenticate(null));
        assertEquals(Optional.empty(), authenticator.authenticate(""));
        assertEquals(Optional.empty(), authenticator.authenticate("   "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"garbage", "Bearer", "Bearer ", "Token hf_abc", "Digest username=x",
            "Bearer hf_unknownunknownunknownunknownunknown1", "Basic !!!not-base64!!!", "Basic bm8tY29sb24="})
    void authenticate_garbageOrUnknownCredentials_throwsInvalidCredentials(String header) {
        Errors.InvalidCredentials e = assertThrows(Errors.InvalidCredentials.class,
                () -> authenticator.authenticate(header));
        assertEquals(401, e.status());
    }

    @Test
    void authenticate_basicWithEmptyPassword_throwsInvalidCredentials() {
        assertThrows(Errors.InvalidCredentials.class, () -> authenticator.authenticate(basic("alice:")));
    }

    @Test
    void authenticate_basicWithPasswordInsteadOfToken_throwsInvalidCredentials() {
        assertThrows(Errors.InvalidCredentials.class, () -> authenticator.authenticate(basic("alice:hunter2")));
    }

    @Test
    void authenticate_revokedToken_throwsInvalidCredentials() {
        tokens.revoke(token.info().id());
        assertThrows(Errors.InvalidCredentials.class, () -> authenticator.authenticate("Bearer " + token.secret()));
        assertThrows(Errors.InvalidCredentials.class,
                () -> authenticator.authenticate(basic("alice:" + token.secret())));
    }

    @Test
    void authenticate_deletedUser_throwsInvalidCredentials() {
        // Keep the token row (no cascade) so that only the user lookup can fail.
        jdbi.useHandle(h -> {
            h.execute("PRAGMA foreign_keys = OFF");
            h.createUpdate("DELETE FROM users WHERE id = :id").bind("id", alice.id()).execute();
        });
        assertEquals(true, tokens.authenticate(token.secret()).isPresent());
        assertThrows(Errors.InvalidCredentials.class, () -> authenticator.authenticate("Bearer " + token.secret()));
    }

    private static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG/H2NUbFyVIGstX69iSBz8aIXGaw3BfEZptQvKfZdK1"
            + " alice@laptop";

    @Test
    void sshLfsGrant_actsForItsKey_onItsRepoOnly_untilItExpires() {
        SshKeys.Registered key = sshKeys.add(alice.id(), "laptop", SshPublicKey.parse(ED25519));
        String grant = grants.issue(key.id(), "model", "alice/m", false);
        Principal p = authenticator.authenticate("Bearer " + grant).orElseThrow();
        assertEquals("alice", p.user().name());
        assertEquals(TokenRole.FINE_GRAINED, p.token().role());
        assertEquals("sshkey:" + key.id(), p.token().id(), "signed URLs it earns die with the key");
        TokenScopes.Scoped scope = p.token().scopes().scoped().get(0);
        assertEquals(new TokenScopes.Scoped("model", "alice/m", java.util.Set.of(TokenScopes.READ)), scope);

        assertThrows(Errors.InvalidCredentials.class, () -> authenticator.authenticate("Bearer " + grant + "x"));
        String forged = grant.replace(grant.substring(SshLfsGrants.PREFIX.length(), grant.indexOf('.', SshLfsGrants.PREFIX.length())),
                Base64.getUrlEncoder().withoutPadding().encodeToString(("v1|" + key.id() + "|model|alice/m|upload|"
                        + Long.MAX_VALUE / 2).getBytes(StandardCharsets.US_ASCII)));
        assertThrows(Errors.InvalidCredentials.class, () -> authenticator.authenticate("Bearer " + forged),
                "the payload is signed");
        assertEquals("alice", authenticator.byCredentialId("sshkey:" + key.id()).orElseThrow().user().name());

        clock.advance(SshLfsGrants.TTL.plusSeconds(1));
        assertThrows(Errors.InvalidCredentials.class, () -> authenticator.authenticate("Bearer " + grant), "expired");
        String fresh = grants.issue(key.id(), "model", "alice/m", true);
        assertEquals(TokenRole.FINE_GRAINED, authenticator.authenticate("Bearer " + fresh).orElseThrow().token().role());
        sshKeys.delete(alice.id(), key.id());
        assertThrows(Errors.InvalidCredentials.class, () -> authenticator.authenticate("Bearer " + fresh),
                "removing the key ends its grants");
        assertEquals(Optional.empty(), authenticator.byCredentialId("sshkey:" + key.id()));
    }

    @Test
    void aDeactivatedAccount_signsInByNoCredential_untilReactivated() {
        Users users = new Users(jdbi, new PasswordHasher(), clock);
        Sessions sessions = new Sessions(jdbi, clock);
        Authenticator auth = new Authenticator(tokens, users, sessions, sshKeys, grants);
        Sessions.Started session = sessions.start(alice);
        SshKeys.Registered key = sshKeys.add(alice.id(), "laptop", SshPublicKey.parse(ED25519));

        users.setDeactivated(alice.id(), true);
        assertThrows(Errors.InvalidCredentials.class, () -> auth.authenticate("Bearer " + token.secret()));
        assertEquals(Optional.empty(), auth.authenticate(null, session.secret()));
        assertEquals(Optional.empty(), auth.byCredentialId("sshkey:" + key.id()));
        assertEquals(Optional.empty(), auth.byCredentialId(token.info().id()));
        assertThrows(Errors.InvalidCredentials.class,
                () -> auth.authenticate("Bearer " + grants.issue(key.id(), "model", "alice/m", false)));

        users.setDeactivated(alice.id(), false);
        assertEquals("alice", auth.authenticate("Bearer " + token.secret()).orElseThrow().user().name());
        assertEquals("alice", auth.authenticate(null, session.secret()).orElseThrow().principal().user().name());
    }
}
