package dev.atrium.scan;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews antivirus verdicts when clamd's signatures change, so that files pushed before a threat was known are
 * checked for it. clamd's {@code VERSION} names its signature set ("ClamAV 1.4.6/27480/Wed Nov 26 09:30:00 2026"),
 * which freshclam replaces several times a day; a new set marks every verdict for a rescan (as {@code atrium admin
 * rescan --antivirus} does) at most once per {@code interval}, since a rescan reads every scanned file again. The
 * first set seen is the baseline. With only local signature databases clamd names no set, and verdicts are renewed by
 * the admin command alone. Nodes of one hub share the record: one of them renews (compare-and-swap).
 */
public final class SignatureWatch {
    private static final Logger LOG = LoggerFactory.getLogger(SignatureWatch.class);
    private static final String KIND = VirusScans.KIND;
    private static final int MAX_LENGTH = 200;

    /** What one check found, and did. */
    public enum Outcome { NO_ANSWER, NO_SIGNATURE_SET, FIRST_SEEN, UNCHANGED, TOO_SOON, RENEWED }

    /** clamd's {@code VERSION} answer ({@link Clamd#version}). */
    @FunctionalInterface
    public interface VersionSource {
        String version() throws IOException;
    }

    private record Renewal(String signatures, long at) {}

    private final Jdbi jdbi;
    private final VersionSource clamd;
    private final Duration interval;
    private final Clock clock;

    public SignatureWatch(Jdbi jdbi, VersionSource clamd, Duration interval, Clock clock) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the interval between renewals must be positive");
        }
        this.jdbi = jdbi;
        this.clamd = clamd;
        this.interval = interval;
        this.clock = clock;
    }

    public Outcome check() {
        String version;
        try {
            version = clamd.version();
        } catch (IOException e) {
            return Outcome.NO_ANSWER;
        }
        Optional<String> set = signatureSet(version);
        if (set.isEmpty()) {
            return Outcome.NO_SIGNATURE_SET;
        }
        String signatures = set.get();
        long now = clock.millis();
        return jdbi.inTransaction(h -> {
            Optional<Renewal> last = h.createQuery(
                            "SELECT signatures, renewed_at FROM scan_signatures WHERE kind = :kind")
                    .bind("kind", KIND)
                    .map((rs, ctx) -> new Renewal(rs.getString(1), rs.getLong(2))).findOne();
            if (last.isEmpty()) {
                h.createUpdate("""
                                INSERT INTO scan_signatures (kind, signatures, renewed_at) VALUES (:kind, :sigs, :now)
                                ON CONFLICT (kind) DO NOTHING""")
                        .bind("kind", KIND).bind("sigs", signatures).bind("now", now).execute();
                return Outcome.FIRST_SEEN;
            }
            if (last.get().signatures().equals(signatures)) {
                return Outcome.UNCHANGED;
            }
            if (now - last.get().at() < interval.toMillis()) {
                return Outcome.TOO_SOON;
            }
            int won = h.createUpdate("""
                            UPDATE scan_signatures SET signatures = :sigs, renewed_at = :now
                            WHERE kind = :kind AND signatures = :old AND renewed_at = :oldAt""")
                    .bind("sigs", signatures).bind("now", now).bind("kind", KIND)
                    .bind("old", last.get().signatures()).bind("oldAt", last.get().at()).execute();
            if (won == 0) {
                return Outcome.UNCHANGED; // another node renewed them meanwhile
            }
            int marked = VirusScans.markStale(h);
            LOG.info("clamd's signatures changed ({} to {}): {} antivirus verdicts are renewed", last.get().signatures(),
                    signatures, marked);
            return Outcome.RENEWED;
        });
    }

    /** The signature set in a {@code VERSION} answer: what follows the engine's version, if anything. */
    static Optional<String> signatureSet(String version) {
        int slash = version.indexOf('/');
        String set = slash < 0 ? "" : version.substring(slash + 1).trim();
        return set.isEmpty() ? Optional.empty() : Optional.of(set.substring(0, Math.min(MAX_LENGTH, set.length())));
    }
}
