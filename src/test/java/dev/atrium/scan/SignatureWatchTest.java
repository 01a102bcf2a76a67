package dev.atrium.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.atrium.db.Database;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watch against the real database. clamd itself only names a signature set when it loaded ClamAV's official
 * databases, which this machine cannot download (the tests' clamd has local signatures, and its VERSION names none),
 * so its answers are given here: the parsing of real answers is {@link ClamdTest}'s.
 */
class SignatureWatchTest {
    private static final Duration DAY = Duration.ofHours(24);

    @TempDir
    Path dir;
    private Jdbi jdbi;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-27T00:00:00Z"));
    private final AtomicReference<String> version = new AtomicReference<>("ClamAV 1.4.6/27480/Wed Nov 26 09:30:00 2026");

    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @BeforeEach
    void verdicts() {
        jdbi = Database.openSqlite(dir.resolve("atrium.db"));
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO repos (id, type, namespace, name, private, created_at, updated_at)"
                    + " VALUES ('r1', 'MODEL', 'acme', 'one', false, 0, 0)");
            h.execute("INSERT INTO av_scans (content_key, outcome, virus_names, engine, scanned_at) VALUES"
                    + " ('a', 'clean', NULL, 'ClamAV 1.4.6/27479', 0), ('b', 'infected', 'Eicar', 'ClamAV 1.4.6/27479', 0)");
            h.execute("INSERT INTO pickle_scans (content_key, highest, imports_json, problem, scanned_at)"
                    + " VALUES ('p', 'innocuous', '[]', NULL, 0)");
            h.execute("INSERT INTO scan_walks (kind, repo_id, walked_at) VALUES ('antivirus', 'r1', 0), ('pickle', 'r1', 0)");
        });
    }

    private SignatureWatch watch() {
        return new SignatureWatch(jdbi, version::get, DAY, clock);
    }

    private Set<String> stale(String table) {
        return jdbi.withHandle(h -> new TreeSet<>(h.createQuery("SELECT content_key FROM " + table + " WHERE stale")
                .mapTo(String.class).list()));
    }

    private Set<String> walked() {
        return jdbi.withHandle(h -> new TreeSet<>(h.createQuery("SELECT kind FROM scan_walks").mapTo(String.class).list()));
    }

    private void later(Duration by) {
        now.set(now.get().plus(by));
    }

    @Test
    void signatureSet_isWhatFollowsTheEngineVersion() {
        assertEquals(Optional.of("27480/Wed Nov 26 09:30:00 2026"),
                SignatureWatch.signatureSet("ClamAV 1.4.6/27480/Wed Nov 26 09:30:00 2026"));
        assertEquals(Optional.empty(), SignatureWatch.signatureSet("ClamAV 1.4.6"));
        assertEquals(Optional.empty(), SignatureWatch.signatureSet("ClamAV 1.4.6/ "));
    }

    @Test
    void newSignatures_renewEveryVerdict_atMostOncePerInterval() {
        SignatureWatch watch = watch();
        assertEquals(SignatureWatch.Outcome.FIRST_SEEN, watch.check(), "the first set is the baseline");
        assertEquals(Set.of(), stale("av_scans"));
        later(Duration.ofHours(1));
        assertEquals(SignatureWatch.Outcome.UNCHANGED, watch.check());

        version.set("ClamAV 1.4.6/27481/Thu Nov 27 01:00:00 2026");
        assertEquals(SignatureWatch.Outcome.TOO_SOON, watch.check(), "within a day of the baseline");
        assertEquals(Set.of(), stale("av_scans"));
        assertEquals(Set.of("antivirus", "pickle"), walked());

        later(DAY);
        assertEquals(SignatureWatch.Outcome.RENEWED, watch.check());
        assertEquals(Set.of("a", "b"), stale("av_scans"), "every antivirus verdict, kept until replaced");
        assertEquals(Set.of(), stale("pickle_scans"), "pickle verdicts are not clamd's");
        assertEquals(Set.of("pickle"), walked(), "the next pass walks every repo again for viruses");
        assertEquals(SignatureWatch.Outcome.UNCHANGED, watch.check(), "the new set is now the one renewed for");

        version.set("ClamAV 1.4.6/27482/Thu Nov 27 09:00:00 2026");
        later(Duration.ofHours(23));
        assertEquals(SignatureWatch.Outcome.TOO_SOON, watch.check());
        later(Duration.ofHours(1));
        assertEquals(SignatureWatch.Outcome.RENEWED, watch.check());
    }

    @Test
    void clamdSilentOrWithoutOfficialSignatures_changesNothing() {
        version.set("ClamAV 1.4.6");
        assertEquals(SignatureWatch.Outcome.NO_SIGNATURE_SET, watch().check());
        SignatureWatch silent = new SignatureWatch(jdbi, () -> {
            throw new IOException("connection refused");
        }, DAY, clock);
        assertEquals(SignatureWatch.Outcome.NO_ANSWER, silent.check());
        int recorded = jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM scan_signatures")
                .mapTo(Integer.class).one());
        assertEquals(0, recorded);
        assertEquals(Set.of("antivirus", "pickle"), walked());
    }

    @Test
    void severalNodes_seeingNewSignaturesAtOnce_renewOnce() throws Exception {
        assertEquals(SignatureWatch.Outcome.FIRST_SEEN, watch().check());
        version.set("ClamAV 1.4.6/27481/Thu Nov 27 01:00:00 2026");
        later(DAY.plusMinutes(1));
        int nodes = 4;
        CyclicBarrier together = new CyclicBarrier(nodes);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        try {
            List<Future<SignatureWatch.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < nodes; i++) {
                SignatureWatch node = watch();
                outcomes.add(pool.submit(() -> {
                    together.await();
                    return node.check();
                }));
            }
            List<SignatureWatch.Outcome> seen = new ArrayList<>();
            for (Future<SignatureWatch.Outcome> outcome : outcomes) {
                seen.add(outcome.get());
            }
            assertEquals(1, seen.stream().filter(o -> o == SignatureWatch.Outcome.RENEWED).count(), seen.toString());
            assertEquals(nodes - 1, seen.stream().filter(o -> o == SignatureWatch.Outcome.UNCHANGED).count(),
                    seen.toString());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anIntervalOfNothing_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new SignatureWatch(jdbi, version::get, Duration.ZERO, clock));
    }
}
