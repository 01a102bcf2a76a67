package dev.atrium;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.auth.SignupPolicy;
import dev.atrium.http.TrustedProxies;
import dev.atrium.inference.InferenceSettings;
import dev.atrium.mail.SmtpSettings;
import dev.atrium.space.SpaceSettings;
import dev.atrium.viewer.ViewerLimits;
import dev.atrium.webhook.WebhookTargets;
import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class AtriumConfigTest {
    private static AtriumConfig withMail(@Nullable URI baseUrl) {
        AtriumConfig d = AtriumConfig.defaults(Path.of("data"));
        return new AtriumConfig(d.host(), d.port(), d.dataDir(), baseUrl, d.inlineUploadLimit(), d.gitBlobLimit(),
                d.multipart(), null, WebhookTargets.publicOnly(), ViewerLimits.DEFAULT, InferenceSettings.OFF,
                SpaceSettings.OFF, null, null, null, null, SignupPolicy.OPEN, null,
                SmtpSettings.parse("smtp://mail.example.org", null, "hub@example.org"), TrustedProxies.NONE, null);
    }

    /** Reset links built from a request's Host would point wherever the requester said (reset poisoning). */
    @Test
    void mail_needsAConfiguredBaseUrl() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> withMail(null));
        assertTrue(refused.getMessage().contains("--base-url"), refused.getMessage());
        assertEquals("https://hub.example.org", withMail(URI.create("https://hub.example.org")).baseUrl().toString());
    }
}
