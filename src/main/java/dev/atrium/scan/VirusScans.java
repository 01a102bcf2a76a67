package dev.atrium.scan;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Antivirus scans by ClamAV ({@link Clamd}) of every pushed file up to {@code maxSize}, kept in {@code av_scans}: the
 * Hub's {@code avScan}. A verdict is kept with the signature version that gave it.
 */
public final class VirusScans implements FileScan {
    private static final Logger LOG = LoggerFactory.getLogger(VirusScans.class);
    /** How long clamd's version is reused before it is asked again: its signatures change while it runs. */
    static final String KIND = "antivirus";
    private static final String TABLE = "av_scans";
    private static final Duration VERSION_AGE = Duration.ofMinutes(10);

    /** What clamd said of one file; {@code names} only for an infected one. */
    public record Result(Outcome outcome, List<String> names) {
        public boolean virusFound() {
            return outcome == Outcome.INFECTED;
        }
    }

    public enum Outcome {
        CLEAN, INFECTED,
        /** Past clamd's StreamMaxLength: not scanned, and not asked for again. */
        TOO_LARGE;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Outcome parse(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    private final Jdbi jdbi;
    private final Clamd clamd;
    private final long maxSize;
    private final Clock clock;
    private String version;
    private long versionAt;

    public VirusScans(Jdbi jdbi, Clamd clamd, long maxSize, Clock clock) {
        this.jdbi = jdbi;
        this.clamd = clamd;
        this.maxSize = maxSize;
        this.clock = clock;
    }

    /** {@code atrium admin rescan}: every verdict is kept until this scan has run again on its file. */
    public static int markStale(Jdbi jdbi) {
        return jdbi.inTransaction(VirusScans::markStale);
    }

    /** {@link #markStale(Jdbi)} inside the caller's transaction. */
    static int markStale(Handle h) {
        return ScanLookups.markStale(h, TABLE, KIND);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public boolean answers() {
        try {
            clamd.version();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean wants(String path, long size, boolean inGit) {
        return size <= maxSize;
    }

    @Override
    public Set<ScanKey> scanned(Collection<ScanKey> keys) {
        return ScanLookups.current(jdbi, TABLE, keys);
    }

    public Verdicts<Result> results(Collection<ScanKey> keys) {
        Map<ScanKey, Result> out = new HashMap<>();
        Set<ScanKey> stale = new HashSet<>();
        ScanLookups.inBatches(keys, batch -> jdbi.useHandle(h -> h.createQuery(
                        "SELECT content_key, outcome, virus_names, stale FROM av_scans WHERE content_key IN (<keys>)")
                .bindList("keys", batch)
                .map((rs, ctx) -> {
                    ScanKey key = new ScanKey(rs.getString(1));
                    if (rs.getBoolean(4)) {
                        stale.add(key);
                    }
                    return Map.entry(key, new Result(Outcome.parse(rs.getString(2)), names(rs.getString(3))));
                })
                .forEach(e -> out.put(e.getKey(), e.getValue()))));
        return new Verdicts<>(out, stale);
    }

    @Override
    public void scanAndStore(ScanKey key, String path, ByteSource bytes) throws IOException {
        String engine = engine();
        Clamd.Verdict verdict;
        long read;
        try (CountingInputStream in = new CountingInputStream(bytes.open(0, bytes.size()))) {
            verdict = clamd.scan(in);
            in.transferTo(OutputStream.nullOutputStream()); // what clamd did not take, for the check below
            read = in.count();
        }
        // A verdict is kept by content and shown for every file with that content: it must be about all of it.
        // (That the bytes are the key's content is FileScans' concern: it hands over only blobs stored under their
        // SHA-256 and Xet files whose SHA-256 Atrium has checked.)
        if (read != bytes.size()) {
            throw new IOException("read " + read + " of " + bytes.size() + " bytes");
        }
        Result result = verdict instanceof Clamd.Verdict.Infected infected
                ? new Result(Outcome.INFECTED, infected.names())
                : new Result(verdict instanceof Clamd.Verdict.TooLarge ? Outcome.TOO_LARGE : Outcome.CLEAN, List.of());
        String names = String.join("\n", result.names());
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO av_scans (content_key, outcome, virus_names, engine, scanned_at)
                        VALUES (:key, :outcome, :names, :engine, :now) ON CONFLICT (content_key) DO UPDATE
                        SET outcome = excluded.outcome, virus_names = excluded.virus_names, engine = excluded.engine,
                            scanned_at = excluded.scanned_at, stale = FALSE""")
                .bind("key", key.id()).bind("outcome", result.outcome().wireName())
                .bind("names", names.isEmpty() ? null : names.substring(0, Math.min(1000, names.length())))
                .bind("engine", engine.substring(0, Math.min(200, engine.length())))
                .bind("now", clock.millis()).execute());
        if (result.virusFound()) {
            LOG.warn("ClamAV found {} in {} ({})", String.join(", ", result.names()), path, key.id());
        } else if (result.outcome() == Outcome.TOO_LARGE) {
            LOG.info("{} ({}, {} bytes) is past clamd's StreamMaxLength: not scanned; raise it to at least"
                    + " --clamd-max-size", path, key.id(), bytes.size());
        }
    }

    private synchronized String engine() throws IOException {
        if (version == null || clock.millis() - versionAt > VERSION_AGE.toMillis()) {
            version = clamd.version();
            versionAt = clock.millis();
        }
        return version;
    }

    private static List<String> names(String stored) {
        return stored == null ? List.of() : Arrays.asList(stored.split("\n"));
    }

    /** Counts the bytes read through it. */
    private static final class CountingInputStream extends FilterInputStream {
        private long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long count() {
            return count;
        }
    }
}
