package dev.budgetmeter.topology.app;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on one daemon thread that can also run its periodic tasks now, on the caller's thread. Guarantees:
 * every task given to {@link #scheduleAtFixedRate} or {@link #scheduleWithFixedDelay} keeps its schedule and is also
 * run by each {@link #runPeriodicNow()} until the scheduler is shut down; no two runs of these tasks overlap,
 * scheduled or on demand.
 *
 * <p>It exists because Micrometer's Kafka binders find new and removed Kafka metrics only in a task they schedule on
 * the scheduler they are given, and offer no other way to run it ({@link StreamsMeters} says why that matters).
 */
final class OnDemandScheduler extends ScheduledThreadPoolExecutor {

    private final Object runLock = new Object();
    private final List<Runnable> periodic = new CopyOnWriteArrayList<>();

    OnDemandScheduler(final String threadName) {
        super(1, runnable -> {
            final Thread thread = new Thread(runnable, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(final Runnable command, final long initialDelay, final long period,
                                                  final TimeUnit unit) {
        return super.scheduleAtFixedRate(periodic(command), initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(final Runnable command, final long initialDelay, final long delay,
                                                     final TimeUnit unit) {
        return super.scheduleWithFixedDelay(periodic(command), initialDelay, delay, unit);
    }

    /**
     * Runs every periodic task once, on this thread, after any run in progress; returns how many it ran (none once
     * shut down: a task's owner may have released what the task works on).
     */
    int runPeriodicNow() {
        synchronized (runLock) {
            if (isShutdown()) {
                return 0;
            }
            periodic.forEach(Runnable::run);
            return periodic.size();
        }
    }

    /**
     * Shuts down (cancelling the periodic schedules), then runs {@code last} once no periodic task runs any more:
     * after this, none runs again.
     */
    void shutdownThen(final Runnable last) {
        shutdown();
        synchronized (runLock) {
            last.run();
        }
    }

    /** How many periodic tasks were scheduled. */
    int periodicTasks() {
        return periodic.size();
    }

    private Runnable periodic(final Runnable command) {
        final Runnable serialized = () -> {
            synchronized (runLock) {
                if (!isShutdown()) {
                    command.run();
                }
            }
        };
        periodic.add(serialized);
        return serialized;
    }
}
