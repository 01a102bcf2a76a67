package dev.atrium.auth;

import dev.atrium.http.Errors;
import dev.atrium.repo.Repo;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Access handed on beyond the request that earned it: signed LFS transfer URLs, Xet tokens and the xorb URLs of a
 * reconstruction. Each carries the id of the credential it was earned with (never its secret), and every use asks
 * again: is that token or session still live, and does the access policy still allow it? So revoking a token,
 * signing out or losing a role stops them at once, not when their hour runs out.
 */
public final class Delegations {
    /** The credential id of a caller who came without one (public repos). */
    public static final String ANONYMOUS = "anonymous";
    private static final Pattern SHAPE = Pattern.compile("anonymous|(session:|sshkey:)?[0-9a-f]{24}");

    /** What the holder must still be allowed. */
    public enum Need {
        DOWNLOAD,
        /** Uploading for a pull request: what opening one needs. Writers qualify too. */
        CONTRIBUTE,
        WRITE
    }

    private final Authenticator authenticator;
    private final AccessPolicy policy;

    public Delegations(Authenticator authenticator, AccessPolicy policy) {
        this.authenticator = authenticator;
        this.policy = policy;
    }

    public static String credentialOf(@Nullable Principal caller) {
        return caller == null ? ANONYMOUS : caller.token().id();
    }

    /** Whether {@code text} could be a credential id: for parsers of tokens and URLs. */
    public static boolean isWellFormed(@Nullable String text) {
        return text != null && SHAPE.matcher(text).matches();
    }

    /**
     * Throws 401 when the credential is gone (revoked, expired, signed out), 403 when it lives but may no longer do
     * this.
     */
    public void require(String credential, Repo repo, Need need) {
        @Nullable Principal caller = null;
        if (!credential.equals(ANONYMOUS)) {
            caller = authenticator.byCredentialId(credential).orElseThrow(() -> new Errors.AuthenticationRequired(
                    "The token or session this was issued to was revoked or has expired; sign in and ask again"));
        }
        boolean allowed = switch (need) {
            case DOWNLOAD -> policy.canDownload(caller, repo);
            case CONTRIBUTE -> policy.canContribute(caller, repo) || policy.canWrite(caller, repo);
            case WRITE -> policy.canWrite(caller, repo);
        };
        if (!allowed) {
            throw new Errors.Forbidden("Access to " + repo.repoId() + " has changed since this was issued; ask again");
        }
    }
}
