package dev.atrium.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SignupPolicyTest {

    @Test
    void parse_openClosedAndDomains() {
        assertEquals(SignupPolicy.OPEN, SignupPolicy.parse("open"));
        assertEquals(SignupPolicy.CLOSED, SignupPolicy.parse(" closed "));
        SignupPolicy lab = SignupPolicy.parse("domains:Lab.Example.org, example.com");
        assertEquals(Set.of("lab.example.org", "example.com"), lab.domains());
        assertEquals("domains:example.com,lab.example.org", lab.toString());
        assertEquals(SignupPolicy.SSO, SignupPolicy.parse("sso"));
        assertEquals("sso", SignupPolicy.SSO.toString());
    }

    @Test
    void sso_closesJoin_butLetsTheProviderMakeAccounts() {
        assertTrue(SignupPolicy.SSO.refusal("anyone@example.com").orElseThrow().contains("single sign-on"));
        assertTrue(SignupPolicy.SSO.throughProvider());
        assertTrue(!SignupPolicy.CLOSED.throughProvider() && SignupPolicy.OPEN.throughProvider()
                && SignupPolicy.parse("domains:example.com").throughProvider());
    }

    @Test
    void parse_nonsense_isRefusedWithTheForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SignupPolicy.parse("maybe"));
        assertTrue(e.getMessage().contains("open, closed, domains:example.org,example.com or sso"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SignupPolicy.parse("domains:"));
        assertThrows(IllegalArgumentException.class, () -> SignupPolicy.parse("domains:localhost"));
        assertThrows(IllegalArgumentException.class, () -> SignupPolicy.parse("domains:a.com,@b.com"));
    }

    @Test
    void refusal_followsThePolicy() {
        assertEquals(Optional.empty(), SignupPolicy.OPEN.refusal("anyone@anywhere.net"));
        assertTrue(SignupPolicy.CLOSED.refusal("anyone@example.com").orElseThrow().contains("closed"));
        SignupPolicy lab = SignupPolicy.parse("domains:example.com");
        assertEquals(Optional.empty(), lab.refusal("alice@Example.COM"));
        assertTrue(lab.refusal("mallory@example.com.evil.net").orElseThrow().contains("example.com"));
        assertTrue(lab.refusal("mallory@sub.example.com").isPresent(), "a domain is matched whole, not its subdomains");
    }
}
