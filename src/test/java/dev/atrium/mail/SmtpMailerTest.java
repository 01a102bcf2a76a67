package dev.atrium.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against GreenMail, a real SMTP server in the test's JVM. */
class SmtpMailerTest {
    private GreenMail smtp;
    private int port;

    @BeforeEach
    void start() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
    }

    @AfterEach
    void stop() {
        smtp.stop();
    }

    @Test
    void aMessageArrives_withItsSenderSubjectAndTextInUtf8() throws Exception {
        SmtpSettings settings = SmtpSettings.parse("smtp://127.0.0.1:" + port + "?tls=none", null, "hub@example.org");
        new SmtpMailer(settings).send(new Mail("zoe@example.org", "Vérifiez ✓", "Bonjour Zoë,\n\nhttps://hub/x?y=1\n"));
        MimeMessage[] received = smtp.getReceivedMessages();
        assertEquals(1, received.length);
        assertEquals("Vérifiez ✓", received[0].getSubject());
        assertTrue(received[0].getFrom()[0].toString().contains("hub@example.org"));
        assertEquals("zoe@example.org", received[0].getAllRecipients()[0].toString());
        assertEquals("Bonjour Zoë,\n\nhttps://hub/x?y=1", received[0].getContent().toString().replace("\r\n", "\n").strip());
    }

    @Test
    void starttlsIsRequired_unlessTurnedOff_soNoPasswordGoesInTheClear() {
        // GreenMail's plain SMTP offers no STARTTLS: the default settings refuse to go on without it.
        SmtpSettings settings = SmtpSettings.parse("smtp://hub:secret@127.0.0.1:" + port, null, "hub@example.org");
        assertThrows(Mailer.MailFailed.class, () -> new SmtpMailer(settings).send(
                new Mail("someone@example.org", "s", "t")));
        assertEquals(0, smtp.getReceivedMessages().length);
    }

    @Test
    void settings_fromTheUrl_thePasswordPreferablyFromTheEnvironment_neverShown() {
        SmtpSettings s = SmtpSettings.parse("smtps://mailer%40lab@mail.lab.org", "from-env", "hub@lab.org");
        assertEquals(SmtpSettings.Security.TLS, s.security());
        assertEquals(465, s.port());
        assertEquals("mailer@lab", s.username());
        assertEquals("from-env", s.password());
        assertEquals(587, SmtpSettings.parse("smtp://u:p%3Aq@mail.lab.org", null, "hub@lab.org").port());
        assertEquals("p:q", SmtpSettings.parse("smtp://u:p%3Aq@mail.lab.org", null, "hub@lab.org").password());
        assertTrue(!s.toString().contains("from-env"));
        assertThrows(IllegalArgumentException.class, () -> SmtpSettings.parse("http://x", null, "hub@lab.org"));
        assertThrows(IllegalArgumentException.class, () -> SmtpSettings.parse("smtp://x", null, "no-at-sign"));
        assertThrows(IllegalArgumentException.class, () -> SmtpSettings.parse("smtp://x?tls=maybe", null, "a@b.c"));
    }
}
