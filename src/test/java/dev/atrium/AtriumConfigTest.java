package dev.atrium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.OidcSettings;
import dev.atrium.auth.SignupPolicy;
import dev.atrium.http.TrustedProxies;
import dev.atrium.inference.InferenceSettings;
import dev.atrium.mail.SmtpSettings;
import dev.atrium.space.SpaceSettings;
import dev.atrium.viewer.ViewerLimits;
import dev.atrium.http.OutboundTargets;
import dev.atrium.mirror.MirrorSettings;
import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class AtriumConfigTest {
    private static AtriumConfig withMail(@Nullable URI baseUrl) {
        return with(baseUrl, SignupPolicy.OPEN, SmtpSettings.parse("smtp://mail.example.org", null, "hub@example.org"),
                null);
    }

    private static AtriumConfig with(@Nullable URI baseUrl, SignupPolicy signup, @Nullable SmtpSettings mail,
                                     @Nullable OidcSettings oidc) {
        AtriumConfig d = AtriumConfig.defaults(Path.of("data"));
        return new AtriumConfig(d.host(), d.port(), d.dataDir(), baseUrl, d.inlineUploadLimit(), d.gitBlobLimit(),
                d.multipart(), null, OutboundTargets.publicOnly("--webhook-allowed-networks"), ViewerLimits.DEFAULT, InferenceSettings.OFF,
                SpaceSettings.OFF, null, null, null, null, signup, null, mail, TrustedProxies.NONE, oidc,
                false, MirrorSettings.DEFAULT);
    }

    /** The provider sends people back to one registered address; accounts by SSO need a provider. */
    @Test
    void singleSignOn_needsABaseUrl_andSignupSsoNeedsAProvider() {
        OidcSettings keycloak = new OidcSettings(URI.create("https://sso.example.org/realms/lab"), "atrium", "s",
                "Lab SSO");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> with(null, SignupPolicy.OPEN, null, keycloak))
                .getMessage().contains("/login/sso/callback"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> with(URI.create("https://hub.example.org"), SignupPolicy.SSO, null, null))
                .getMessage().contains("--oidc-issuer"));
        assertEquals(SignupPolicy.SSO, with(URI.create("https://hub.example.org"), SignupPolicy.SSO, null, keycloak)
                .signup());
    }

    /** Reset links built from a request's Host would point wherever the requester said (reset poisoning). */
    @Test
    void mail_needsAConfiguredBaseUrl() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> withMail(null));
        assertTrue(refused.getMessage().contains("--base-url"), refused.getMessage());
        assertEquals("https://hub.example.org", withMail(URI.create("https://hub.example.org")).baseUrl().toString());
    }
}
