package dev.atrium.auth;

import dev.atrium.db.Ids;
import dev.atrium.db.LikePatterns;
import dev.atrium.db.NameLocks;
import dev.atrium.http.HubException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jspecify.annotations.Nullable;

/** User accounts. Passwords are only ever stored as slow KDF hashes. */
public final class Users {
    /**
     * A user from the columns {@code id, name, email, fullname, is_admin, created_at} of {@code users}, by name, so
     * queries joining other tables read users alike (a joined table's own {@code created_at} must be renamed).
     */
    public static final RowMapper<User> ROW = (rs, ctx) -> new User(rs.getString("id"), rs.getString("name"),
            rs.getString("email"), rs.getString("fullname"), rs.getBoolean("is_admin"), rs.getLong("created_at"));

    private final Jdbi jdbi;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final FailedSignIns failures;

    /** The stored hash of an account without a password: no password verifies against it. */
    static final String NO_PASSWORD = "none";

    public Users(Jdbi jdbi, PasswordHasher hasher, Clock clock) {
        this.jdbi = jdbi;
        this.hasher = hasher;
        this.clock = clock;
        this.failures = new FailedSignIns(jdbi, clock);
    }

    public User create(String name, String email, String password, boolean admin) {
        String hash = hasher.hash(password);
        long now = clock.millis();
        return jdbi.inTransaction(h -> insert(h, now, name, email, name, hash, admin, false));
    }

    /**
     * Inserts an account, taking the namespace lock so that the name and email checks hold until commit: the one
     * insert of accounts, whether made with a password or by a sign-in through an identity provider (which may have
     * verified the email already).
     */
    static User insert(org.jdbi.v3.core.Handle h, long now, String name, String email, String fullname,
                       String passwordHash, boolean admin, boolean emailVerified) {
        String id = Ids.newId();
        NameLocks.NAMESPACE.take(h);
        if (nameTaken(h, name)) {
            throw new dev.atrium.http.Errors.Conflict("The name '" + name
                    + "' is taken by a user or an organization");
        }
        requireEmailFree(h, email, "");
        h.createUpdate("""
                INSERT INTO users (id, name, email, fullname, password_hash, is_admin, created_at, email_verified_at)
                VALUES (:id, :name, :email, :fullname, :hash, :admin, :now, :verified)""")
                .bind("id", id).bind("name", name).bind("email", email).bind("fullname", fullname)
                .bind("hash", passwordHash).bind("admin", admin).bind("now", now)
                .bind("verified", emailVerified ? (Long) now : null).execute();
        return new User(id, name, email, fullname, admin, now);
    }

