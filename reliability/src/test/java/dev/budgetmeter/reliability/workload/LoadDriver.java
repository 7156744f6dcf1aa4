package dev.budgetmeter.reliability.workload;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Plays a {@link Workload} in real time: every tick it sends the events due at that tick of every stream, so load
 * runs for {@code lastTick} ticks while faults are injected. Scenarios wait on {@link #ticks()} to inject a fault
 * mid-load. Stops on {@link #close()}.
 */
public final class LoadDriver implements AutoCloseable {

    private final Workload workload;
    private final EventSender sender;
    private final Clock clock;
    private final ScheduledExecutorService ticker;
    private final AtomicInteger tick = new AtomicInteger();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** The first tick that waits for {@link #resume()}; none by default. */
    private final AtomicInteger pausedFrom = new AtomicInteger(Integer.MAX_VALUE);
    /** When the tick being sent started, or -1 between ticks. */
    private volatile long tickStartedNanos = -1;

    private LoadDriver(final Workload workload, final EventSender sender, final Clock clock) {
        this.workload = workload;
        this.sender = sender;
        this.clock = clock;
        this.ticker = Executors.newSingleThreadScheduledExecutor(runnable -> {
            final Thread thread = new Thread(runnable, "load-driver");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts sending at once, one tick every {@code interval}. */
    public static LoadDriver start(final Workload workload, final EventSender sender, final Duration interval) {
        final LoadDriver driver = new LoadDriver(workload, sender, Clock.systemUTC());
        driver.ticker.scheduleAtFixedRate(driver::sendTick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        return driver;
    }

    private void sendTick() {
        final int current = tick.get();
        if (current > workload.lastTick() || current >= pausedFrom.get()) {
            return;
        }
        tickStartedNanos = System.nanoTime();
        try {
            final Instant now = clock.instant();
            for (final StreamPlan plan : workload.plans()) {
                plan.eventsAt(current, now).forEach(sender::send);
            }
        } catch (final RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            tickStartedNanos = -1;
            tick.incrementAndGet();
            if (current == workload.lastTick()) {
                finished.countDown();
            }
        }
    }

    /**
     * Ticks from {@code first} on wait (at their interval) until {@link #resume()}: a worker held at a point of its
     * streams until the test's fault is in, however slow the machine made everything before it. Call it before the
     * driver reaches {@code first}.
     */
    public LoadDriver pauseAt(final int first) {
        pausedFrom.set(first);
        return this;
    }

    /** The paused ticks go on, from the next interval. */
    public void resume() {
        pausedFrom.set(Integer.MAX_VALUE);
    }

    /** Ticks sent so far. */
    public int ticks() {
        return tick.get();
    }

    /**
     * How long the tick being sent has been blocked, as a worker's send blocks while Kafka cannot take its events
     * (for example the producer waiting for metadata while the broker is down); zero between ticks.
     */
    public Duration stalledFor() {
        final long startedAt = tickStartedNanos;
        return startedAt < 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - startedAt);
    }

    /**
     * Waits until every tick was sent and every event acknowledged or failed.
     *
     * @throws IllegalStateException when that takes longer than {@code bound}, or a send threw
     */
    public void awaitFinished(final Duration bound) throws InterruptedException {
        if (!finished.await(bound.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("load not sent within " + bound + ": " + tick.get() + " of "
                    + (workload.lastTick() + 1) + " ticks");
        }
        if (failure.get() != null) {
            throw new IllegalStateException("the load driver failed to send", failure.get());
        }
        sender.flush();
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
