package dev.atrium.signing;

import dev.atrium.db.Ids;
import java.time.Clock;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/** The GPG public keys users registered, by user and by the key ids their signatures name. */
public final class GpgKeys {
    /** Enough for every machine and smart card someone signs from, few enough that a page lists them all. */
    public static final int MAX_PER_USER = 50;

    public record Registered(String id, String userId, GpgPublicKey key, long createdAt) {}

    /** The key is registered already, by this user or another: a key proves one person's commits only. */
    public static final class KeyTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;

        KeyTaken(String fingerprint) {
            super("The key " + fingerprint + " is already registered on this hub");
        }
    }

    public static final class TooManyKeys extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyKeys() {
            super("You have " + MAX_PER_USER + " GPG keys registered, the most this hub keeps: remove one first");
        }
    }

    private final Jdbi jdbi;
    private final Clock clock;

    public GpgKeys(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public Registered add(String userId, GpgPublicKey key) {
        String id = Ids.newId();
        long now = clock.millis();
        try {
            jdbi.useTransaction(h -> {
                int count = h.createQuery("SELECT COUNT(*) FROM gpg_keys WHERE user_id = :u").bind("u", userId)
                        .mapTo(Integer.class).one();
                if (count >= MAX_PER_USER) {
                    throw new TooManyKeys();
                }
                if (h.createQuery("SELECT COUNT(*) FROM gpg_keys WHERE fingerprint = :f").bind("f", key.fingerprint())
                        .mapTo(Integer.class).one() > 0) {
                    throw new KeyTaken(key.fingerprint());
                }
                h.createUpdate("""
                        INSERT INTO gpg_keys (id, user_id, fingerprint, armored, created_at)
                        VALUES (:id, :u, :f, :a, :t)""")
                        .bind("id", id).bind("u", userId).bind("f", key.fingerprint()).bind("a", key.armored())
                        .bind("t", now).execute();
                for (String keyId : key.keyIds().stream().distinct().toList()) {
                    h.createUpdate("INSERT INTO gpg_key_ids (key_id, gpg_key_id) VALUES (:k, :id)")
                            .bind("k", keyId).bind("id", id).execute();
                }
            });
        } catch (UnableToExecuteStatementException e) {
            // Registered concurrently: the unique fingerprint decided.
            throw new KeyTaken(key.fingerprint());
        }
        return new Registered(id, userId, key, now);
    }

    public List<Registered> of(String userId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT id, user_id, armored, created_at FROM gpg_keys WHERE user_id = :u
                        ORDER BY created_at, id""")
                .bind("u", userId).map((rs, c) -> registered(rs)).list());
    }

    /** The registered keys that hold a key (primary or subkey) with this 16-hex-digit id; almost always one. */
    public List<Registered> withKeyId(String keyId) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT k.id, k.user_id, k.armored, k.created_at FROM gpg_key_ids i
                        JOIN gpg_keys k ON k.id = i.gpg_key_id WHERE i.key_id = :k ORDER BY k.created_at""")
                .bind("k", keyId).map((rs, c) -> registered(rs)).list());
    }

    /** Removes one of the user's keys; false when they have none with this id. */
    public boolean delete(String userId, String id) {
        return jdbi.inTransaction(h -> {
            if (h.createQuery("SELECT COUNT(*) FROM gpg_keys WHERE id = :id AND user_id = :u").bind("id", id)
                    .bind("u", userId).mapTo(Integer.class).one() == 0) {
                return false;
            }
            // SQLite enforces foreign keys only when asked to: the ids go explicitly.
            h.createUpdate("DELETE FROM gpg_key_ids WHERE gpg_key_id = :id").bind("id", id).execute();
            return h.createUpdate("DELETE FROM gpg_keys WHERE id = :id").bind("id", id).execute() > 0;
        });
    }

    private static Registered registered(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Registered(rs.getString("id"), rs.getString("user_id"), GpgPublicKey.parse(rs.getString("armored")),
                rs.getLong("created_at"));
    }
}
