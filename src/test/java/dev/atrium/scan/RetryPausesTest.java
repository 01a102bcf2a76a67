package dev.atrium.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.atrium.testing.SettableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryPausesTest {
    @Test
    void aFailure_pausesItsKeyForThePause_andOnlyRunningPausesAreKept() {
        SettableClock clock = new SettableClock(1_000_000L);
        RetryPauses<String> pauses = new RetryPauses<>(clock, Duration.ofMinutes(10));
        assertFalse(pauses.paused("a"));
        pauses.failed("a");
        assertTrue(pauses.paused("a"));
        assertFalse(pauses.paused("b"));
        clock.advance(Duration.ofMinutes(9));
        pauses.failed("b");
        assertEquals(2, pauses.size());
        clock.advance(Duration.ofMinutes(1));
        assertFalse(pauses.paused("a"), "a's pause is over");
        assertTrue(pauses.paused("b"));
        pauses.failed("c");
        assertEquals(2, pauses.size(), "a's ended pause is dropped when the next failure is recorded");
        pauses.succeeded("b");
        assertFalse(pauses.paused("b"));
        assertEquals(1, pauses.size());
    }
}
