package dev.atrium.usage;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Monthly statements: built from the daily storage record and bandwidth, closed once their month is over, and paid
 * through the {@link PaymentCollector}. Closing runs on every node's housekeeping; a statement is claimed with an
 * insert (the primary key picks one node) before its collector runs.
 */
public final class Statements {
    private static final Logger LOG = LoggerFactory.getLogger(Statements.class);
    /** A claim this old whose collector never answered was left by a crash; it is collected again. */
    static final Duration STALE_CLAIM = Duration.ofDays(1);

    /** A closed month as listed on the usage page. */
    public record Closed(YearMonth month, Payment payment) {}

    private final Jdbi jdbi;
    private final Usage usage;
    private final Bandwidth bandwidth;
    private final PaymentCollector collector;
    private final Clock clock;

    public Statements(Jdbi jdbi, Usage usage, Bandwidth bandwidth, PaymentCollector collector, Clock clock) {
        this.jdbi = jdbi;
        this.usage = usage;
        this.bandwidth = bandwidth;
        this.collector = collector;
        this.clock = clock;
    }

    public PaymentCollector collector() {
        return collector;
    }

    public YearMonth currentMonth() {
        return YearMonth.now(clock.withZone(ZoneOffset.UTC));
    }

    /** The statement of {@code namespace} for {@code month}, with its payment once closed. */
    public Statement of(String namespace, YearMonth month) {
        int from = (int) month.atDay(1).toEpochDay();
        int to = (int) month.atEndOfMonth().toEpochDay();
        List<Usage.Day> days = usage.days(namespace, from).stream().filter(d -> d.day() <= to).toList();
        Map<Integer, Long> served = new HashMap<>();
        bandwidth.daysBetween(namespace, from, to).forEach(served::put);
        return new Statement(namespace, month, days, usage.limits(namespace), served,
                payment(namespace, month).orElse(null));
    }

    public Optional<Payment> payment(String namespace, YearMonth month) {
        return jdbi.withHandle(h -> h.createQuery(
                        "SELECT method, reference, status, detail FROM statements WHERE namespace = :ns AND month = :m")
                .bind("ns", namespace).bind("m", month.toString())
                .map((rs, c) -> new Payment(rs.getString(1), rs.getString(2), Payment.Status.valueOf(rs.getString(3)),
                        rs.getString(4)))
                .findOne());
    }

    /** Closed statements of {@code namespace}, newest first. */
    public List<Closed> closed(String namespace) {
        return jdbi.withHandle(h -> h.createQuery("""
                        SELECT month, method, reference, status, detail FROM statements WHERE namespace = :ns
                        ORDER BY month DESC""")
                .bind("ns", namespace)
                .map((rs, c) -> new Closed(YearMonth.parse(rs.getString(1)), new Payment(rs.getString(2),
                        rs.getString(3), Payment.Status.valueOf(rs.getString(4)), rs.getString(5))))
                .list());
    }

    /**
     * Closes every month before the current one that has a usage record and no collected statement: claims each
     * statement, has the collector collect it, and records the outcome. Returns how many were collected now.
     */
    public int closePastMonths() {
        YearMonth current = currentMonth();
        long now = clock.millis();
        // A year back: enough to catch up after a long outage, without reading every record ever kept.
        int from = (int) current.minusMonths(12).atDay(1).toEpochDay();
        int until = (int) current.atDay(1).toEpochDay();
        List<Owed> owed = jdbi.withHandle(h -> h.createQuery("""
                        SELECT namespace, day FROM usage_days WHERE day >= :from AND day < :until
                        UNION SELECT namespace, day FROM bandwidth_days WHERE day >= :from AND day < :until""")
                .bind("from", from).bind("until", until)
                .map((rs, c) -> new Owed(rs.getString(1), YearMonth.from(LocalDate.ofEpochDay(rs.getInt(2)))))
                .list()).stream().distinct().toList();
        int collected = 0;
        for (Owed statement : owed) {
            if (claim(statement.namespace(), statement.month().toString(), now)) {
                collect(statement.namespace(), statement.month());
                collected++;
            }
        }
        return collected;
    }

    /** A namespace's statement for an ended month. */
    private record Owed(String namespace, YearMonth month) {}

    /** An operator recording an invoice as paid. False when there is no such closed statement. */
    public boolean markPaid(String namespace, YearMonth month, String detail) {
        return jdbi.withHandle(h -> h.createUpdate("""
                        UPDATE statements SET status = 'PAID', detail = :d
                        WHERE namespace = :ns AND month = :m AND status <> 'PENDING'""")
                .bind("d", detail).bind("ns", namespace).bind("m", month.toString()).execute()) == 1;
    }

    /** True when this call owns the collection: a new claim, or the retry of a failed or abandoned one. */
    private boolean claim(String namespace, String month, long now) {
        return jdbi.inTransaction(h -> {
            Optional<String[]> existing = h.createQuery(
                            "SELECT status, claimed_at FROM statements WHERE namespace = :ns AND month = :m")
                    .bind("ns", namespace).bind("m", month)
                    .map((rs, c) -> new String[] {rs.getString(1), String.valueOf(rs.getLong(2))}).findOne();
            if (existing.isEmpty()) {
                // Of two nodes inserting at once, the primary key lets one row in; the other inserts nothing.
                return h.createUpdate("""
                                INSERT INTO statements (namespace, month, claimed_at, method, status)
                                VALUES (:ns, :m, :now, :method, 'PENDING') ON CONFLICT DO NOTHING""")
                        .bind("ns", namespace).bind("m", month).bind("now", now)
                        .bind("method", collector.method()).execute() == 1;
            }
            // Compare-and-swap on claimed_at: of two nodes retrying at once, one updates the row.
            return h.createUpdate("""
                            UPDATE statements SET status = 'PENDING', claimed_at = :now
                            WHERE namespace = :ns AND month = :m AND claimed_at = :was
                              AND (status = 'FAILED' OR (status = 'PENDING' AND claimed_at < :stale))""")
                    .bind("now", now).bind("ns", namespace).bind("m", month)
                    .bind("was", Long.parseLong(existing.get()[1]))
                    .bind("stale", now - STALE_CLAIM.toMillis()).execute() == 1;
        });
    }

    private void collect(String namespace, YearMonth month) {
        Payment payment;
        try {
            payment = collector.collect(of(namespace, month));
        } catch (RuntimeException e) {
            LOG.warn("Collecting the {} statement of {} failed: {}", month, namespace, e.toString());
            payment = new Payment(collector.method(), null, Payment.Status.FAILED, e.getMessage());
        }
        Payment outcome = payment;
        jdbi.useHandle(h -> h.createUpdate("""
                        UPDATE statements SET method = :method, reference = :ref, status = :status, detail = :detail
                        WHERE namespace = :ns AND month = :m""")
                .bind("method", outcome.method()).bind("ref", outcome.reference())
                .bind("status", outcome.status().name()).bind("detail", outcome.detail())
                .bind("ns", namespace).bind("m", month.toString()).execute());
    }
}
