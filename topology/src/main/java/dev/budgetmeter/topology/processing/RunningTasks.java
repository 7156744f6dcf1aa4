package dev.budgetmeter.topology.processing;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * The tasks of one application instance whose stateful processor (the lifecycle's, or the ledger's) is initialised,
 * that is restored and processing: Kafka Streams runs a processor's {@code init} only after its task's stores are
 * restored. The readiness probe
 * compares it with the tasks the instance is assigned. Thread-safe: stream threads write, the probe reads.
 */
public final class RunningTasks {

    private final Set<TaskId> running = ConcurrentHashMap.newKeySet();
    private final Runnable onStarted;

    /** Tasks that nobody waits on. */
    public RunningTasks() {
        this(() -> { });
    }

    /** @param onStarted run on the stream thread after each task starts, for a waiter on readiness (must not block) */
    public RunningTasks(final Runnable onStarted) {
        this.onStarted = onStarted;
    }

    void started(final TaskId task) {
        running.add(task);
        onStarted.run();
    }

    void stopped(final TaskId task) {
        running.remove(task);
    }

    /** Whether every one of {@code assigned} is running. */
    public boolean allRunning(final Set<TaskId> assigned) {
        return running.containsAll(assigned);
    }
}
