package dev.atrium.auth;

import dev.atrium.repo.RepoId;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jspecify.annotations.Nullable;

/**
 * Which account a person signed in through the identity provider is. An account is found by the provider's
 * {@code (issuer, subject)}, never by email alone. The first sign-in of someone unknown links the account with their
 * email only when both sides have verified it (the provider says so, and the account's owner opened the link mailed
 * to it), since an unverified address on either side proves nothing about who holds it; otherwise it makes a new
 * account, if the hub's sign-up policy lets this email have one, with no password (the provider is how its owner
 * signs in).
 */
public final class SsoAccounts {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{1,38}");
    private static final Pattern NOT_IN_NAMES = Pattern.compile("[^A-Za-z0-9_.-]+");

    private final Jdbi jdbi;
    private final Users users;
    private final Clock clock;

    public SsoAccounts(Jdbi jdbi, Users users, Clock clock) {
        this.jdbi = jdbi;
        this.users = users;
        this.clock = clock;
    }

    /** How a sign-in ends: the account it opens, or why none. */
    public sealed interface Outcome {}

    /** @param created whether the sign-in made the account */
    public record SignedIn(User user, boolean created) implements Outcome {}

    /** No account for this person; {@code reason} says why and what to do, for the login page. */
    public record Refused(String reason) implements Outcome {}

    /** The account this person signs in to, found, linked by a verified email, or made. */
    public Outcome signIn(OidcIdentity identity, SignupPolicy signup, String providerLabel) {
        Optional<String> known = userOf(identity);
        if (known.isPresent()) {
            return open(known.get(), identity);
        }
        String email = identity.email();
        if (email == null) {
            return new Refused(providerLabel + " did not give an email address for this account, and a new account "
                    + "here needs one. Ask this hub's administrator.");
        }
        Optional<User> holder = users.byEmail(email);
        if (holder.isPresent()) {
            if (identity.emailVerified() && users.emailVerified(holder.get().id())
                    && link(holder.get().id(), identity).isEmpty()) {
                return open(holder.get().id(), identity);
            }
            if (!users.hasPassword(holder.get().id())) { // made by SSO, and linked to an earlier identity
                return new Refused("The account here with the address " + email + " is connected to another "
                        + providerLabel + " identity. Ask this hub's administrator to unlink it.");
            }
            return new Refused("An account here already has the address " + email + ". Log in to it with its "
                    + "password, then connect " + providerLabel + " in its settings.");
        }
        if (!signup.throughProvider()) {
            return new Refused("Accounts on this hub are made by its administrators. Ask one for an account, then "
                    + "connect " + providerLabel + " in its settings.");
        }
        // A domain is only worth checking on an address the provider has verified.
        if (!signup.domains().isEmpty() && !identity.emailVerified()) {
            return new Refused(providerLabel + " has not verified the address " + email + ", and sign-up here is for "
                    + "verified addresses at " + String.join(", ", signup.domains()) + ".");
        }
        Optional<String> refusal = signup.domainRefusal(email);
        if (refusal.isPresent()) {
            return new Refused(refusal.get());
        }
        return create(identity, email);
    }

    /**
     * Links this person to the signed-in account {@code userId}, as its owner asked from its settings; empty when
     * done (or already so), else why not.
     */
    public Optional<String> connect(String userId, OidcIdentity identity) {
        Optional<String> known = userOf(identity);
        if (known.isPresent()) {
            return known.get().equals(userId) ? Optional.empty()
                    : Optional.of("This identity is already connected to another account here.");
        }
        return link(userId, identity);
    }

