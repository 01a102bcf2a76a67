package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenScopesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final User ALICE = new User("a".repeat(24), "alice", "a@example.com", "Alice", false, 0);

    private static Repo repo(String id, boolean isPrivate) {
        return new Repo(id.hashCode() + "r".repeat(14), RepoType.MODEL, RepoId.parse(id), isPrivate, null, 0, 0);
    }

    private static TokenScopes scopes(String json) throws Exception {
        return TokenScopes.parse(JSON.readTree(json));
    }

    @Test
    void repoScope_allowsThatRepoOnly_andWriteImpliesRead() throws Exception {
        TokenScopes s = scopes("{\"scoped\": [{\"entity\": {\"type\": \"model\", \"name\": \"alice/a\"},"
                + " \"permissions\": [\"repo.write\"]}]}");
        assertTrue(s.allows(TokenScopes.WRITE, repo("alice/a", true)));
        assertTrue(s.allows(TokenScopes.READ, repo("alice/a", true)));
        assertFalse(s.allows(TokenScopes.WRITE, repo("alice/b", true)));
        assertFalse(s.allowsNamespace(TokenScopes.WRITE, "alice"));
    }

    @Test
    void namespaceScope_coversItsRepos_globalReadOnlyPublicOnes() throws Exception {
        TokenScopes s = scopes("{\"global\": [\"repo.content.read\"], \"scoped\": [{\"entity\": {\"type\": \"org\","
                + " \"name\": \"acme\"}, \"permissions\": [\"repo.content.read\"]}]}");
        assertTrue(s.allows(TokenScopes.READ, repo("acme/x", true)));
        assertFalse(s.allows(TokenScopes.WRITE, repo("acme/x", true)));
        assertTrue(s.allows(TokenScopes.READ, repo("bob/public", false)));
        assertFalse(s.allows(TokenScopes.READ, repo("bob/private", true)));
    }

    @Test
    void parse_refusesMalformedScopes_andRoundTrips() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> scopes("[]"));
        assertThrows(IllegalArgumentException.class, () -> scopes("{\"scoped\": [{\"entity\": {\"type\": \"team\","
                + " \"name\": \"x\"}, \"permissions\": []}]}"));
        assertThrows(IllegalArgumentException.class, () -> scopes("{\"global\": \"repo.write\"}"));
        TokenScopes s = scopes("{\"canReadGatedRepos\": true, \"scoped\": [{\"entity\": {\"type\": \"user\","
                + " \"name\": \"alice\"}, \"permissions\": [\"repo.write\"]}]}");
        assertEquals(s, TokenScopes.parse(s.toJson(JSON)));
    }

    @Test
    void policy_fineGrainedToken_neverExceedsItsUser_norItsScopes() throws Exception {
        TokenScopes s = scopes("{\"scoped\": [{\"entity\": {\"type\": \"model\", \"name\": \"bob/theirs\"},"
                + " \"permissions\": [\"repo.write\"]}, {\"entity\": {\"type\": \"model\", \"name\": \"alice/a\"},"
                + " \"permissions\": [\"repo.content.read\"]}]}");
        Principal token = new Principal(ALICE, new TokenInfo("t".repeat(24), ALICE.id(), "fg",
                TokenRole.FINE_GRAINED, 0, null, null, s, null));
        AccessPolicy policy = new AccessPolicy((ns, user) -> Optional.empty(), dev.atrium.testing.NotGated.INSTANCE);
        assertFalse(policy.canRead(token, repo("bob/theirs", true)), "a scope cannot open another user's repo");
        assertFalse(policy.canWrite(token, repo("bob/theirs", false)), "nor write it");
        assertTrue(policy.canRead(token, repo("alice/a", true)));
        assertFalse(policy.canWrite(token, repo("alice/a", true)), "read scope");
        assertFalse(policy.canRead(token, repo("alice/other", true)), "out of scope");
        assertTrue(policy.canRead(token, repo("alice/public", false)));
    }
}
