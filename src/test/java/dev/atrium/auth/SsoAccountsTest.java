package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.testing.SettableClock;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SsoAccountsTest {
    private static final String ISSUER = "https://sso.example.org/realms/lab";

    @TempDir
    Path dir;
    private Jdbi jdbi;
    private Users users;
    private SsoAccounts accounts;

    @BeforeEach
    void setUp() {
        jdbi = openDatabase();
        SettableClock clock = new SettableClock(1_700_000_000_000L);
        users = new Users(jdbi, new PasswordHasher(), clock);
        accounts = new SsoAccounts(jdbi, users, clock);
    }

    protected Jdbi openDatabase() {
        return AuthDb.open(dir);
    }

    private static OidcIdentity person(String subject, String email, boolean verified, String username) {
        return new OidcIdentity(ISSUER, subject, email, verified, username, "Ada Lovelace");
    }

    private User signedIn(SsoAccounts.Outcome outcome) {
        return assertInstanceOf(SsoAccounts.SignedIn.class, outcome).user();
    }

    private String refused(SsoAccounts.Outcome outcome) {
        return assertInstanceOf(SsoAccounts.Refused.class, outcome).reason();
    }

    @Test
    void firstSignIn_makesAnAccountWithoutPassword_andTheNextFindsItBySubject() {
        SsoAccounts.Outcome first = accounts.signIn(person("s-1", "ada@example.org", true, "ada"),
                SignupPolicy.OPEN, "Lab SSO");
        assertTrue(assertInstanceOf(SsoAccounts.SignedIn.class, first).created());
        User ada = signedIn(first);
        assertEquals("ada", ada.name());
        assertEquals("Ada Lovelace", ada.fullname());
        assertTrue(users.emailVerified(ada.id()), "the provider verified it");
        assertFalse(users.hasPassword(ada.id()));
        // No password signs in to it, not even the stored marker.
        assertFalse(users.checkPassword("ada", Users.NO_PASSWORD, "test"));
        assertTrue(users.list("ada", 10).get(0).singleSignOn(), "the administration lists it as signing in by SSO");

        // The email and username changed at the provider: the subject still names the same person.
        SsoAccounts.Outcome again = accounts.signIn(person("s-1", "ada.l@example.org", true, "ada.l"),
                SignupPolicy.OPEN, "Lab SSO");
        assertFalse(assertInstanceOf(SsoAccounts.SignedIn.class, again).created());
        assertEquals(ada.id(), signedIn(again).id());
        assertEquals(Optional.of("ada.l@example.org"), accounts.connectedAs(ada.id(), ISSUER));
    }

    @Test
    void afterAnAdministratorDisconnects_aNewIdentityWithTheVerifiedEmail_joinsTheSameAccount() {
        User ada = signedIn(accounts.signIn(person("s-1", "ada@example.org", true, "ada"), SignupPolicy.OPEN, "SSO"));
        // The provider made her identity anew: another subject, the same address. The account already has one.
        assertTrue(refused(accounts.signIn(person("s-1b", "ada@example.org", true, "ada"), SignupPolicy.OPEN, "SSO"))
                .contains("Ask this hub's administrator to unlink it"), "she has no password to connect with");
        assertEquals(1, accounts.disconnectAll(ada.id()));
        assertEquals(ada.id(), signedIn(accounts.signIn(person("s-1b", "ada@example.org", true, "ada"),
                SignupPolicy.OPEN, "SSO")).id());
    }

    @Test
    void anUnverifiedAddress_makesAnUnverifiedAccount() {
        User bob = signedIn(accounts.signIn(person("s-2", "bob@example.org", false, "bob"), SignupPolicy.OPEN,
                "Lab SSO"));
        assertFalse(users.emailVerified(bob.id()));
    }

    @Test
    void anAccountWithTheSameEmail_isJoinedOnlyWhenBothSidesVerifiedIt() {
        User carol = users.create("carol", "carol@example.org", "a long password", false);
        OidcIdentity verified = person("s-3", "Carol@Example.org", true, "carol");

        // Nobody showed the account's owner holds the address: whoever set it might not.
        assertTrue(refused(accounts.signIn(verified, SignupPolicy.OPEN, "Lab SSO"))
                .contains("Log in to it with its password, then connect Lab SSO"));
        users.markEmailVerified(carol.id(), "carol@example.org");
        // Nor does a provider that has not verified it.
        refused(accounts.signIn(person("s-3", "carol@example.org", false, "carol"), SignupPolicy.OPEN, "Lab SSO"));

        assertEquals(carol.id(), signedIn(accounts.signIn(verified, SignupPolicy.OPEN, "Lab SSO")).id());
        assertTrue(users.hasPassword(carol.id()), "the password stays");
        assertEquals(1, users.count(), "joined, not made");
        assertTrue(users.list("carol", 10).get(0).singleSignOn());
        users.create("dora", "dora@example.org", "a long password", false);
        assertFalse(users.list("dora", 10).get(0).singleSignOn(), "a password account");
    }

    @Test
    void takenAndReservedNames_getANumber() {
        users.create("dave", "other@example.org", "a long password", false);
        User dave = signedIn(accounts.signIn(person("s-4", "dave@example.org", true, "dave"), SignupPolicy.OPEN,
                "SSO"));
        assertEquals("dave-2", dave.name());
        User admin = signedIn(accounts.signIn(person("s-5", "root@example.org", true, "settings"),
                SignupPolicy.OPEN, "SSO"));
        assertEquals("settings-2", admin.name());
    }

    @Test
    void candidateNames_fitTheHubsNames() {
        assertEquals("jane.doe", SsoAccounts.candidateNames(person("s", "x@y.org", true, "jane.doe@corp.example"),
                "x@y.org").get(0));
        assertEquals("J-Doe", SsoAccounts.candidateNames(person("s", "x@y.org", true, "J Doe!"), "x@y.org").get(0));
        // No usable username: the email's local part.
        assertEquals("xy", SsoAccounts.candidateNames(person("s", "xy@y.org", true, "é"), "xy@y.org").get(0));
        // Nothing usable at all (a name needs two characters).
        assertEquals("user", SsoAccounts.candidateNames(person("s", "x@y.org", true, null), "x@y.org").get(0));
        List<String> long_ = SsoAccounts.candidateNames(person("s", "x@y.org", true, "a".repeat(60)), "x@y.org");
        assertEquals(39, long_.get(0).length());
        assertTrue(long_.get(1).endsWith("-2") && long_.get(1).length() == 39, long_.get(1));
    }

    @Test
    void signUpPolicy_decidesWhoMayGetANewAccount() {
        assertTrue(refused(accounts.signIn(person("s-6", "eve@example.org", true, "eve"), SignupPolicy.CLOSED,
                "SSO")).contains("made by its administrators"));
        SignupPolicy lab = new SignupPolicy(true, Set.of("lab.example.org"));
        refused(accounts.signIn(person("s-6", "eve@example.org", true, "eve"), lab, "SSO"));
        // The domain is right but unverified: it says nothing about who holds it.
        assertTrue(refused(accounts.signIn(person("s-6", "eve@lab.example.org", false, "eve"), lab, "SSO"))
                .contains("has not verified"));
        signedIn(accounts.signIn(person("s-6", "eve@lab.example.org", true, "eve"), lab, "SSO"));
        assertEquals(1, users.count());
        // Accounts only through the provider: any address it gives, verified or not.
        signedIn(accounts.signIn(person("s-7", "finn@elsewhere.example", false, "finn"), SignupPolicy.SSO, "SSO"));
        assertEquals(2, users.count());
    }

    @Test
    void noEmail_noNewAccount() {
        assertTrue(refused(accounts.signIn(new OidcIdentity(ISSUER, "s-7", null, false, "frank", null),
                SignupPolicy.OPEN, "SSO")).contains("did not give an email address"));
        assertEquals(0, users.count());
    }

    @Test
    void aDeactivatedAccount_isRefused() {
        User gus = signedIn(accounts.signIn(person("s-8", "gus@example.org", true, "gus"), SignupPolicy.OPEN, "SSO"));
        users.setDeactivated(gus.id(), true);
        assertTrue(refused(accounts.signIn(person("s-8", "gus@example.org", true, "gus"), SignupPolicy.OPEN, "SSO"))
                .contains("deactivated"));
    }

    @Test
    void connect_linksTheSignedInAccount_once() {
        User hal = users.create("hal", "hal@example.org", "a long password", false);
        User ida = users.create("ida", "ida@example.org", "a long password", false);
        OidcIdentity someone = person("s-9", "hal.work@example.org", false, "hal");
        assertEquals(Optional.empty(), accounts.connect(hal.id(), someone));
        assertEquals(Optional.empty(), accounts.connect(hal.id(), someone), "again: nothing to do");
        assertTrue(accounts.connect(ida.id(), someone).orElseThrow().contains("another account"));
        assertTrue(accounts.connect(hal.id(), person("s-10", "x@example.org", true, "x")).orElseThrow()
                .contains("another identity"));
        // The connected identity signs in to hal, whatever its unverified email says.
        assertEquals(hal.id(), signedIn(accounts.signIn(someone, SignupPolicy.CLOSED, "SSO")).id());

        assertEquals(0, accounts.disconnectAll(ida.id()));
        assertTrue(accounts.disconnect(hal.id(), ISSUER));
        assertFalse(accounts.disconnect(hal.id(), ISSUER));
        assertEquals(Optional.empty(), accounts.connectedAs(hal.id(), ISSUER));
    }
}
