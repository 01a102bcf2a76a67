package dev.atrium.usage;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;

/**
 * Bytes served per owner and day. Downloads add to counters in memory, flushed to the database every minute (and at
 * shutdown), so a busy download path never waits on a write; a crash loses at most that minute's count. A download
 * counts what the server set out to send (the whole file or the range asked), not what a client that hung up
 * received.
 */
public final class Bandwidth {
    private record Key(String namespace, int day) {}

    private final Jdbi jdbi;
    private final Clock clock;
    /** Merged into and removed from atomically per key, so a download counted during a flush is never lost. */
    private final Map<Key, Long> pending = new ConcurrentHashMap<>();

    public Bandwidth(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public void served(String namespace, long bytes) {
        if (bytes > 0) {
            pending.merge(new Key(namespace, (int) (clock.millis() / 86_400_000L)), bytes, Long::sum);
        }
    }

    /** Writes the counted bytes to the database and forgets them. */
    public void flush() {
        for (Key key : pending.keySet()) {
            Long removed = pending.remove(key);
            if (removed == null) {
                continue;
            }
            long bytes = removed;
            try {
                write(key, bytes);
            } catch (RuntimeException e) {
                pending.merge(key, bytes, Long::sum); // counted again at the next flush
                throw e;
            }
        }
    }

    /** One upsert, so two nodes (or two flushes) adding to the same day both count. */
    private void write(Key key, long bytes) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO bandwidth_days (namespace, day, bytes) VALUES (:ns, :d, :b)
                        ON CONFLICT (namespace, day) DO UPDATE SET bytes = bandwidth_days.bytes + excluded.bytes""")
                .bind("ns", key.namespace()).bind("d", key.day()).bind("b", bytes).execute());
    }

    /** Bytes served to {@code namespace}'s repos in the current (UTC) month, the last minute's included. */
    public long thisMonth(String namespace) {
        flush();
        int today = (int) (clock.millis() / 86_400_000L);
        return between(namespace, (int) java.time.LocalDate.ofEpochDay(today).withDayOfMonth(1).toEpochDay(), today);
    }

    /** Bytes served to {@code namespace}'s repos from {@code fromDay} to {@code toDay}, flushed ones only. */
    public long between(String namespace, int fromDay, int toDay) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT COALESCE(SUM(bytes), 0) FROM bandwidth_days WHERE namespace = :ns AND day BETWEEN :f AND :t")
                .bind("ns", namespace).bind("f", fromDay).bind("t", toDay).mapTo(Long.class).one());
    }

    /** Bytes served per day from {@code fromDay} to {@code toDay}, days without downloads left out. */
    public Map<Integer, Long> daysBetween(String namespace, int fromDay, int toDay) {
        Map<Integer, Long> days = new java.util.TreeMap<>();
        jdbi.useHandle(h -> h.createQuery(
                        "SELECT day, bytes FROM bandwidth_days WHERE namespace = :ns AND day BETWEEN :f AND :t")
                .bind("ns", namespace).bind("f", fromDay).bind("t", toDay)
                .map((rs, c) -> Map.entry(rs.getInt(1), rs.getLong(2))).forEach(e -> days.put(e.getKey(), e.getValue())));
        return days;
    }
}
