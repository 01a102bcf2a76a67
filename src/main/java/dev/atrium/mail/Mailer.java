package dev.atrium.mail;

/** Sends mail now, or throws. */
public interface Mailer {
    void send(Mail mail) throws MailFailed;

    /** The message was not handed to the mail server; the reason is the server's or the connection's. */
    final class MailFailed extends Exception {
        private static final long serialVersionUID = 1L;

        public MailFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
