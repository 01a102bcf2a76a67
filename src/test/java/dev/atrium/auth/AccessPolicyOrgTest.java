package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.AccessPolicy.Action;
import dev.atrium.http.Errors;
import dev.atrium.repo.Repo;
import dev.atrium.repo.RepoId;
import dev.atrium.repo.RepoType;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The organization roles in the one decision point: who reads, writes and administers an org's repos. */
class AccessPolicyOrgTest {
    private static final User MEMBER = new User("m".repeat(24), "mia", "m@example.com", "Mia", false, 0);
    private static final User STRANGER = new User("s".repeat(24), "sam", "s@example.com", "Sam", false, 0);
    private static final Repo PRIVATE = new Repo("r".repeat(24), RepoType.MODEL, new RepoId("acme", "secret"), true,
            null, 0, 0);

    private static Principal principal(User user, TokenRole role) {
        return new Principal(user, new TokenInfo("t" + user.id().substring(1), user.id(), "token", role, 0, null, null));
    }

    private static AccessPolicy policyWith(OrgRole role) {
        Map<String, OrgRole> roles = Map.of("acme|" + MEMBER.id(), role);
        return new AccessPolicy((namespace, userId) -> Optional.ofNullable(roles.get(namespace + "|" + userId)),
                dev.atrium.testing.NotGated.INSTANCE);
    }

    @ParameterizedTest
    @EnumSource(OrgRole.class)
    void everyRole_readsTheOrgsPrivateRepos_onlyWriteAndAdminWrite(OrgRole role) {
        AccessPolicy policy = policyWith(role);
        Principal member = principal(MEMBER, TokenRole.WRITE);
        assertTrue(policy.canRead(member, PRIVATE));
        assertEquals(role.atLeast(OrgRole.WRITE), policy.canWrite(member, PRIVATE), role.wireName());
        assertFalse(policy.canWrite(principal(MEMBER, TokenRole.READ), PRIVATE), "a read token never writes");
    }

    @Test
    void stranger_seesNoPrivateOrgRepo_asNotFound() {
        AccessPolicy policy = policyWith(OrgRole.ADMIN);
        assertThrows(Errors.RepoNotFound.class,
                () -> policy.require(principal(STRANGER, TokenRole.WRITE), PRIVATE, Action.READ));
    }

    @ParameterizedTest
    @EnumSource(OrgRole.class)
    void namespaces_writeRolesCreate_onlyAdminsAdminister(OrgRole role) {
        AccessPolicy policy = policyWith(role);
        Principal member = principal(MEMBER, TokenRole.WRITE);
        if (role.atLeast(OrgRole.WRITE)) {
            assertDoesNotThrow(() -> policy.requireNamespaceWrite(member, "acme"));
        } else {
            assertThrows(Errors.Forbidden.class, () -> policy.requireNamespaceWrite(member, "acme"));
        }
        if (role == OrgRole.ADMIN) {
            assertDoesNotThrow(() -> policy.requireNamespaceAdmin(member, "acme"));
        } else {
            assertThrows(Errors.Forbidden.class, () -> policy.requireNamespaceAdmin(member, "acme"));
        }
        assertThrows(Errors.Forbidden.class, () -> policy.requireNamespaceWrite(member, "other-org"));
    }

    @Test
    void readableRepos_sqlIncludesTheViewersOrganizations() {
        AccessPolicy.SqlCondition condition = policyWith(OrgRole.READ).readableRepos(principal(MEMBER, TokenRole.READ));
        assertTrue(condition.sql().contains("org_members"), condition.sql());
        assertEquals(MEMBER.id(), condition.parameters().get("viewerId"));
    }
}
