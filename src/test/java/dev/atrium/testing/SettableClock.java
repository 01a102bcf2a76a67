package dev.atrium.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock the test sets and moves by hand. */
public final class SettableClock extends Clock {
    private volatile long millis;

    public SettableClock(Instant now) {
        this.millis = now.toEpochMilli();
    }

    public SettableClock(long epochMillis) {
        this.millis = epochMillis;
    }

    public void set(Instant now) {
        millis = now.toEpochMilli();
    }

    public void advance(Duration by) {
        millis += by.toMillis();
    }

    public void advance(long byMillis) {
        millis += byMillis;
    }

    @Override
    public long millis() {
        return millis;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
