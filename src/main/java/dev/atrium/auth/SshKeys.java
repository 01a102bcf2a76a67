package dev.atrium.auth;

import dev.atrium.db.Ids;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The SSH public keys users registered for git over SSH, found by fingerprint when a client connects with one. */
public final class SshKeys {
    public static final int MAX_PER_USER = 50;
    /** The prefix of an SSH key's credential id ({@link TokenInfo#id()} of those who connect with it). */
    public static final String CREDENTIAL_PREFIX = "sshkey:";

    public record Registered(String id, String userId, String title, SshPublicKey key, long createdAt,
                             Long lastUsedAt) {
        /** What the key lets its holder do: what a write token of theirs may. */
        public TokenInfo credential() {
            return new TokenInfo(CREDENTIAL_PREFIX + id, userId, "SSH key " + title, TokenRole.WRITE, createdAt,
                    lastUsedAt, null);
        }
    }

    /** The key is registered already, by this user or another: a key signs in as one account only. */
    public static final class KeyTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KeyTaken() {
            super("This key is already registered on this hub (a key signs in as one account only)");
        }
    }

    public static final class TooManyKeys extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyKeys() {
            super("You have " + MAX_PER_USER + " SSH keys registered, the most this hub keeps: remove one first");
        }
    }

    private static final String COLUMNS = "id, user_id, title, public_key, created_at, last_used_at";

    private final Jdbi jdbi;
    private final Clock clock;

    public SshKeys(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Registered add(String userId, String title, SshPublicKey key) {
        String id = Ids.newId();
        long now = clock.millis();
        String name = title == null || title.isBlank() ? (key.comment().isEmpty() ? key.type() : key.comment())
                : title.strip();
        if (name.length() > 200) {
            throw new InvalidSshKey("A key's title has at most 200 characters");
        }
        try {
            jdbi.useTransaction(h -> {
                if (h.createQuery("SELECT COUNT(*) FROM ssh_keys WHERE user_id = :u").bind("u", userId)
                        .mapTo(Integer.class).one() >= MAX_PER_USER) {
                    throw new TooManyKeys();
                }
                if (h.createQuery("SELECT COUNT(*) FROM ssh_keys WHERE fingerprint = :f")
                        .bind("f", key.fingerprint()).mapTo(Integer.class).one() > 0) {
                    throw new KeyTaken();
                }
                h.createUpdate("""
                        INSERT INTO ssh_keys (id, user_id, title, fingerprint, public_key, created_at)
                        VALUES (:id, :u, :title, :f, :k, :t)""")
                        .bind("id", id).bind("u", userId).bind("title", name).bind("f", key.fingerprint())
                        .bind("k", key.line() + (key.comment().isEmpty() ? "" : " " + key.comment()))
                        .bind("t", now).execute();
            });
        } catch (UnableToExecuteStatementException e) {
            throw new KeyTaken(); // registered concurrently: the unique fingerprint decided
        }
        return new Registered(id, userId, name, key, now, null);
    }

    public List<Registered> of(String userId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS
                        + " FROM ssh_keys WHERE user_id = :u ORDER BY created_at, id")
                .bind("u", userId).map((rs, c) -> registered(rs)).list());
    }

    public Optional<Registered> byFingerprint(String fingerprint) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM ssh_keys WHERE fingerprint = :f")
                .bind("f", fingerprint).map((rs, c) -> registered(rs)).findOne());
    }

    public Optional<Registered> byId(String id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM ssh_keys WHERE id = :id")
                .bind("id", id).map((rs, c) -> registered(rs)).findOne());
    }

    public void touch(String id) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE ssh_keys SET last_used_at = :t WHERE id = :id")
                .bind("t", clock.millis()).bind("id", id).execute());
    }

    public boolean delete(String userId, String id) {
        return jdbi.withHandle(h -> h.createUpdate("DELETE FROM ssh_keys WHERE id = :id AND user_id = :u")
                .bind("id", id).bind("u", userId).execute() > 0);
    }

    private static Registered registered(java.sql.ResultSet rs) throws java.sql.SQLException {
        long lastUsed = rs.getLong("last_used_at");
        Long lastUsedAt = rs.wasNull() ? null : lastUsed;
        return new Registered(rs.getString("id"), rs.getString("user_id"), rs.getString("title"),
                SshPublicKey.parse(rs.getString("public_key")), rs.getLong("created_at"), lastUsedAt);
    }
}
