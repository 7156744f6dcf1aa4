package dev.budgetmeter.bench.scenario;

import dev.budgetmeter.bench.report.Distribution;
import dev.budgetmeter.producer.Decision;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Times decisions from a moment of the worker's (right before its Reserve was handed to the meter) to the meter's
 * decision future completing, which the meter's decisions thread does as soon as its read_committed poll returned
 * the decision. Thread-safe: expected on the sending thread, completed on the meter's.
 */
final class DecisionTimer {

    private static final long MAX_MICROS = 600_000_000L;

    private final Histogram micros = Distribution.newHistogram(MAX_MICROS);
    private final AtomicLong expected = new AtomicLong();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    /** Times {@code decision}, whose Reserve was sent at {@code sentNanos} ({@link System#nanoTime()}). */
    void expect(final CompletableFuture<Decision> decision, final long sentNanos) {
        expected.incrementAndGet();
        pending.incrementAndGet();
        decision.whenComplete((answer, failure) -> {
            final long readNanos = System.nanoTime();
            if (failure == null) {
                synchronized (micros) {
                    micros.recordValue(Math.max(0, (readNanos - sentNanos) / 1_000));
                }
            } else {
                failed.incrementAndGet();
            }
            pending.decrementAndGet();
        });
    }

    /** Decisions expected so far. */
    long expected() {
        return expected.get();
    }

    /** Expected decisions not read (nor failed) yet. */
    long pending() {
        return pending.get();
    }

    /** Expected decisions that failed (the meter's decision timeout) or never came. */
    long missing() {
        return failed.get() + pending.get();
    }

    /** The decisions read, in milliseconds. */
    Distribution millis() {
        synchronized (micros) {
            return Distribution.of(micros, 1_000.0, "ms");
        }
    }
}
