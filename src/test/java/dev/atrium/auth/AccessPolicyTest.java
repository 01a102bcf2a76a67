package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.AccessPolicy.Action;
import dev.atrium.http.Errors;
import dev.atrium.http.HubException;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {
    private static final User ALICE = new User("a".repeat(24), "alice", "alice@example.com", "Alice", false, 0);
    private static final User BOB = new User("b".repeat(24), "bob", "bob@example.com", "Bob", false, 0);
    private static final User ROOT = new User("c".repeat(24), "root", "root@example.com", "Root", true, 0);

    private static final Principal ANONYMOUS = null;
    private static final Principal OWNER_READ = principal(ALICE, TokenRole.READ);
    private static final Principal OWNER_WRITE = principal(ALICE, TokenRole.WRITE);
    private static final Principal OTHER_WRITE = principal(BOB, TokenRole.WRITE);
    private static final Principal OTHER_READ = principal(BOB, TokenRole.READ);
    private static final Principal ADMIN_WRITE = principal(ROOT, TokenRole.WRITE);
    private static final Principal ADMIN_READ = principal(ROOT, TokenRole.READ);

    private static final Repo PUBLIC = repo(false);
    private static final Repo PRIVATE = repo(true);

    private final AccessPolicy policy = new AccessPolicy((namespace, user) -> java.util.Optional.empty(), dev.atrium.testing.NotGated.INSTANCE);

    private static Principal principal(User user, TokenRole role) {
        return new Principal(user, new TokenInfo("t" + user.id().substring(1), user.id(), "token", role, 0, null, null));
    }

    private static Repo repo(boolean isPrivate) {
        return new Repo("r".repeat(24), RepoType.MODEL, new RepoId("alice", "model"), isPrivate, null, 0, 0);
    }

    private <T extends HubException> T refused(Class<T> type, Principal caller, Repo repo, Action action) {
        return assertThrows(type, () -> policy.require(caller, repo, action));
    }

    @Test
    void commit_toARepoThatTakesNone_isRefusedToItsWriters_whoStillChangeItsSettings() {
        AccessPolicy mirrors = new AccessPolicy((namespace, user) -> java.util.Optional.empty(),
                dev.atrium.testing.NotGated.INSTANCE, repo -> repo == PRIVATE ? java.util.Optional.empty()
                        : java.util.Optional.of(repo.repoId() + " is a mirror"));
        Errors.Forbidden e = assertThrows(Errors.Forbidden.class, () -> mirrors.require(OWNER_WRITE, PUBLIC,
                Action.COMMIT));
        assertEquals("alice/model is a mirror", e.getMessage());
        assertDoesNotThrow(() -> mirrors.require(OWNER_WRITE, PUBLIC, Action.WRITE));
        assertFalse(mirrors.canCommit(OWNER_WRITE, PUBLIC));
        assertTrue(mirrors.canWrite(OWNER_WRITE, PUBLIC));
        // Who may not write learns that first, as for any repo.
        assertThrows(Errors.AuthenticationRequired.class, () -> mirrors.require(ANONYMOUS, PUBLIC, Action.COMMIT));
        assertDoesNotThrow(() -> mirrors.require(OWNER_WRITE, PRIVATE, Action.COMMIT));
        assertTrue(mirrors.canCommit(OWNER_WRITE, PRIVATE));
    }

    // ---- public repo ----

    @Test
    void require_publicRepoRead_isAllowedForEveryone() {
        for (Principal caller : new Principal[] {ANONYMOUS, OWNER_READ, OWNER_WRITE, OTHER_READ, OTHER_WRITE,
                ADMIN_READ, ADMIN_WRITE}) {
            assertDoesNotThrow(() -> policy.require(caller, PUBLIC, Action.READ));
            assertTrue(policy.canRead(caller, PUBLIC));
        }
    }

    @Test
    void require_publicRepoWriteAnonymous_throwsAuthenticationRequired401() {
        assertEquals(401, refused(Errors.AuthenticationRequired.class, ANONYMOUS, PUBLIC, Action.WRITE).status());
    }

    @Test
    void require_publicRepoWriteOwnerReadToken_throwsForbidden403() {
        Errors.Forbidden e = refused(Errors.Forbidden.class, OWNER_READ, PUBLIC, Action.WRITE);
        assertEquals(403, e.status());
        assertTrue(e.getMessage().contains("read role"), e.getMessage());
    }

    @Test
    void require_publicRepoWriteOwnerWriteToken_isAllowed() {
        assertDoesNotThrow(() -> policy.require(OWNER_WRITE, PUBLIC, Action.WRITE));
        assertTrue(policy.canWrite(OWNER_WRITE, PUBLIC));
    }

    @Test
    void require_publicRepoWriteOtherUser_throwsForbidden403() {
        assertEquals(403, refused(Errors.Forbidden.class, OTHER_WRITE, PUBLIC, Action.WRITE).status());
        assertEquals(403, refused(Errors.Forbidden.class, OTHER_READ, PUBLIC, Action.WRITE).status());
        assertFalse(policy.canWrite(OTHER_WRITE, PUBLIC));
    }

    @Test
    void require_publicRepoWriteSiteAdmin_isAllowedWithWriteTokenOnly() {
        assertDoesNotThrow(() -> policy.require(ADMIN_WRITE, PUBLIC, Action.WRITE));
        assertEquals(403, refused(Errors.Forbidden.class, ADMIN_READ, PUBLIC, Action.WRITE).status());
    }

    // ---- private repo ----

    @Test
    void require_privateRepoReadAnonymous_throwsRepoNotFound401() {
        Errors.RepoNotFound e = refused(Errors.RepoNotFound.class, ANONYMOUS, PRIVATE, Action.READ);
        assertEquals(401, e.status());
        assertEquals("RepoNotFound", e.errorCode());
        assertEquals("Repository not found", e.getMessage(), "the Hub's words, which the clients' text contains");
    }

    @Test
    void require_privateRepoWriteAnonymous_throwsRepoNotFound401() {
        assertEquals(401, refused(Errors.RepoNotFound.class, ANONYMOUS, PRIVATE, Action.WRITE).status());
    }

    @Test
    void require_privateRepoOwner_readsWithEitherToken() {
        assertDoesNotThrow(() -> policy.require(OWNER_READ, PRIVATE, Action.READ));
        assertDoesNotThrow(() -> policy.require(OWNER_WRITE, PRIVATE, Action.READ));
    }

    @Test
    void require_privateRepoWriteOwnerReadToken_throwsForbidden403() {
        assertEquals(403, refused(Errors.Forbidden.class, OWNER_READ, PRIVATE, Action.WRITE).status());
    }

    @Test
    void require_privateRepoWriteOwnerWriteToken_isAllowed() {
        assertDoesNotThrow(() -> policy.require(OWNER_WRITE, PRIVATE, Action.WRITE));
    }

    @Test
    void require_privateRepoOtherUser_throwsRepoNotFound404ForReadAndWrite() {
        assertEquals(404, refused(Errors.RepoNotFound.class, OTHER_WRITE, PRIVATE, Action.READ).status());
        assertEquals(404, refused(Errors.RepoNotFound.class, OTHER_WRITE, PRIVATE, Action.WRITE).status());
        assertEquals(404, refused(Errors.RepoNotFound.class, OTHER_READ, PRIVATE, Action.READ).status());
        assertFalse(policy.canRead(OTHER_WRITE, PRIVATE));
    }

    @Test
    void require_privateRepoSiteAdmin_readsAndWritesWithWriteToken() {
        assertDoesNotThrow(() -> policy.require(ADMIN_WRITE, PRIVATE, Action.READ));
        assertDoesNotThrow(() -> policy.require(ADMIN_WRITE, PRIVATE, Action.WRITE));
        assertDoesNotThrow(() -> policy.require(ADMIN_READ, PRIVATE, Action.READ));
        assertEquals(403, refused(Errors.Forbidden.class, ADMIN_READ, PRIVATE, Action.WRITE).status());
    }

    // ---- gated repos ----

    /** Bob's request to alice/model stands at {@code status} (null: he never asked). */
    private static AccessPolicy gatedWithBobs(AccessRequestStatus status) {
        Gating gating = new Gating() {
            @Override public boolean isGated(String repoId) {
                return true;
            }
            @Override public java.util.Optional<AccessRequestStatus> requestStatus(String repoId, String userId) {
                return java.util.Optional.ofNullable(userId.equals(BOB.id()) ? status : null);
            }
        };
        return new AccessPolicy((namespace, user) -> java.util.Optional.empty(), gating);
    }

    private static String gatedRefusal(AccessPolicy policy, Principal caller) {
        Errors.GatedRepo e = assertThrows(Errors.GatedRepo.class, () -> policy.require(caller, PUBLIC, Action.DOWNLOAD));
        assertEquals(caller == null ? 401 : 403, e.status());
        return e.messageOn("https://hub.example");
    }

    @Test
    void require_gatedDownload_saysWhereTheCallerStands() {
        assertEquals("Access to model alice/model is restricted. You must have access to it and be authenticated to"
                + " access it. Please log in.", gatedRefusal(gatedWithBobs(null), ANONYMOUS));
        assertEquals("Access to model alice/model is restricted and you are not in the authorized list. Visit"
                + " https://hub.example/alice/model to ask for access.", gatedRefusal(gatedWithBobs(null), OTHER_READ));
        assertEquals("Your request to access model alice/model is awaiting a review from the repo authors.",
                gatedRefusal(gatedWithBobs(AccessRequestStatus.PENDING), OTHER_READ));
        assertTrue(gatedRefusal(gatedWithBobs(AccessRequestStatus.REJECTED), OTHER_READ).contains("rejected"));
        assertDoesNotThrow(() -> gatedWithBobs(AccessRequestStatus.ACCEPTED).require(OTHER_READ, PUBLIC,
                Action.DOWNLOAD));
        assertDoesNotThrow(() -> gatedWithBobs(null).require(OWNER_READ, PUBLIC, Action.DOWNLOAD), "the owner");
    }

    @Test
    void require_gatedDownloadAcceptedButTokenMayNotReadGated_saysItIsTheToken() throws Exception {
        TokenScopes noGated = TokenScopes.parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"global\": [\"repo.content.read\"]}"));
        Principal fineGrained = new Principal(BOB, new TokenInfo("f".repeat(24), BOB.id(), "fg",
                TokenRole.FINE_GRAINED, 0, null, null, noGated, null));
        assertTrue(gatedRefusal(gatedWithBobs(AccessRequestStatus.ACCEPTED), fineGrained)
                .contains("was granted to you, but this fine-grained token may not read gated repos"));
    }

    // ---- namespaces ----

    @Test
    void requireNamespaceWrite_anonymous_throwsAuthenticationRequired() {
        assertThrows(Errors.AuthenticationRequired.class, () -> policy.requireNamespaceWrite(ANONYMOUS, "alice"));
    }

    @Test
    void requireNamespaceWrite_readToken_throwsForbidden() {
        assertThrows(Errors.Forbidden.class, () -> policy.requireNamespaceWrite(OWNER_READ, "alice"));
        assertThrows(Errors.Forbidden.class, () -> policy.requireNamespaceWrite(ADMIN_READ, "alice"));
    }

    @Test
    void requireNamespaceWrite_ownNamespace_isAllowed() {
        assertDoesNotThrow(() -> policy.requireNamespaceWrite(OWNER_WRITE, "alice"));
    }

    @Test
    void requireNamespaceWrite_otherNamespace_throwsForbidden() {
        assertThrows(Errors.Forbidden.class, () -> policy.requireNamespaceWrite(OTHER_WRITE, "alice"));
        assertThrows(Errors.Forbidden.class, () -> policy.requireNamespaceWrite(OWNER_WRITE, "Alice"));
    }

    @Test
    void requireNamespaceWrite_siteAdmin_isAllowedAnywhere() {
        assertDoesNotThrow(() -> policy.requireNamespaceWrite(ADMIN_WRITE, "alice"));
        assertDoesNotThrow(() -> policy.requireNamespaceWrite(ADMIN_WRITE, "some-org"));
    }
}
