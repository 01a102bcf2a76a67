package dev.atrium.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.db.Database;
import dev.atrium.repo.GitRepos;
import dev.atrium.testing.SettableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatementsTest {
    private static final YearMonth OCTOBER = YearMonth.of(2026, 10);

    @TempDir
    Path dir;

    private Jdbi jdbi;
    private Usage usage;
    private Bandwidth bandwidth;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-10-20T12:00:00Z"));

    /** SQLite here; {@link StatementsPostgresIT} runs the same tests on PostgreSQL. */
    protected Jdbi openDatabase() {
        return Database.openSqlite(dir.resolve("atrium.db"));
    }

    @BeforeEach
    void open() throws IOException {
        jdbi = openDatabase();
        usage = new Usage(jdbi, new GitRepos(dir.resolve("repos")), clock);
        bandwidth = new Bandwidth(jdbi, clock);
    }

    @Test
    void closePastMonths_collectsEachEndedMonthOnce_andNeverTheCurrentOne() {
        recordDay("alice", LocalDate.of(2026, 10, 20), 2_000_000_000L);
        bandwidth.served("alice", 5_000);
        bandwidth.flush();
        CountingCollector collector = new CountingCollector(new InvoiceCollector());
        Statements statements = new Statements(jdbi, usage, bandwidth, collector, clock);

        assertEquals(0, statements.closePastMonths(), "October is still open");

        clock.set(Instant.parse("2026-11-01T00:05:00Z"));
        assertEquals(1, statements.closePastMonths());
        assertEquals(0, statements.closePastMonths(), "a second run collects nothing");
        assertEquals(0, new Statements(jdbi, usage, bandwidth, collector, clock).closePastMonths(),
                "nor does another node");

        assertEquals(1, collector.seen.size());
        Statement collected = collector.seen.get(0);
        assertEquals("alice", collected.namespace());
        assertEquals(OCTOBER, collected.month());
        assertEquals(5_000, collected.bytesServed(), "the collector sees the month's figures");
        Payment payment = statements.payment("alice", OCTOBER).orElseThrow();
        assertEquals(new Payment("invoice", "INV-202610-alice", Payment.Status.INVOICED, null), payment);
        assertEquals(List.of(new Statements.Closed(OCTOBER, payment)), statements.closed("alice"));
    }

    @Test
    void statement_showsItsPayment_inThePdf() {
        recordDay("alice", LocalDate.of(2026, 10, 3), 10L);
        clock.set(Instant.parse("2026-11-02T00:00:00Z"));
        Statements statements = new Statements(jdbi, usage, bandwidth, new InvoiceCollector(), clock);

        assertNull(statements.of("alice", OCTOBER).payment());
        assertTrue(pdfText(statements.of("alice", OCTOBER)).contains("Payment: open until the month ends"));
        statements.closePastMonths();

        assertTrue(pdfText(statements.of("alice", OCTOBER)).contains("Payment: invoice INV-202610-alice, invoiced"));
    }

    @Test
    void failedCollection_isRecorded_andTriedAgainNextRun() {
        recordDay("acme", LocalDate.of(2026, 10, 3), 10L);
        clock.set(Instant.parse("2026-11-02T00:00:00Z"));
        FlakyCollector flaky = new FlakyCollector();
        Statements statements = new Statements(jdbi, usage, bandwidth, flaky, clock);

        statements.closePastMonths();
        assertEquals(Payment.Status.FAILED, statements.payment("acme", OCTOBER).orElseThrow().status());
        assertEquals("card declined", statements.payment("acme", OCTOBER).orElseThrow().detail());

        clock.advance(Duration.ofDays(1));
        statements.closePastMonths();
        assertEquals(Payment.Status.PAID, statements.payment("acme", OCTOBER).orElseThrow().status());
        assertEquals(2, flaky.calls);
    }

    @Test
    void pendingClaim_isLeftToItsNode_untilStale() {
        recordDay("acme", LocalDate.of(2026, 10, 3), 10L);
        clock.set(Instant.parse("2026-11-02T00:00:00Z"));
        // A node claimed October and crashed before its collector answered.
        jdbi.useHandle(h -> h.execute("INSERT INTO statements (namespace, month, claimed_at, method, status) "
                + "VALUES ('acme', '2026-10', ?, 'invoice', 'PENDING')", clock.millis()));
        Statements statements = new Statements(jdbi, usage, bandwidth, new InvoiceCollector(), clock);

        assertEquals(0, statements.closePastMonths(), "a fresh claim belongs to the node that made it");
        clock.advance(Statements.STALE_CLAIM.plusSeconds(1));
        assertEquals(1, statements.closePastMonths(), "an abandoned claim is collected again");
        assertEquals(Payment.Status.INVOICED, statements.payment("acme", OCTOBER).orElseThrow().status());
    }

    @Test
    void markPaid_recordsAnInvoicePayment_onlyForClosedStatements() {
        recordDay("alice", LocalDate.of(2026, 10, 3), 10L);
        Statements statements = new Statements(jdbi, usage, bandwidth, new InvoiceCollector(), clock);
        assertFalse(statements.markPaid("alice", OCTOBER, "wire 42"), "October is not closed yet");

        clock.set(Instant.parse("2026-11-02T00:00:00Z"));
        statements.closePastMonths();

        assertTrue(statements.markPaid("alice", OCTOBER, "wire 42"));
        assertEquals(new Payment("invoice", "INV-202610-alice", Payment.Status.PAID, "wire 42"),
                statements.payment("alice", OCTOBER).orElseThrow());
    }

    private void recordDay(String namespace, LocalDate day, long privateBytes) {
        jdbi.useHandle(h -> h.execute("INSERT INTO usage_days (namespace, day, private_bytes, public_bytes) "
                + "VALUES (?, ?, ?, 0)", namespace, (int) day.toEpochDay(), privateBytes));
    }

    private static String pdfText(Statement statement) {
        return new String(statement.pdf(), StandardCharsets.ISO_8859_1);
    }

    private static final class CountingCollector implements PaymentCollector {
        final List<Statement> seen = new ArrayList<>();
        private final PaymentCollector inner;

        CountingCollector(PaymentCollector inner) {
            this.inner = inner;
        }

        @Override
        public String method() {
            return inner.method();
        }

        @Override
        public String description() {
            return inner.description();
        }

        @Override
        public Payment collect(Statement statement) {
            seen.add(statement);
            return inner.collect(statement);
        }
    }

    /** A card processor that declines once: what the seam must survive, with no processor to run here. */
    private static final class FlakyCollector implements PaymentCollector {
        int calls;

        @Override
        public String method() {
            return "card";
        }

        @Override
        public String description() {
            return "by card";
        }

        @Override
        public Payment collect(Statement statement) {
            if (calls++ == 0) {
                throw new IllegalStateException("card declined");
            }
            return new Payment("card", "ch_" + statement.month(), Payment.Status.PAID, null);
        }
    }
}
