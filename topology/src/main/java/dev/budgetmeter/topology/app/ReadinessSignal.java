package dev.budgetmeter.topology.app;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Wakes whoever waits for a condition on the application's readiness whenever something it depends on changed (the
 * client's state, a task started). Guarantees: a change signalled while {@link #await} checks its condition is not
 * missed (the waiter notes the count of changes before each check and waits only while it is unchanged); the
 * condition is never evaluated under the monitor, so it may take Kafka Streams' own locks; {@link #changed} never
 * blocks a stream thread for longer than a notify.
 */
final class ReadinessSignal {

    private final Object monitor = new Object();
    private long changes;

    /** Something readiness depends on changed. */
    void changed() {
        synchronized (monitor) {
            changes++;
            monitor.notifyAll();
        }
    }

    /** Waits until {@code condition} holds or {@code timeout} passes; returns whether it held. */
    boolean await(final BooleanSupplier condition, final Duration timeout) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final long seen;
            synchronized (monitor) {
                seen = changes;
            }
            if (condition.getAsBoolean()) {
                return true;
            }
            synchronized (monitor) {
                while (changes == seen) {
                    final long leftNanos = deadline - System.nanoTime();
                    if (leftNanos <= 0) {
                        return condition.getAsBoolean();
                    }
                    monitor.wait(Math.max(1, leftNanos / 1_000_000));
                }
            }
        }
    }
}
