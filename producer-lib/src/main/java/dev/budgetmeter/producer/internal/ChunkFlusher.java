package dev.budgetmeter.producer.internal;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one background thread of a meter, whatever the number of streams: it writes the coalesced chunks that became
 * due (on request from {@code chunk()}, which must not send itself) and, every quarter interval, scans the open
 * streams for pending chunks that waited an interval without further calls, so no token sits unsent. It also runs
 * the meter's close. A scan that throws is logged and the next scan still runs.
 */
public final class ChunkFlusher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChunkFlusher.class);

    private final ScheduledExecutorService executor;

    /**
     * @param scan     flushes every open stream whose pending chunks are due; null when the meter does not coalesce
     * @param interval the meter's chunk interval
     */
    public ChunkFlusher(final String workerId, final Runnable scan, final Duration interval) {
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "budget-meter-flusher-" + workerId);
            thread.setDaemon(true);
            return thread;
        });
        if (scan != null) {
            final long tickMillis = Math.max(1, interval.toMillis() / 4);
            executor.scheduleWithFixedDelay(() -> runLogged(scan), tickMillis, tickMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Runs a flush soon on the flusher thread; ignored once closing (the close writes every stream's chunks). */
    public void request(final Runnable flush) {
        try {
            executor.execute(() -> runLogged(flush));
        } catch (final RejectedExecutionException closing) {
            LOG.debug("Flush request after close ignored; the close ends the stream and writes its chunks");
        }
    }

    /** Runs a task on the flusher thread, after the flushes requested before it. */
    public <T> Future<T> submit(final Callable<T> task) {
        return executor.submit(task);
    }

    /** Stops the scans; lets requested flushes and submitted tasks finish. */
    @Override
    public void close() {
        executor.shutdown();
    }

    /** Waits for the thread to finish its last tasks. */
    public boolean awaitTermination(final Duration timeout) throws InterruptedException {
        return executor.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static void runLogged(final Runnable task) {
        try {
            task.run();
        } catch (final RuntimeException e) {
            LOG.warn("Chunk flush failed; pending tokens stay pending for the next attempt", e);
        }
    }
}
