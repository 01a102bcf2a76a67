package dev.atrium.http;

import org.jspecify.annotations.Nullable;

/**
 * A failure that reaches the client as an HTTP status, a JSON {@code {"error": ...}} body and, where the Hub sends
 * one, an {@code X-Error-Code} header. Each kind of failure is its own subclass so callers never build status codes.
 */
public abstract class HubException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected HubException(String message) {
        super(message);
    }

    public abstract int status();

    /** The Hub's machine-readable code, or null when the Hub sends none. */
    public @Nullable String errorCode() {
        return null;
    }

    /** The message as sent to a client of the hub at {@code hubUrl}, for messages that link to a page. */
    public String messageOn(String hubUrl) {
        return getMessage();
    }

    /** Extra headers (e.g. X-Repo-Commit on EntryNotFound) the clients rely on. */
    public java.util.Map<String, String> headers() {
        return java.util.Map.of();
    }
}
