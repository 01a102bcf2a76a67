package dev.atrium.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ReadinessTest {

    @Test
    void aNodeIsReady_whenEveryCheckPasses() {
        Readiness readiness = new Readiness(List.of(new Readiness.Check("database", () -> { }),
                new Readiness.Check("blobs", () -> { })));

        Readiness.Report report = readiness.check();

        assertTrue(report.ready());
        assertEquals(Map.of("database", "ok", "blobs", "ok"), report.checks());
    }

    @Test
    void aFailingOrHangingCheck_makesItUnready_namingWhich_withinTheTimeout() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Readiness readiness = new Readiness(List.of(
                new Readiness.Check("database", never::await),
                new Readiness.Check("blobs", () -> {
                    throw new IOException("the bucket does not answer");
                }),
                new Readiness.Check("repositories", () -> { })), Duration.ofMillis(300));
        long started = System.nanoTime();

        Readiness.Report report = readiness.check();

        assertFalse(report.ready());
        assertEquals(List.of("database", "blobs", "repositories"), List.copyOf(report.checks().keySet()));
        assertEquals(Map.of("database", "timeout", "blobs", "failing", "repositories", "ok"), report.checks());
        assertTrue(System.nanoTime() - started < 3_000_000_000L, "the hung check did not hold the answer");
        never.countDown();
    }
}