    /** The account with this email, case aside (at most one: emails are unique among accounts). */
    public Optional<User> byEmail(String email) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, name, email, fullname, is_admin, created_at FROM users WHERE LOWER(email) = LOWER(:e)""")
                .bind("e", email).map(ROW).findFirst());
    }

    /** Whether the account has a password of its own (one made by a sign-in through a provider has none). */
    public boolean hasPassword(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM users WHERE id = :id")
                .bind("id", id).mapTo(String.class).findFirst().map(hash -> !NO_PASSWORD.equals(hash)).orElse(false));
    }

    /** Whether a user or an organization has this name already (case aside): they share one namespace. */
    public boolean nameTaken(String name) {
        return jdbi.withHandle(h -> nameTaken(h, name));
    }

    private static boolean nameTaken(org.jdbi.v3.core.Handle h, String name) {
        return h.createQuery("SELECT 1 FROM users WHERE LOWER(name) = LOWER(:n) UNION ALL "
                        + "SELECT 1 FROM organizations WHERE LOWER(name) = LOWER(:n)")
                .bind("n", name).mapTo(Integer.class).findFirst().isPresent();
    }

    public Optional<User> byName(String name) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, name, email, fullname, is_admin, created_at FROM users WHERE name = :name")
                .bind("name", name).map(ROW)
                .findOne());
    }

    public Optional<User> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT id, name, email, fullname, is_admin, created_at FROM users WHERE id = :id")
                .bind("id", id).map(ROW)
                .findOne());
    }

    /**
     * The user, while their account is active: what every credential (token, session, SSH key) signs in as. A
     * deactivated account keeps its repos, which {@link #byId} still finds.
     */
    public Optional<User> activeById(String id) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, name, email, fullname, is_admin, created_at FROM users
                        WHERE id = :id AND deactivated_at IS NULL""")
                .bind("id", id).map(ROW)
                .findOne());
    }

    /** The active account whose name, or else email, is {@code nameOrEmail} (case aside): who asks for a reset. */
    public Optional<User> activeByNameOrEmail(String nameOrEmail) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, name, email, fullname, is_admin, created_at FROM users
                        WHERE (LOWER(name) = LOWER(:q) OR LOWER(email) = LOWER(:q)) AND deactivated_at IS NULL
                        ORDER BY CASE WHEN LOWER(name) = LOWER(:q) THEN 0 ELSE 1 END""")
                .bind("q", nameOrEmail).map(ROW)
                .findFirst());
    }

    /** Whether the account's current email was shown to be its owner's (see {@link EmailVerifications}). */
    public boolean emailVerified(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT email_verified_at FROM users WHERE id = :id")
                .bind("id", id).mapTo(Long.class).findFirst().isPresent());
    }

    /**
     * Marks {@code email} verified for the account, if it is still the account's email (case aside): a link mailed
     * to an address the owner has since changed verifies nothing. Returns whether it was.
     */
    public boolean markEmailVerified(String id, String email) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE users SET email_verified_at = :now WHERE id = :id AND LOWER(email) = LOWER(:email)""")
                .bind("now", clock.millis()).bind("id", id).bind("email", email).execute()) == 1;
    }

    /**
     * The account, if its notifications may be mailed: active, its address verified, mail not turned off. One
     * query, as it is asked for each follower of a thread.
     */
    public Optional<User> mailableById(String id) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, name, email, fullname, is_admin, created_at FROM users
                        WHERE id = :id AND deactivated_at IS NULL AND email_verified_at IS NOT NULL
                          AND mail_notifications = :on""")
                .bind("id", id).bind("on", true).map(ROW)
                .findOne());
    }

    /** Whether the user also hears of their notifications by mail (on unless they turned it off). */
    public boolean mailNotifications(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT mail_notifications FROM users WHERE id = :id")
                .bind("id", id).mapTo(Boolean.class).findFirst().orElse(false));
    }

    public void setMailNotifications(String id, boolean on) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET mail_notifications = :on WHERE id = :id")
                .bind("on", on).bind("id", id).execute());
    }

    /** An account as the site's administrators list it. */
    /** An account as the administration lists it; {@code singleSignOn}: linked to an identity provider's account. */
    public record Listed(User user, boolean deactivated, boolean emailVerified, boolean singleSignOn) {}

    /**
     * Up to {@code limit} accounts whose name or email contains {@code query} (case aside; every account when
     * empty), by name.
     */
    public List<Listed> list(String query, int limit) {
        String like = " LIKE :q " + LikePatterns.ESCAPE;
        return jdbi.withHandle(h -> h.createQuery("SELECT id, name, email, fullname, is_admin, created_at,"
                        + " deactivated_at, email_verified_at, EXISTS (SELECT 1 FROM sso_identities s"
                        + " WHERE s.user_id = users.id) AS sso FROM users WHERE LOWER(name)" + like
                        + " OR LOWER(email)" + like
                        + " ORDER BY LOWER(name) LIMIT :limit")
                .bind("q", LikePatterns.containing(query.toLowerCase(java.util.Locale.ROOT)))
                .bind("limit", limit)
                .map((rs, ctx) -> new Listed(ROW.map(rs, ctx), rs.getObject("deactivated_at") != null,
                        rs.getObject("email_verified_at") != null, rs.getBoolean("sso")))
                .list());
    }

    public int count() {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Integer.class).one());
    }

    public boolean isDeactivated(String id) {
        return activeById(id).isEmpty() && byId(id).isPresent();
    }

    /** Deactivates the account (now) or reactivates it; false when there is no such user. */
    public boolean setDeactivated(String id, boolean deactivated) {
        return jdbi.withHandle(h -> h.createUpdate("UPDATE users SET deactivated_at = :at WHERE id = :id")
                .bind("at", deactivated ? (Long) clock.millis() : null).bind("id", id).execute() > 0);
    }

    /** A new password: the attempts at the old one no longer hold the account back. */
    public void setPassword(String id, String password) {
        String hash = hasher.hash(password);
        jdbi.useHandle(h -> h.createUpdate("UPDATE users SET password_hash = :hash WHERE id = :id")
                .bind("hash", hash).bind("id", id).execute());
        failures.forgiveAll(id);
    }

    /**
     * Whether another account has this email (case aside). Emails decide whose signed commits show as verified, and
     * nothing here proves one owns an address: one account per address at least keeps users from claiming each
     * other's.
     */
    public boolean emailTaken(String email, @Nullable String exceptUserId) {
        return jdbi.withHandle(h -> emailTaken(h, email, exceptUserId == null ? "" : exceptUserId));
    }

    private static boolean emailTaken(org.jdbi.v3.core.Handle h, String email, String exceptUserId) {
        return h.createQuery("SELECT 1 FROM users WHERE LOWER(email) = LOWER(:e) AND id <> :me")
                .bind("e", email).bind("me", exceptUserId).mapTo(Integer.class).findFirst().isPresent();
    }

    /**
     * The check that counts, taken under the namespace lock (as names are) so that two accounts made or edited at
     * once cannot end up with one address; {@link #emailTaken} only lets a form say so early.
     */
    private static void requireEmailFree(org.jdbi.v3.core.Handle h, String email, String exceptUserId) {
        if (!email.isBlank() && emailTaken(h, email, exceptUserId)) {
            throw new EmailTaken();
        }
    }

    /** Changes what the profile shows; the name, which repos live under, stays. */
    public void updateProfile(String id, String fullname, String email) {
        jdbi.useTransaction(h -> {
            NameLocks.NAMESPACE.take(h);
            requireEmailFree(h, email, id);
            // A new address is unverified until a link mailed to it is opened.
            h.createUpdate("""
                            UPDATE users SET fullname = :fullname, email = :email, email_verified_at = CASE
                                WHEN LOWER(email) = LOWER(:email) THEN email_verified_at ELSE NULL END
                            WHERE id = :id""")
                    .bind("fullname", fullname).bind("email", email).bind("id", id).execute();
        });
    }

    /** Another account has this email already. */
    public static final class EmailTaken extends HubException {
        private static final long serialVersionUID = 1L;

        public EmailTaken() {
            super("This email belongs to another account.");
        }

        @Override
        public int status() {
            return 409;
        }
    }

    /** What a password check found: the account named, if there is one, and whether the password is its. */
    public record PasswordCheck(Optional<User> account, boolean right) {}

    /**
     * Whether {@code password} is the account's. Every check of a password goes through here, counted per account
     * and per client address {@code source} ({@link FailedSignIns}): past the limit it throws
     * {@link SignInThrottled} without checking.
     */
    public boolean checkPassword(String name, String password, String source) {
        return check(name, password, source).right();
    }

    /** {@link #checkPassword}, saying also whether the name is an account's (and which): what a login needs. */
    public PasswordCheck check(String name, String password, String source) {
        record Stored(User user, String hash) {}
        Optional<Stored> stored = jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, name, email, fullname, is_admin, created_at, password_hash FROM users
                        WHERE name = :name""")
                .bind("name", name).map((rs, ctx) -> new Stored(ROW.map(rs, ctx), rs.getString("password_hash")))
                .findOne());
        if (stored.isEmpty()) {
            return new PasswordCheck(Optional.empty(), false);
        }
        String id = stored.get().user().id();
        failures.begin(id, source);
        boolean right = hasher.verify(password, stored.get().hash());
        if (right) {
            failures.forgive(id, source);
        }
        return new PasswordCheck(Optional.of(stored.get().user()), right);
    }
}
