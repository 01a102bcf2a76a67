package dev.atrium.http;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The failures of the Hub API, one type each; {@link ErrorMapper} turns them into responses. */
public final class Errors {
    private Errors() {}

    public static final class BadRequest extends HubException {
        private static final long serialVersionUID = 1L;
        public BadRequest(String message) { super(message); }
        @Override public int status() { return 400; }
        @Override public String errorCode() { return "BadRequest"; }
    }

    /** A token that is unknown or revoked: the client must not mistake it for a missing repo. */
    public static final class InvalidCredentials extends HubException {
        private static final long serialVersionUID = 1L;
        public InvalidCredentials() { super("Invalid credentials in Authorization header"); }
        @Override public int status() { return 401; }
        @Override public Map<String, String> headers() {
            return Map.of("X-Error-Message", "Invalid credentials in Authorization header");
        }
    }

    public static final class AuthenticationRequired extends HubException {
        private static final long serialVersionUID = 1L;
        public AuthenticationRequired(String message) { super(message); }
        @Override public int status() { return 401; }
    }

    public static final class Forbidden extends HubException {
        private static final long serialVersionUID = 1L;
        public Forbidden(String message) { super(message); }
        @Override public int status() { return 403; }
    }

    /**
     * Missing, or private and the caller may not see it: 401 for anonymous callers, 404 otherwise (as the Hub). The
     * Hub's words, which its clients' own explanation (with the URL) contains, so they do not repeat it.
     */
    public static final class RepoNotFound extends HubException {
        private static final long serialVersionUID = 1L;
        private final boolean anonymous;
        public RepoNotFound(boolean anonymous) {
            super("Repository not found");
            this.anonymous = anonymous;
        }
        @Override public int status() { return anonymous ? 401 : 404; }
        @Override public String errorCode() { return "RepoNotFound"; }
    }

    /** A limit an operator set (quota, file size, private repos) would be passed: refused before any byte moves. */
    public static final class QuotaExceeded extends HubException {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String code;
        public QuotaExceeded(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
        @Override public int status() { return status; }
        @Override public String errorCode() { return code; }
    }

    /**
     * A gated repo's content, for someone not (yet) let through: 401 when anonymous, else 403 (as the Hub). The
     * message says what the caller can do; with a page, where to ask for access (a full URL, so a terminal shows a
     * link: the Hub's wording).
     */
    public static final class GatedRepo extends HubException {
        private static final long serialVersionUID = 1L;
        private final @Nullable String pagePath;
        private final boolean anonymous;
        public GatedRepo(String message, @Nullable String pagePath, boolean anonymous) {
            super(message);
            this.pagePath = pagePath;
            this.anonymous = anonymous;
        }
        @Override public int status() { return anonymous ? 401 : 403; }
        @Override public String errorCode() { return "GatedRepo"; }
        @Override public String messageOn(String hubUrl) {
            return pagePath == null ? getMessage() : getMessage() + " Visit " + hubUrl + "/" + pagePath
                    + " to ask for access.";
        }
    }

    public static final class RevisionNotFound extends HubException {
        private static final long serialVersionUID = 1L;
        public RevisionNotFound(String revision) { super("Invalid rev id: " + revision); }
        @Override public int status() { return 404; }
        @Override public String errorCode() { return "RevisionNotFound"; }
    }

    public static final class EntryNotFound extends HubException {
        private static final long serialVersionUID = 1L;
        private final Map<String, String> headers;
        public EntryNotFound(String message) { this(message, null); }
        public EntryNotFound(String message, String commit) {
            super(message);
            this.headers = commit == null ? Map.of() : Map.of("X-Repo-Commit", commit);
        }
        @Override public int status() { return 404; }
        @Override public String errorCode() { return "EntryNotFound"; }
        @Override public Map<String, String> headers() { return headers; }
    }

    public static final class NotFound extends HubException {
        private static final long serialVersionUID = 1L;
        public NotFound(String message) { super(message); }
        @Override public int status() { return 404; }
    }

    public static final class Conflict extends HubException {
        private static final long serialVersionUID = 1L;
        public Conflict(String message) { super(message); }
        @Override public int status() { return 409; }
    }

    /** The branch moved since the client read it (parentCommit mismatch or a lost compare-and-swap). */
    public static final class StaleParent extends HubException {
        private static final long serialVersionUID = 1L;
        public StaleParent(String message) { super(message); }
        @Override public int status() { return 412; }
    }

    public static final class PayloadTooLarge extends HubException {
        private static final long serialVersionUID = 1L;
        public PayloadTooLarge(String message) { super(message); }
        @Override public int status() { return 413; }
    }

    public static final class RangeNotSatisfiable extends HubException {
        private static final long serialVersionUID = 1L;
        private final long size;
        public RangeNotSatisfiable(long size) { super("Requested range not satisfiable"); this.size = size; }
        @Override public int status() { return 416; }
        @Override public Map<String, String> headers() { return Map.of("Content-Range", "bytes */" + size); }
    }

    public static final class Unprocessable extends HubException {
        private static final long serialVersionUID = 1L;
        public Unprocessable(String message) { super(message); }
        @Override public int status() { return 422; }
    }

    public static final class NotImplemented extends HubException {
        private static final long serialVersionUID = 1L;
        public NotImplemented(String message) { super(message); }
        @Override public int status() { return 501; }
    }

    /** A moved repo's old URL: the clients follow a same-host 307 (never 301/302, which would drop POST bodies). */
    public static final class Moved extends HubException {
        private static final long serialVersionUID = 1L;
        private final String location;
        public Moved(String location) { super("Repository moved to " + location); this.location = location; }
        @Override public int status() { return 307; }
        @Override public Map<String, String> headers() { return Map.of("Location", location); }
    }
}