    /** Unlinks the account from the provider; false when it was not linked. */
    public boolean disconnect(String userId, String issuer) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM sso_identities WHERE user_id = :user AND issuer = :iss")
                .bind("user", userId).bind("iss", issuer).execute()) > 0;
    }

    /**
     * Unlinks the account from every identity, at any provider: for an administrator, when the person's identity
     * there was made anew (a new subject) or the hub moved to another provider. Their next sign-in joins the account
     * again by its verified email. Returns how many identities were unlinked.
     */
    public int disconnectAll(String userId) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM sso_identities WHERE user_id = :user")
                .bind("user", userId).execute());
    }

    /** The email the provider last gave for the account's identity there, or its subject: what the settings show. */
    public Optional<String> connectedAs(String userId, String issuer) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT COALESCE(email, subject) FROM sso_identities WHERE user_id = :user AND issuer = :iss""")
                .bind("user", userId).bind("iss", issuer).mapTo(String.class).findFirst());
    }

    private Optional<String> userOf(OidcIdentity identity) {
        return userOf(identity.issuer(), identity.subject());
    }

    /** The account the provider's {@code subject} signs in to. */
    public Optional<String> userOf(String issuer, String subject) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT user_id FROM sso_identities WHERE issuer = :iss AND subject = :sub")
                .bind("iss", issuer).bind("sub", subject).mapTo(String.class).findFirst());
    }

    private Outcome open(String userId, OidcIdentity identity) {
        if (users.isDeactivated(userId)) {
            return new Refused("This account is deactivated. Ask this hub's administrator.");
        }
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE sso_identities SET last_signed_in = :now, email = :email
                        WHERE issuer = :iss AND subject = :sub""")
                .bind("now", clock.millis()).bind("email", identity.email()).bind("iss", identity.issuer())
                .bind("sub", identity.subject()).execute());
        return new SignedIn(users.byId(userId).orElseThrow(), false);
    }

    /** Empty when linked; else why not (the account has another identity at this provider). */
    private Optional<String> link(String userId, OidcIdentity identity) {
        try {
            jdbi.useHandle(h -> insertIdentity(h, userId, identity));
            return Optional.empty();
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            // Either key: this account has another identity there, or this identity was linked meanwhile.
            return Optional.of("The account is already connected to another identity at this provider.");
        }
    }

    private void insertIdentity(Handle h, String userId, OidcIdentity identity) {
        long now = clock.millis();
        h.createUpdate("""
                        INSERT INTO sso_identities (issuer, subject, user_id, email, created_at, last_signed_in)
                        VALUES (:iss, :sub, :user, :email, :now, :now)""")
                .bind("iss", identity.issuer()).bind("sub", identity.subject()).bind("user", userId)
                .bind("email", identity.email()).bind("now", now).execute();
    }

    private Outcome create(OidcIdentity identity, String email) {
        String fullname = identity.name() != null ? identity.name() : "";
        for (String name : candidateNames(identity, email)) {
            if (users.nameTaken(name)) {
                continue;
            }
            try {
                User user = jdbi.inTransaction(h -> {
                    User made = Users.insert(h, clock.millis(), name, email, fullname.isEmpty() ? name : fullname,
                            Users.NO_PASSWORD, false, identity.emailVerified());
                    insertIdentity(h, made.id(), identity);
                    return made;
                });
                return new SignedIn(user, true);
            } catch (dev.atrium.http.Errors.Conflict e) {
                // Taken between the check and the insert: the next candidate.
            } catch (Users.EmailTaken e) {
                return new Refused("An account here already has the address " + email + ".");
            }
        }
        return new Refused("No free account name could be made for " + email + ". Ask this hub's administrator.");
    }

    /**
     * Account names to try, best first: the provider's username (the part before an '@' where it is an address),
     * else the email's local part, made to fit the hub's names, then the same with -2, -3... appended.
     */
    static java.util.List<String> candidateNames(OidcIdentity identity, String email) {
        String base = fit(identity.preferredUsername());
        if (base == null) {
            base = fit(email);
        }
        if (base == null) {
            base = "user";
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        if (!RepoId.isReservedNamespace(base)) {
            names.add(base);
        }
        for (int n = 2; n <= 20; n++) {
            String suffix = "-" + n;
            names.add(base.substring(0, Math.min(base.length(), 39 - suffix.length())) + suffix);
        }
        return names;
    }

    private static @Nullable String fit(@Nullable String raw) {
        if (raw == null) {
            return null;
        }
        String local = raw.contains("@") ? raw.substring(0, raw.indexOf('@')) : raw;
        String name = NOT_IN_NAMES.matcher(local).replaceAll("-")
                .replaceAll("^[_.-]+", "").replaceAll("[_.-]+$", "");
        if (name.length() > 39) {
            name = name.substring(0, 39).replaceAll("[_.-]+$", "");
        }
        return NAME.matcher(name).matches() ? name : null;
    }
}
