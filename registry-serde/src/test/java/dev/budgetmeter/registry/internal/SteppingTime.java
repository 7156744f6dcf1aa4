package dev.budgetmeter.registry.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Time;

/** A clock that sleeps by advancing itself and records each sleep, so retry backoff costs no test time. */
final class SteppingTime implements Time {

    private final AtomicLong nowMs = new AtomicLong(1_000_000L);
    private final List<Long> sleeps = new CopyOnWriteArrayList<>();

    /** The sleeps requested so far, in order. */
    List<Long> sleeps() {
        return List.copyOf(sleeps);
    }

    @Override
    public long milliseconds() {
        return nowMs.get();
    }

    @Override
    public long nanoseconds() {
        return nowMs.get() * 1_000_000L;
    }

    @Override
    public void sleep(final long ms) {
        sleeps.add(ms);
        nowMs.addAndGet(ms);
    }

    @Override
    public void waitObject(final Object obj, final Supplier<Boolean> condition, final long deadlineMs) {
        throw new UnsupportedOperationException("not used by the registry client");
    }
}
