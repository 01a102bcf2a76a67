package dev.atrium.mail;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mail sent after the request that caused it: an SMTP server may take seconds, and whether a message could be sent
 * must not show in the answer (a password reset would tell who has an account). Failures are logged with the
 * address's domain only.
 */
public final class Outbox implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    private final Mailer mailer;
    private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "atrium-mail");
        t.setDaemon(true);
        return t;
    });

    public Outbox(Mailer mailer) {
        this.mailer = mailer;
    }

    public void post(Mail mail) {
        sender.execute(() -> {
            try {
                mailer.send(mail);
            } catch (Mailer.MailFailed e) {
                LOG.warn("Mail to an address at {} not sent: {}", domain(mail.to()), e.getCause() == null
                        ? e.getMessage() : e.getCause().getMessage());
            } catch (RuntimeException e) {
                LOG.warn("Mail to an address at {} not sent", domain(mail.to()), e);
            }
        });
    }

    private static String domain(String address) {
        return address.substring(address.lastIndexOf('@') + 1);
    }

    /** Lets what was posted go out (up to 30 s), then stops. */
    @Override
    public void close() {
        sender.shutdown();
        try {
            sender.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
