package dev.budgetmeter.producer.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when a test says so. Not thread-safe: for single-threaded unit tests. */
public final class MutableClock extends Clock {

    private long millis;

    public MutableClock(final long startMillis) {
        this.millis = startMillis;
    }

    public void advanceMillis(final long delta) {
        millis += delta;
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
    public Clock withZone(final ZoneId zone) {
        throw new UnsupportedOperationException("a test clock has one zone");
    }
}
